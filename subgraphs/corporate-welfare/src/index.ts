import 'reflect-metadata';
import { createLogger, onShutdown } from '@welfare/kit';
import { openOrm } from '@welfare/kit/orm';
import { startSubgraph } from '@welfare/kit/subgraph';
import { loadCorporateWelfareConfig } from './config.js';
import { loadDemoData } from './demo/load-demo-data.js';
import { corporateWelfareOrmSettings } from './orm.js';
import { buildCorporateWelfareSchema } from './schema.js';
import { createServices } from './services.js';
// cw-claims
import { claimRoutes } from './modules/claim/claim.routes.js';
import { payrollRoutes } from './modules/payroll/payroll.routes.js';

/** The subgraph's name: the audience of its gateway tokens. */
const NAME = 'corporate-welfare';

const config = loadCorporateWelfareConfig();
const logger = createLogger(NAME, config.logLevel);
const orm = await openOrm(corporateWelfareOrmSettings(config.databaseUrl), {
  migrate: config.migrateOnStart,
});
const services = createServices({
  legalFigures: config.legalFigures,
  // cw-claims
  maxReceiptBytes: config.maxReceiptBytes,
});
if (config.demoData) {
  await loadDemoData(orm.em.fork(), services);
  logger.info('demo data loaded');
}
const running = await startSubgraph({
  name: NAME,
  schema: await buildCorporateWelfareSchema(services),
  orm,
  host: config.host,
  port: config.port,
  gatewayPublicKey: config.gatewayPublicKey,
  admission: config.admission,
  logger,
  routes: {
    // cw-claims
    ...claimRoutes({ orm, claims: services.claims }),
    ...payrollRoutes({ orm, payroll: services.payroll }),
  },
});
onShutdown(logger, [() => running.stop()]);
