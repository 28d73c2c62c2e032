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
      stripeConnectOrigin: 'https://connect.stripe.com',
      mapTiles: {
        url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
        origin: 'https://tile.openstreetmap.org',
        attribution: '© OpenStreetMap contributors',
      },
      legal: {
        controller: {
          name: 'Comune di Balestrate',
          address: 'Via Roma 1, 90041 Balestrate (PA)',
          email: 'protocollo@balestrate.demo',
          pec: 'protocollo@pec.balestrate.demo',
          phone: '+39 091 000 0000',
        },
        dpoEmail: 'dpo@balestrate.demo',
        accessibilityEmail: 'accessibilita@balestrate.demo',
        supportEmail: 'assistenza@balestrate.demo',
        sourceCodeUrl: null,
        retention: {
          caseFilesYears: 10,
          accountingYears: 10,
          registryMonths: 24,
          accountMonths: 12,
          logMonths: 12,
        },
      },
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

  it('requires the data controller in production (the privacy notices name it)', () => {
    const production = { NODE_ENV: 'production', ORIGIN: 'https://welfare.example' };
    expect(() => parseConfig(production)).toThrow(
      /CONTROLLER_NAME, CONTROLLER_EMAIL, CONTROLLER_PEC, DPO_EMAIL required in production/,
    );
    const legal = parseConfig({
      ...production,
      CONTROLLER_NAME: 'Comune di Lecce',
      CONTROLLER_EMAIL: 'protocollo@comune.lecce.it',
      CONTROLLER_PEC: 'protocollo@pec.comune.lecce.it',
      DPO_EMAIL: 'rpd@comune.lecce.it',
      RETENTION_CASE_FILES_YEARS: '5',
    }).legal;
    expect(legal.controller.name).toBe('Comune di Lecce');
    expect(legal.retention.caseFilesYears).toBe(5);
    expect(() => parseConfig({ DPO_EMAIL: 'not-an-address' })).toThrow(/DPO_EMAIL/);
  });

  it('reads the map tiles: a template with {z}, {x}, {y}, or none', () => {
    expect(
      parseConfig({ MAP_TILE_URL: 'http://127.0.0.1:9999/tiles/{z}/{x}/{y}.png' }).mapTiles,
    ).toMatchObject({ origin: 'http://127.0.0.1:9999' });
    expect(parseConfig({ MAP_TILE_URL: 'none' }).mapTiles).toBeNull();
    expect(() => parseConfig({ MAP_TILE_URL: 'https://{s}.tile.example/{z}/{x}/{y}.png' })).toThrow(
      /MAP_TILE_URL/,
    );
    expect(() => parseConfig({ MAP_TILE_URL: 'https://tiles.example/' })).toThrow(/MAP_TILE_URL/);
  });
});
