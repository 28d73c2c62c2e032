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

/** What the checkout needs in production: its key and the owners' URLs. */
const services = {
  SERVICE_PRIVATE_KEY: '{"kty":"OKP","crv":"Ed25519","x":"abc","d":"def"}',
  SERVICE_URL_PUBLIC_WELFARE: 'http://127.0.0.1:4002',
  SERVICE_URL_CORPORATE_WELFARE: 'http://127.0.0.1:4007',
  SERVICE_URL_IES_CIRCUIT: 'http://127.0.0.1:4008',
  SERVICE_URL_THIRD_SECTOR: 'http://127.0.0.1:4003',
  SERVICE_URL_IDENTITY: 'http://127.0.0.1:4001',
  PAGOPA_SEGREGATION_CODE: '01',
};

describe('payments configuration', () => {
  it('requires the checkout’s key and owners in production, and leaves out unknown owners elsewhere', () => {
    expect(() => loadPaymentsConfig({ ...base, ...stripe, NODE_ENV: 'production' })).toThrow(
      /SERVICE_URL_PUBLIC_WELFARE: required in production[\s\S]*SERVICE_URL_CORPORATE_WELFARE: required in production[\s\S]*SERVICE_URL_IES_CIRCUIT: required in production[\s\S]*SERVICE_URL_THIRD_SECTOR[\s\S]*SERVICE_PRIVATE_KEY/,
    );
    // Every fund owner by default: the Comuni's voucher credit, the employers' plan credit and
    // the members' IES.
    expect(
      loadPaymentsConfig({
        ...base,
        SERVICE_URL_PUBLIC_WELFARE: services.SERVICE_URL_PUBLIC_WELFARE,
        SERVICE_URL_CORPORATE_WELFARE: services.SERVICE_URL_CORPORATE_WELFARE,
        SERVICE_URL_IES_CIRCUIT: services.SERVICE_URL_IES_CIRCUIT,
      }).checkout.fundOwners,
    ).toEqual({
      'public-welfare': 'http://127.0.0.1:4002',
      'corporate-welfare': 'http://127.0.0.1:4007',
      'ies-circuit': 'http://127.0.0.1:4008',
    });
    const dev = loadPaymentsConfig({
      ...base,
      SERVICE_URL_THIRD_SECTOR: services.SERVICE_URL_THIRD_SECTOR,
    });
    expect(dev.checkout.fundOwners).toEqual({});
    expect(dev.checkout.payableOwners).toEqual({ 'third-sector': 'http://127.0.0.1:4003' });
    expect(dev.checkout.holdMinutes).toBe(31);
    expect(dev.checkout.leaseMs).toBe(15_000);
    expect(() => loadPaymentsConfig({ ...base, CHECKOUT_LEASE_MS: '999' })).toThrow(
      /CHECKOUT_LEASE_MS/,
    );
    expect(() => loadPaymentsConfig({ ...base, CHECKOUT_HOLD_MINUTES: '29' })).toThrow(
      /CHECKOUT_HOLD_MINUTES/,
    );
  });

  it('requires both Stripe secrets in production, naming each missing one', () => {
    expect(() => loadPaymentsConfig({ ...base, NODE_ENV: 'production' })).toThrow(
      /STRIPE_SECRET_KEY: required in production[\s\S]*STRIPE_WEBHOOK_SECRET: required/,
    );
    const config = loadPaymentsConfig({ ...base, ...stripe, ...services, NODE_ENV: 'production' });
    expect(config.stripe).toMatchObject({ secretKey: stripe.STRIPE_SECRET_KEY });
    expect(config.stripe?.apiUrl).toBeUndefined();
    expect(config.platformFeeBps).toBe(0);
  });

  it('starts with card payments off outside production when the secrets are absent', () => {
    expect(loadPaymentsConfig({ ...base, NODE_ENV: 'development' }).stripe).toBeUndefined();
  });

  it('requires pagoPA’s codice segregazione and identity in production, and checks the code', () => {
    const { PAGOPA_SEGREGATION_CODE: _code, SERVICE_URL_IDENTITY: _identity, ...rest } = services;
    expect(() =>
      loadPaymentsConfig({ ...base, ...stripe, ...rest, NODE_ENV: 'production' }),
    ).toThrow(
      /PAGOPA_SEGREGATION_CODE: required in production[\s\S]*SERVICE_URL_IDENTITY: required/,
    );
    const config = loadPaymentsConfig({ ...base, ...stripe, ...services, NODE_ENV: 'production' });
    expect(config.pagopa).toEqual({ segregationCode: '01', maxDueDays: 1_830 });
    expect(config.identityUrl).toBe('http://127.0.0.1:4001');
    expect(loadPaymentsConfig(base).pagopa.segregationCode).toBe('01');
    for (const bad of ['1', '50', '99', 'ab']) {
      expect(() => loadPaymentsConfig({ ...base, PAGOPA_SEGREGATION_CODE: bad })).toThrow(
        /PAGOPA_SEGREGATION_CODE/,
      );
    }
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
