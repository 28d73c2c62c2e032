import { reportListening } from '@welfare/kit';
import { z } from 'zod';
import { startFakeStripe } from './fake-stripe.js';

// The fake Stripe as its own process: the launcher runs it as `stripe` when the registry has the
// payments subgraph (development and tests only; in production payments talks to Stripe itself).
const env = z
  .object({
    FAKE_STRIPE_PORT: z.coerce.number().int().min(0).max(65535).default(4410),
    FAKE_STRIPE_HOST: z.string().default('127.0.0.1'),
    /** The API key the fake accepts: the one payments is given. */
    STRIPE_SECRET_KEY: z.string().startsWith('sk_test_'),
    /** Where events are delivered (payments' `POST /webhooks/stripe`) and their signing secret. */
    STRIPE_WEBHOOK_URL: z.url().optional(),
    STRIPE_WEBHOOK_SECRET: z.string().startsWith('whsec_'),
  })
  .parse(process.env);

const running = await startFakeStripe({
  port: env.FAKE_STRIPE_PORT,
  host: env.FAKE_STRIPE_HOST,
  secretKey: env.STRIPE_SECRET_KEY,
  ...(env.STRIPE_WEBHOOK_URL
    ? { webhook: { url: env.STRIPE_WEBHOOK_URL, secret: env.STRIPE_WEBHOOK_SECRET } }
    : {}),
});
console.log(`fake Stripe ready at ${running.url}`);
reportListening(running.port);
const stop = () => void running.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
