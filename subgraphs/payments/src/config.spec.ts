import { describe, expect, it } from 'vitest';
import { loadPaymentsConfig } from './config.js';

const base = {
  DATABASE_URL: 'postgres://u:p@localhost:5432/db',
  GATEWAY_PUBLIC_KEY: '{"kty":"OKP","crv":"Ed25519","x":"abc"}',
};
const stripe = {
  STRIPE_SECRET_KEY: 'sk_live_0123456789abcdef',
  STRIPE_WEBHOOK_SECRET: 'whsec_0123456789abcdef',
};

describe('payments configuration', () => {
  it('requires both Stripe secrets in production, naming each missing one', () => {
    expect(() => loadPaymentsConfig({ ...base, NODE_ENV: 'production' })).toThrow(
      /STRIPE_SECRET_KEY: required in production[\s\S]*STRIPE_WEBHOOK_SECRET: required/,
    );
    const config = loadPaymentsConfig({ ...base, ...stripe, NODE_ENV: 'production' });
    expect(config.stripe).toMatchObject({ secretKey: stripe.STRIPE_SECRET_KEY });
    expect(config.stripe?.apiUrl).toBeUndefined();
    expect(config.platformFeeBps).toBe(0);
  });

  it('starts with card payments off outside production when the secrets are absent', () => {
    expect(loadPaymentsConfig({ ...base, NODE_ENV: 'development' }).stripe).toBeUndefined();
  });

  it('refuses malformed secrets and fees', () => {
    expect(() =>
      loadPaymentsConfig({ ...base, ...stripe, STRIPE_SECRET_KEY: 'pk_test_0123456789' }),
    ).toThrow(/STRIPE_SECRET_KEY/);
    expect(() => loadPaymentsConfig({ ...base, ...stripe, STRIPE_PLATFORM_FEE_BPS: '-1' })).toThrow(
      /STRIPE_PLATFORM_FEE_BPS/,
    );
    expect(
      loadPaymentsConfig({ ...base, ...stripe, STRIPE_PLATFORM_FEE_BPS: '150' }).platformFeeBps,
    ).toBe(150);
  });
});
