import { describe, expect, it } from 'vitest';
import { ConfigError } from '@welfare/kit';
import { gatewayConfig } from './config.js';

describe('gatewayConfig', () => {
  it('requires the signing key and reads subgraph URL overrides', () => {
    expect(() => gatewayConfig({})).toThrow(ConfigError);
    const config = gatewayConfig({
      GATEWAY_PRIVATE_KEY: '{"kty":"OKP","crv":"Ed25519","d":"x","x":"y"}',
      SUBGRAPH_URL_IDENTITY: 'http://127.0.0.1:5001/graphql',
      SUBGRAPH_URL_PUBLIC_WELFARE: 'http://127.0.0.1:5002/graphql',
      NODE_ENV: 'production',
    });
    expect(config.subgraphUrls).toEqual({
      identity: 'http://127.0.0.1:5001/graphql',
      'public-welfare': 'http://127.0.0.1:5002/graphql',
    });
    expect(config.production).toBe(true);
    expect(config.PORT).toBe(4000);
  });
  it('refuses a malformed override without echoing secrets', () => {
    expect(() =>
      gatewayConfig({ GATEWAY_PRIVATE_KEY: 'x'.repeat(20), SUBGRAPH_URL_IDENTITY: 'not a url' }),
    ).toThrow();
  });
});
