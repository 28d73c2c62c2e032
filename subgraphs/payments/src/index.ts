import 'reflect-metadata';
import { createLogger, onShutdown } from '@welfare/kit';
import { openOrm } from '@welfare/kit/orm';
import { startSubgraph } from '@welfare/kit/subgraph';
import { loadPaymentsConfig } from './config.js';
import { loadDemoData } from './demo/load-demo-data.js';
import { paymentsOrmSettings } from './orm.js';
import { buildPaymentsSchema } from './schema.js';
import { createServices } from './services.js';

/** The subgraph's name: the audience of its gateway tokens. */
const NAME = 'payments';

const config = loadPaymentsConfig();
const logger = createLogger(NAME, config.logLevel);
const orm = await openOrm(paymentsOrmSettings(config.databaseUrl), {
  migrate: config.migrateOnStart,
});
const services = createServices({ noticeMaxLength: config.noticeMaxLength });
if (config.demoData) {
  await loadDemoData(orm.em.fork(), services);
  logger.info('demo data loaded');
}
const running = await startSubgraph({
  name: NAME,
  schema: await buildPaymentsSchema(services),
  orm,
  host: config.host,
  port: config.port,
  gatewayPublicKey: config.gatewayPublicKey,
  admission: config.admission,
  logger,
});
onShutdown(logger, [() => running.stop()]);
