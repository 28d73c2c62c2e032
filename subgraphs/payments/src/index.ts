import 'reflect-metadata';
import { createLogger, onShutdown } from '@welfare/kit';
import { openOrm } from '@welfare/kit/orm';
import { PollingLoop } from '@welfare/kit/polling';
import { startSubgraph } from '@welfare/kit/subgraph';
import { loadPaymentsConfig } from './config.js';
import { loadDemoData } from './demo/load-demo-data.js';
import { ReconciliationJob } from './modules/reconciliation/reconciliation.job.js';
import { stripeWebhookRoute } from './modules/stripe/stripe-webhook.js';
import { paymentsOrmSettings } from './orm.js';
import { buildPaymentsSchema } from './schema.js';
import { createServices } from './services.js';

/** The subgraph's name: the audience of its gateway tokens. */
const NAME = 'payments';

const config = loadPaymentsConfig();
const logger = createLogger(NAME, config.logLevel);
if (!config.stripe)
  logger.warn('STRIPE_SECRET_KEY/STRIPE_WEBHOOK_SECRET not set: card payments off');
const orm = await openOrm(paymentsOrmSettings(config.databaseUrl), {
  migrate: config.migrateOnStart,
});
const services = createServices({
  stripe: config.stripe,
  platformFeeBps: config.platformFeeBps,
  portalUrl: config.portalUrl,
  reconciliationWindowDays: config.reconciliationWindowDays,
  checkout: config.servicePrivateKey
    ? { config: config.checkout, privateKey: config.servicePrivateKey }
    : undefined,
  pagopa: {
    ...config.pagopa,
    identity:
      config.servicePrivateKey && config.identityUrl
        ? { privateKey: config.servicePrivateKey, baseUrl: config.identityUrl }
        : undefined,
  },
  logger,
});
if (config.demoData) {
  await loadDemoData(orm.em.fork(), services, {
    fakeStripe: config.nodeEnv !== 'production' && config.stripe?.apiUrl !== undefined,
    portalUrl: config.portalUrl,
  });
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
  // Stripe signs its deliveries: the route verifies them itself (no gateway token).
  publicRoutes: {
    'POST /webhooks/stripe': stripeWebhookRoute(orm, services.webhooks, logger),
  },
});
const reconciliation = new ReconciliationJob(
  orm,
  services.reconciliation,
  config.reconciliationIntervalMs,
  logger,
);
if (config.stripe) reconciliation.start();
// Checkouts a request left half way (a crash, a timeout, a lost notice): finished or undone.
const recovery = new PollingLoop(
  async () => {
    const taken = await services.checkouts.recover(orm.em.fork(), config.checkout.idleMs);
    return { nextPassInMs: taken > 0 ? 0 : config.checkout.recoveryIntervalMs };
  },
  config.checkout.recoveryIntervalMs,
  (err) => logger.error({ err }, 'checkout recovery failed'),
);
recovery.start();
onShutdown(logger, [() => recovery.stop(), () => reconciliation.stop(), () => running.stop()]);
