import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';

describe('parseConfig', () => {
  it('has safe defaults for the embedded run', () => {
    expect(parseConfig({})).toEqual({
      gatewayUrl: 'http://127.0.0.1:4000/graphql',
      origin: 'http://localhost:3000',
      publicBaseUrl: 'http://localhost:3000',
      gatewayTimeoutMs: 5000,
      hstsMaxAgeS: 31536000,
    });
  });

  it('reads ORIGIN, PUBLIC_BASE_URL and GATEWAY_URL', () => {
    const config = parseConfig({
      ORIGIN: 'https://welfare.example/',
      PUBLIC_BASE_URL: 'https://welfare.example/portale/',
      GATEWAY_URL: 'http://gateway:4000/graphql',
    });
    expect(config.origin).toBe('https://welfare.example');
    expect(config.publicBaseUrl).toBe('https://welfare.example/portale');
    expect(config.gatewayUrl).toBe('http://gateway:4000/graphql');
  });

  it('reads HSTS_MAX_AGE_S, 0 included (browsers forget the rule)', () => {
    expect(parseConfig({ HSTS_MAX_AGE_S: '0' }).hstsMaxAgeS).toBe(0);
    expect(() => parseConfig({ HSTS_MAX_AGE_S: '-1' })).toThrow(/HSTS_MAX_AGE_S/);
    expect(() => parseConfig({ HSTS_MAX_AGE_S: '1.5' })).toThrow(/HSTS_MAX_AGE_S/);
  });

  it('treats empty variables as unset', () => {
    expect(parseConfig({ ORIGIN: '' }).origin).toBe('http://localhost:3000');
  });

  it('lists every bad variable', () => {
    expect(() => parseConfig({ GATEWAY_URL: 'nope', PORT: 'x' })).toThrow(/GATEWAY_URL.*PORT/);
  });

  it('requires ORIGIN in production', () => {
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(/ORIGIN/);
  });
});
