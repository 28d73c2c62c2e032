import 'reflect-metadata';
import { createLogger, onShutdown } from '@welfare/kit';
import { openOrm } from '@welfare/kit/orm';
import { startSubgraph } from '@welfare/kit/subgraph';
import { auditChainChecker, auditSealer } from '@welfare/kit/audit';
import { loadIdentityConfig } from './config.js';
import { loadDemoData } from './demo/load-demo-data.js';
import { OutboxDispatcher } from './modules/outbox/dispatcher.js';
import { createEmailTransport, deliverySecrets } from './modules/outbox/transports.js';
import { organisationRoutes } from './modules/organisation/organisation.routes.js';
import { INTERNAL_SESSION_ROUTE, internalSessionRoute } from './modules/session/session.route.js';
import { identityOrmSettings } from './orm.js';
import { buildIdentitySchema } from './schema.js';
import { createServices } from './services.js';

/** The subgraph's name: the audience of its gateway tokens. */
const NAME = 'identity';

const config = loadIdentityConfig();
const logger = createLogger(NAME, config.logLevel);
if (config.nodeEnv !== 'production' && config.piiKey.equals(Buffer.alloc(32, 7))) {
  logger.warn('PII_KEY not set: using the public development key (never with real data)');
}
if (!config.oidc) logger.warn('OIDC_* not set: the citizen login answers SERVICE_UNAVAILABLE');

const orm = await openOrm(identityOrmSettings(config.databaseUrl), {
  migrate: config.migrateOnStart,
});
const services = createServices(config);
// Cross-tenant refusals of the kit's access checks go to the audit log (apart from the request).
services.audit.watchTenancy(orm.em, logger);
if (config.demoData) {
  await loadDemoData(orm.em.fork(), services.persons);
  logger.info('demo data loaded');
}
// The e-mail outbox (password recovery links).
const dispatcher = new OutboxDispatcher(
  orm,
  createEmailTransport(config.delivery),
  config.dispatcher,
  logger,
  deliverySecrets(config.delivery),
);
dispatcher.start();
if (!config.delivery.smtp) {
  logger.warn(
    config.delivery.unconfigured === 'outbox'
      ? 'SMTP_URL not set: e-mails are recorded in the outbox, not delivered'
      : 'SMTP_URL not set: e-mails FAIL',
  );
}
const running = await startSubgraph({
  name: NAME,
  schema: await buildIdentitySchema(services),
  orm,
  host: config.host,
  port: config.port,
  gatewayPublicKey: config.gatewayPublicKey,
  admission: config.admission,
  logger,
  routes: {
    [INTERNAL_SESSION_ROUTE]: internalSessionRoute({ orm, sessions: services.sessions }),
  },
  // Internal routes: the reimbursement contract's payees (public-welfare's batches) and the
  // organisation lookup (a pagoPA notice's creditor, payments), each for its callers' tokens only.
  internal: {
    publicKeys: config.servicePublicKeys,
    routes: organisationRoutes({ orm, organisations: services.organisations }),
  },
});
// The audit chain, verified on a schedule; the result is what the platform admins see.
const auditChecks = auditChainChecker(orm, services.audit, config.audit, logger);
auditChecks.start();
// The audit sealer: chains the rows appended (without a lock) in seq order, every second or so.
const auditSeals = auditSealer(orm, services.audit, config.audit, logger);
auditSeals.start();
onShutdown(logger, [
  () => auditChecks.stop(),
  () => auditSeals.stop(),
  () => dispatcher.stop(),
  () => running.stop(),
]);
