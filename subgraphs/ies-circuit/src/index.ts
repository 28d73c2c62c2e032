import 'reflect-metadata';
import { createLogger, onShutdown } from '@welfare/kit';
import { auditChainChecker, auditSealer } from '@welfare/kit/audit';
import { openOrm } from '@welfare/kit/orm';
import { startSubgraph } from '@welfare/kit/subgraph';
import { loadIesCircuitConfig } from './config.js';
import { loadDemoData } from './demo/load-demo-data.js';
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
// ies-members: cross-tenant refusals of the access checks go to the audit log (apart from the request).
services.audit.watchTenancy(orm.em, logger);
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
// ies-members: the audit log, sealed every second or so and verified on a schedule.
const auditSeals = auditSealer(orm, services.audit, config.audit, logger);
auditSeals.start();
const auditChecks = auditChainChecker(orm, services.audit, config.audit, logger);
auditChecks.start();
onShutdown(logger, [
  () => running.close(),
  () => auditChecks.stop(),
  () => auditSeals.stop(),
  () => running.stop(),
]);
