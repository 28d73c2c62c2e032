import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@welfare/kit';
import { createSuite, type Suite } from '@welfare/kit/test-suite';
import { startFakeStripe, type RunningFakeStripe } from '../src/dev/fake-stripe.js';
import { DB_SCHEMA } from '../src/entities.js';
import { stripeWebhookRoute } from '../src/modules/stripe/stripe-webhook.js';
import { paymentsOrmSettings } from '../src/orm.js';
import { buildPaymentsSchema } from '../src/schema.js';
import { createServices, type ServiceSettings, type Services } from '../src/services.js';

export {
  ADMIN,
  ANONYMOUS,
  CITIZEN,
  SERVICE,
  caught,
  errorCode,
  errorFields,
  member,
} from '@welfare/kit/test-suite';

/** Two providers: A (the one under test) and B (another organisation). */
export const ORG_A = '0b7c2d1e-0000-4000-8000-00000000a001';
export const ORG_B = '0b7c2d1e-0000-4000-8000-00000000b002';

/** A fresh database (migrated) for one suite, with the services and the schema. */
export function setupSuite(
  prefix: string,
  settings: ServiceSettings = {},
): Promise<Suite<Services>> {
  return createSuite({
    prefix: `payments_${prefix}`,
    dbSchema: DB_SCHEMA,
    ormSettings: paymentsOrmSettings,
    services: () => createServices(settings),
    buildSchema: buildPaymentsSchema,
  });
}

/** A suite wired to a fake Stripe started in this process, which delivers to the suite. */
export interface StripeHarness {
  suite: Suite<Services>;
  fake: RunningFakeStripe;
  /** The suite's webhook endpoint (`POST /webhooks/stripe` as the subgraph serves it). */
  webhookUrl: string;
  webhookSecret: string;
  close(): Promise<void>;
}

/**
 * The fake Stripe in process, the suite's services pointed at it (SDK timeout `timeoutMs`, no
 * SDK retries: a test drives the retries), and the subgraph's webhook route on a local server.
 */
export async function startStripeHarness(
  prefix: string,
  options: { timeoutMs?: number; platformFeeBps?: number } = {},
): Promise<StripeHarness> {
  let route: (req: IncomingMessage, res: ServerResponse) => Promise<void> = (_req, res) => {
    res.writeHead(503).end();
    return Promise.resolve();
  };
  const receiver = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/webhooks/stripe') void route(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/stripe`;
  const secretKey = `sk_test_${randomBytes(18).toString('base64url')}`;
  const webhookSecret = `whsec_${randomBytes(18).toString('base64url')}`;
  const fake = await startFakeStripe({
    port: 0,
    secretKey,
    webhook: { url: webhookUrl, secret: webhookSecret },
    webhookRetryDelaysMs: [50, 200],
  });
  const suite = await setupSuite(prefix, {
    stripe: {
      secretKey,
      webhookSecret,
      apiUrl: fake.url,
      timeoutMs: options.timeoutMs ?? 2_000,
      maxNetworkRetries: 0,
    },
    platformFeeBps: options.platformFeeBps ?? 0,
    portalUrl: 'http://portal.test',
  });
  route = stripeWebhookRoute(suite.orm, suite.services.webhooks, createLogger('test', 'silent'));
  return {
    suite,
    fake,
    webhookUrl,
    webhookSecret,
    close: async () => {
      await fake.close();
      await new Promise<void>((resolve) => {
        receiver.close(() => resolve());
        receiver.closeAllConnections();
      });
      await suite.close();
    },
  };
}

/** Waits until `check` answers true (polling every 20 ms), or fails after `timeoutMs`. */
export async function until(
  check: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
