import 'reflect-metadata';
import { createLogger, onShutdown } from '@welfare/kit';
import { openOrm } from '@welfare/kit/orm';
import { startSubgraph } from '@welfare/kit/subgraph';
import { loadIesCircuitConfig } from './config.js';
import { loadDemoData } from './demo/load-demo-data.js';
// The fund contract's internal routes.
import { fundRoutes } from './modules/fund/fund.routes.js';
import { iesCircuitOrmSettings } from './orm.js';
import { buildIesCircuitSchema } from './schema.js';
import { createServices } from './services.js';

/** The subgraph's name: the audience of its gateway tokens. */
const NAME = 'ies-circuit';

const config = loadIesCircuitConfig();
const logger = createLogger(NAME, config.logLevel);
const orm = await openOrm(iesCircuitOrmSettings(config.databaseUrl), {
  migrate: config.migrateOnStart,
});
const services = createServices();
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
  // The fund contract (payments' checkout): service tokens of the payments service only.
  internal: {
    publicKeys: config.servicePublicKeys,
    routes: {
      ...fundRoutes({ orm, funds: services.funds }),
    },
  },
});
if (!config.servicePublicKeys.payments) {
  logger.warn('SERVICE_PUBLIC_KEYS has no key of payments: the fund operations refuse every call');
}
onShutdown(logger, [() => running.close(), () => running.stop()]);
