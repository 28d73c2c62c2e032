import { randomBytes } from 'node:crypto';
import { ConfigError } from '@welfare/kit';
import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_PII_KEY } from '@welfare/kit';
import { loadIdentityConfig } from './config.js';

const base = {
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/welfare',
  GATEWAY_PUBLIC_KEY: '{"kty":"OKP","crv":"Ed25519","x":"abc"}',
};

describe('loadIdentityConfig', () => {
  it('has safe defaults for the embedded run', () => {
    const config = loadIdentityConfig(base);
    expect(config.port).toBe(4001);
    expect(config.sessionTtlHours).toBe(12);
    expect(config.piiKey.toString('base64')).toBe(DEVELOPMENT_PII_KEY);
    expect(config.oidc).toBeUndefined();
  });

  it('requires PII_KEY in production and refuses a key that is not 32 bytes', () => {
    expect(() => loadIdentityConfig({ ...base, NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() =>
      loadIdentityConfig({ ...base, PII_KEY: randomBytes(16).toString('base64') }),
    ).toThrow(/PII_KEY/);
    const key = randomBytes(32).toString('base64');
    expect(
      loadIdentityConfig({ ...base, NODE_ENV: 'production', PII_KEY: key }).piiKey.toString(
        'base64',
      ),
    ).toBe(key);
  });

  it('turns the citizen login on only with issuer, client id and secret', () => {
    const oidc = {
      OIDC_ISSUER: 'http://127.0.0.1:4100',
      OIDC_CLIENT_ID: 'portal',
      OIDC_CLIENT_SECRET: 's3cret',
    };
    expect(loadIdentityConfig({ ...base, ...oidc }).oidc).toEqual({
      issuer: 'http://127.0.0.1:4100',
      clientId: 'portal',
      clientSecret: 's3cret',
    });
    expect(loadIdentityConfig({ ...base, ...oidc, OIDC_CLIENT_SECRET: '' }).oidc).toBeUndefined();
    expect(() => loadIdentityConfig({ ...base, ...oidc, OIDC_ISSUER: 'not a url' })).toThrow(
      /OIDC_ISSUER/,
    );
  });

  it('has the login and recovery limits with defaults, and checks them together', () => {
    const config = loadIdentityConfig(base);
    expect(config.loginLimits).toMatchObject({
      freeFailures: 5,
      backoffBaseSeconds: 1,
      backoffMaxSeconds: 900,
      addressMaxFailures: 50,
    });
    expect(config.passwordReset).toMatchObject({
      ttlMinutes: 30,
      portalUrl: 'http://localhost:3000',
    });
    expect(config.delivery).toMatchObject({ smtp: null, unconfigured: 'outbox' });
    expect(
      loadIdentityConfig({
        ...base,
        NODE_ENV: 'production',
        PII_KEY: randomBytes(32).toString('base64'),
      }).delivery.unconfigured,
    ).toBe('fail');
    expect(() => loadIdentityConfig({ ...base, LOGIN_FAILURE_MEMORY_MINUTES: '10' })).toThrow(
      /LOGIN_FAILURE_MEMORY_MINUTES/,
    );
    expect(() => loadIdentityConfig({ ...base, SMTP_URL: 'smtp://mail.example.it:587' })).toThrow(
      /SMTP_FROM/,
    );
    expect(() => loadIdentityConfig({ ...base, SMTP_URL: 'http://mail.example.it' })).toThrow(
      /SMTP_URL/,
    );
  });
});
