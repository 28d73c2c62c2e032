import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeStripe, type RunningFakeStripe } from '../src/dev/fake-stripe.js';
import { until } from './helpers.js';

// The fake on its own, through the official SDK: what the payments tests rely on.
const SECRET = 'whsec_fake_test_secret';
const received: { status: number; signature: string; body: string }[] = [];
let answers = [500, 200];
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
  req.on('end', () => {
    const status = answers.shift() ?? 200;
    received.push({ status, signature: String(req.headers['stripe-signature']), body });
    res.writeHead(status).end();
  });
});
let fake: RunningFakeStripe;
let stripe: Stripe;

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
  fake = await startFakeStripe({
    port: 0,
    secretKey: 'sk_test_fake_key_123',
    webhook: { url, secret: SECRET },
    webhookRetryDelaysMs: [30],
  });
  stripe = new Stripe('sk_test_fake_key_123', {
    host: '127.0.0.1',
    port: fake.port,
    protocol: 'http',
    maxNetworkRetries: 0,
  });
});
afterAll(async () => {
  await fake.close();
  receiver.close();
});

const sessionParams = (amount: number): Stripe.Checkout.SessionCreateParams => ({
  mode: 'payment',
  line_items: [
    {
      quantity: 1,
      price_data: { currency: 'eur', unit_amount: amount, product_data: { name: 'X' } },
    },
  ],
  success_url: 'http://portal.test/ok?s={CHECKOUT_SESSION_ID}',
  cancel_url: 'http://portal.test/ko',
});

describe('the fake Stripe', () => {
  it('refuses another API key and keeps objects inside their account', async () => {
    const other = new Stripe('sk_test_wrong_key_123', {
      host: '127.0.0.1',
      port: fake.port,
      protocol: 'http',
    });
    await expect(other.accounts.create({ type: 'express' })).rejects.toMatchObject({
      statusCode: 401,
    });
    const account = await stripe.accounts.create({ type: 'standard' });
    const intent = await stripe.paymentIntents.create(
      { amount: 1_000, currency: 'eur' },
      { stripeAccount: account.id },
    );
    await expect(stripe.paymentIntents.retrieve(intent.id)).rejects.toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
    const same = await stripe.paymentIntents.retrieve(intent.id, {}, { stripeAccount: account.id });
    expect(same.id).toBe(intent.id);
  });

  it('answers a reused idempotency key with the first result, and refuses other parameters', async () => {
    const first = await stripe.checkout.sessions.create(sessionParams(1_000), {
      idempotencyKey: 'key-1',
    });
    const again = await stripe.checkout.sessions.create(sessionParams(1_000), {
      idempotencyKey: 'key-1',
    });
    expect(again.id).toBe(first.id);
    await expect(
      stripe.checkout.sessions.create(sessionParams(2_000), { idempotencyKey: 'key-1' }),
    ).rejects.toMatchObject({ type: 'StripeIdempotencyError', statusCode: 400 });
    expect(fake.controls.list('checkout_sessions').filter((s) => s.amount_total === 2_000)).toEqual(
      [],
    );
  });

  it('signs its events for real and delivers again after a refusal', async () => {
    received.length = 0;
    answers = [500, 200];
    const session = await stripe.checkout.sessions.create(sessionParams(1_500));
    const page = await (await fetch(session.url!)).text();
    expect(page).toContain('<label for="card">');
    expect(page).toContain('href="http://portal.test/ko"');
    await stripe.checkout.sessions.expire(session.id);
    await until(() => received.length === 2, 'the redelivery');
    expect(received.map((r) => r.status)).toEqual([500, 200]);
    const { signature, body } = received[1]!;
    const [t, v1] = signature.split(',').map((part) => part.split('=')[1]);
    expect(v1).toBe(createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex'));
    const event = stripe.webhooks.constructEvent(body, signature, SECRET, 300);
    expect(event.type).toBe('checkout.session.expired');
    expect(received[0]!.body).toBe(body);
  });
});
