import { createLogger } from '@welfare/kit';
import { generateGatewayKeys } from '@welfare/kit/auth';
import {
  ORGANISATION_PATHS,
  organisationLookupResponse,
  type OrganisationLookupResponse,
} from '@welfare/kit/contracts';
import { ServiceClient, ServiceRefusal } from '@welfare/kit/service';
import { startSubgraph, type RunningSubgraph } from '@welfare/kit/subgraph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANISATIONS } from '../src/demo/accounts.js';
import { loadDemoData } from '../src/demo/load-demo-data.js';
import { organisationRoutes } from '../src/modules/organisation/organisation.routes.js';
import { buildIdentitySchema } from '../src/schema.js';
import { setupSuite, type Suite } from './helpers.js';

let suite: Suite;
let server: RunningSubgraph;
let keys: Record<
  'payments' | 'thirdSector' | 'iesCircuit',
  { privateKey: string; publicKey: string }
>;

beforeAll(async () => {
  suite = await setupSuite('org_lookup');
  await loadDemoData(suite.orm.em.fork(), suite.services.persons);
  keys = {
    payments: await generateGatewayKeys(),
    thirdSector: await generateGatewayKeys(),
    iesCircuit: await generateGatewayKeys(),
  };
  server = await startSubgraph({
    name: 'identity',
    schema: await buildIdentitySchema(suite.services),
    orm: suite.orm,
    host: '127.0.0.1',
    port: 0,
    gatewayPublicKey: (await generateGatewayKeys()).publicKey,
    logger: createLogger('identity-test', 'silent'),
    internal: {
      publicKeys: {
        payments: keys.payments.publicKey,
        'third-sector': keys.thirdSector.publicKey,
        'ies-circuit': keys.iesCircuit.publicKey,
      },
      routes: organisationRoutes({ orm: suite.orm, organisations: suite.services.organisations }),
    },
  });
});
afterAll(async () => {
  await server.stop();
});

const client = (service: string, privateKey: string) =>
  new ServiceClient({ service, privateKey, audience: 'identity', baseUrl: server.url });
const lookup = (c: ServiceClient, organisationId: string): Promise<OrganisationLookupResponse> =>
  c.call(ORGANISATION_PATHS.lookup, { organisationId }, organisationLookupResponse);

describe('POST /internal/organisation (a pagoPA creditor)', () => {
  it('answers payments the Comune’s name and codice fiscale', async () => {
    const balestrate = DEMO_ORGANISATIONS.balestrate;
    await expect(
      lookup(client('payments', keys.payments.privateKey), balestrate.id),
    ).resolves.toEqual({
      id: balestrate.id,
      kind: 'COMUNE',
      name: balestrate.name,
      taxCode: balestrate.taxCode,
    });
    const unknown = await lookup(
      client('payments', keys.payments.privateKey),
      '0b7c2d1e-0000-4000-8000-00000000ffff',
    ).catch((err: unknown) => err);
    expect(unknown).toBeInstanceOf(ServiceRefusal);
    expect((unknown as ServiceRefusal).code).toBe('NOT_FOUND');
  });

  it('answers ies-circuit an organisation’s kind and name (a new circuit’s manager Comune)', async () => {
    const iesCircuit = client('ies-circuit', keys.iesCircuit.privateKey);
    const balestrate = DEMO_ORGANISATIONS.balestrate;
    await expect(lookup(iesCircuit, balestrate.id)).resolves.toMatchObject({
      kind: 'COMUNE',
      name: balestrate.name,
    });
    const shop = DEMO_ORGANISATIONS.daRosa;
    await expect(lookup(iesCircuit, shop.id)).resolves.toMatchObject({ kind: 'MERCHANT' });
  });

  it('refuses any other service, a forged key and no token', async () => {
    const id = DEMO_ORGANISATIONS.balestrate.id;
    const other = await lookup(client('third-sector', keys.thirdSector.privateKey), id).catch(
      (err: unknown) => err,
    );
    expect((other as ServiceRefusal).status).toBe(403);
    const forged = await lookup(
      client('payments', (await generateGatewayKeys()).privateKey),
      id,
    ).catch((err: unknown) => err);
    expect((forged as ServiceRefusal).status).toBe(401);
    const bare = await fetch(`${server.url}${ORGANISATION_PATHS.lookup}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ organisationId: id }),
    });
    expect(bare.status).toBe(401);
  });
});
