import 'reflect-metadata';
import { createLogger, onShutdown } from '@welfare/kit';
import { openOrm } from '@welfare/kit/orm';
import { startSubgraph } from '@welfare/kit/subgraph';
import { auditChainChecker, auditSealer } from '@welfare/kit/audit';
import { DEVELOPMENT_PIN_KEY, loadPublicWelfareConfig } from './config.js';
import { loadDemoData } from './demo/load-demo-data.js';
import { applicationRoutes } from './modules/application/application.routes.js';
import { cardRoutes } from './modules/card/card.routes.js';
import { fundRoutes } from '@welfare/kit/contracts';
import { reimbursementRoutes } from './modules/reimbursement/reimbursement.routes.js';
import { EXPORT_ROUTE, exportRoute } from './modules/exports/export.route.js';
import { ImportRunner } from './modules/imports/import-runner.js';
import {
  IMPORT_ROUTES,
  REJECTIONS_ROUTE,
  importRoute,
  rejectionsRoute,
} from './modules/imports/import.route.js';
import { MessageDispatcher } from './modules/messages/dispatcher.js';
import { TopUpScheduler } from './modules/top-up/top-up-scheduler.js';
import { monitoringRoutes } from './modules/monitoring/monitoring.routes.js';
import { householdAttachmentRoutes } from './modules/household/household-attachment.routes.js';
import { createTransports, deliverySecrets } from './modules/messages/transports.js';
import { publicWelfareOrmSettings } from './orm.js';
import { buildPublicWelfareSchema } from './schema.js';
import { createServices } from './services.js';
// The card's fallback: IES parts left HELD are captured by a recovery job.
import { IesRecoveryJob } from './modules/payment/ies-recovery.job.js';

/** The subgraph's name: the audience of its gateway tokens. */
const NAME = 'public-welfare';

const config = loadPublicWelfareConfig();
const logger = createLogger(NAME, config.logLevel);
if (config.nodeEnv !== 'production' && config.piiKey.equals(Buffer.alloc(32, 7))) {
  logger.warn('PII_KEY not set: using the public development key (never with real data)');
}
if (
  config.nodeEnv !== 'production' &&
  config.pinKeys.current.equals(Buffer.from(DEVELOPMENT_PIN_KEY, 'base64'))
) {
  logger.warn('PIN_KEY not set: using the public development key (never with real cards)');
}

const orm = await openOrm(publicWelfareOrmSettings(config.databaseUrl), {
  migrate: config.migrateOnStart,
});
const services = createServices(config);
// Cross-tenant refusals of the kit's access checks go to the audit log (apart from the request).
services.audit.watchTenancy(orm.em, logger);
const interrupted = await services.imports.failInterrupted(orm.em.fork());
if (interrupted)
  logger.warn({ jobs: interrupted }, 'imports interrupted by a restart marked FAILED');
if (config.demoData) {
  await loadDemoData(orm.em.fork(), services, { citizenCard: config.demoCitizenCard });
  logger.info('demo data loaded');
}
const runner = new ImportRunner(orm, services.imports, logger);
const routes = Object.fromEntries(
  Object.entries(IMPORT_ROUTES).map(([route, kind]) => [
    route,
    importRoute(kind, {
      orm,
      imports: services.imports,
      runner,
      maxBytes: config.importMaxBytes,
    }),
  ]),
);
routes[EXPORT_ROUTE] = exportRoute({ orm, audit: services.audit });
routes[REJECTIONS_ROUTE] = rejectionsRoute(services.imports, orm);
Object.assign(
  routes,
  applicationRoutes({
    orm,
    audit: services.audit,
    applications: services.applications,
    cases: services.cases,
    maxDocumentBytes: config.maxDocumentBytes,
  }),
  cardRoutes({ orm, cards: services.cards }),
  reimbursementRoutes({ orm, reimbursements: services.reimbursements }),
  monitoringRoutes({ orm, monitoring: services.monitoring }),
  householdAttachmentRoutes({
    orm,
    householdFile: services.householdFile,
    maxBytes: config.maxHouseholdAttachmentBytes,
  }),
);
const running = await startSubgraph({
  name: NAME,
  schema: await buildPublicWelfareSchema(services),
  orm,
  host: config.host,
  port: config.port,
  gatewayPublicKey: config.gatewayPublicKey,
  admission: config.admission,
  logger,
  routes,
  // The fund contract (payments' checkout): service tokens of the payments service only.
  internal: {
    publicKeys: config.servicePublicKeys,
    routes: fundRoutes({ orm, funds: services.funds }),
  },
});
if (!config.reimbursementPeers) {
  logger.warn(
    'SERVICE_PRIVATE_KEY, SERVICE_URL_IDENTITY or SERVICE_URL_THIRD_SECTOR not set: reimbursement batches pay no provider',
  );
}
if (!config.servicePublicKeys.payments) {
  logger.warn('SERVICE_PUBLIC_KEYS has no key of payments: the fund operations refuse every call');
}
// The message outbox: delivered in the background (EMAIL, SMS, PORTAL).
const dispatcher = new MessageDispatcher(
  orm,
  createTransports(config.delivery),
  config.dispatcher,
  logger,
  deliverySecrets(config.delivery),
);
dispatcher.start();
// Top-ups by date and the return of unspent credit after the spending window.
const topUpScheduler = new TopUpScheduler(
  orm,
  services.topUpSchedule,
  config.topUpScheduler,
  logger,
  services.reconciliation,
  services.creditReminders,
);
topUpScheduler.start();
// The card's fallback: IES parts whose capture's outcome was unknown, captured later.
const iesRecovery = new IesRecoveryJob(orm, services.payments, 30_000, logger);
iesRecovery.start();
if (!config.iesCardPeer) {
  logger.warn('SERVICE_URL_IES_CIRCUIT not set: cards pay with voucher credit only (no IES)');
}
// The audit chain, verified on a schedule; the result is what the platform admins see.
const auditChecks = auditChainChecker(orm, services.audit, config.audit, logger);
auditChecks.start();
// The audit sealer: chains the rows appended (without a lock) in seq order, every second or so.
const auditSeals = auditSealer(orm, services.audit, config.audit, logger);
auditSeals.start();
if (!config.delivery.smtp || !config.delivery.sms) {
  logger.warn(
    { email: !!config.delivery.smtp, sms: !!config.delivery.sms },
    config.delivery.unconfigured === 'outbox'
      ? 'a message channel has no provider: its messages are recorded, not delivered'
      : 'a message channel has no provider: its messages FAIL',
  );
}
onShutdown(logger, [
  // Stop taking requests, let running imports and the message pass under way finish, then
  // close Apollo and the pool.
  () => running.close(),
  () => runner.drain(),
  () => dispatcher.stop(),
  () => topUpScheduler.stop(),
  () => iesRecovery.stop(),
  () => auditChecks.stop(),
  () => auditSeals.stop(),
  () => running.stop(),
]);
