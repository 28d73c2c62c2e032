import 'reflect-metadata';
import { createLogger, onShutdown } from '@welfare/kit';
import { openOrm } from '@welfare/kit/orm';
import { startSubgraph } from '@welfare/kit/subgraph';
import { loadIesCircuitConfig } from './config.js';
import { loadDemoData } from './demo/load-demo-data.js';
import { iesCircuitOrmSettings } from './orm.js';
import { buildIesCircuitSchema } from './schema.js';
import { DemurrageJob } from './modules/demurrage/demurrage.job.js';
import { createServices } from './services.js';

/** The subgraph's name: the audience of its gateway tokens. */
const NAME = 'ies-circuit';

const config = loadIesCircuitConfig();
const logger = createLogger(NAME, config.logLevel);
const orm = await openOrm(iesCircuitOrmSettings(config.databaseUrl), {
  migrate: config.migrateOnStart,
});
const services = createServices({ reserveAccount: config.reserveAccount });
if (config.demoData) {
  await loadDemoData(orm.em.fork(), services);
  logger.info('demo data loaded');
}
const running = await startSubgraph({
  name: NAME,
  schema: await buildIesCircuitSchema(services),
  orm,
  host: config.host,
  port: config.port,
  gatewayPublicKey: config.gatewayPublicKey,
  admission: config.admission,
  logger,
});
// ies-reserve: the circuits' demurrage and expiry, hourly.
const demurrage = new DemurrageJob(orm, services.demurrage, config.demurrageIntervalMs, logger);
demurrage.start();
onShutdown(logger, [() => running.close(), () => demurrage.stop(), () => running.stop()]);
