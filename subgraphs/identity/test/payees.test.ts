import { randomUUID } from 'node:crypto';
import { createLogger } from '@welfare/kit';
import { generateGatewayKeys } from '@welfare/kit/auth';
import { REIMBURSEMENT_PATHS, payeesResponse } from '@welfare/kit/contracts';
import { ServiceClient, ServiceRefusal } from '@welfare/kit/service';
import { startSubgraph, type RunningSubgraph } from '@welfare/kit/subgraph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANISATIONS } from '../src/demo/accounts.js';
import { loadDemoData } from '../src/demo/load-demo-data.js';
import { organisationRoutes } from '../src/modules/organisation/organisation.routes.js';
import { buildIdentitySchema } from '../src/schema.js';
import { setupSuite, type Suite } from './helpers.js';

/*
 * The reimbursement contract's payees (public-welfare's batches pay providers): the organisations'
 * names and IBANs, for public-welfare's service token only.
 */

let suite: Suite;
let server: RunningSubgraph;
let welfare: ServiceClient;
let payments: ServiceClient;
const LA_ESSE = DEMO_ORGANISATIONS.laEsse;
const AMICI = DEMO_ORGANISATIONS.amiciBalestrate;

beforeAll(async () => {
  suite = await setupSuite('payees');
  await loadDemoData(suite.orm.em.fork(), suite.services.persons);
  const keys = {
    'public-welfare': await generateGatewayKeys(),
    payments: await generateGatewayKeys(),
    gateway: await generateGatewayKeys(),
  };
  server = await startSubgraph({
    name: 'identity',
    schema: await buildIdentitySchema(suite.services),
    orm: suite.orm,
    host: '127.0.0.1',
    port: 0,
    gatewayPublicKey: keys.gateway.publicKey,
    logger: createLogger('identity-test', 'silent'),
    internal: {
      publicKeys: {
        'public-welfare': keys['public-welfare'].publicKey,
        payments: keys.payments.publicKey,
      },
      routes: organisationRoutes({ orm: suite.orm, organisations: suite.services.organisations }),
    },
  });
  const client = (service: 'public-welfare' | 'payments') =>
    new ServiceClient({
      service,
      privateKey: keys[service].privateKey,
      audience: 'identity',
      baseUrl: server.url,
    });
  welfare = client('public-welfare');
  payments = client('payments');
  // An organisation without an IBAN: its line will be held back.
  await suite.orm.em
    .getConnection()
    .execute(`update "identity"."organisation" set iban = null where id = ?`, [AMICI.id]);
});
afterAll(async () => {
  await server.stop(); // also closes the ORM
});

describe('payees of the reimbursement batches', () => {
  it('answers names and IBANs (null when missing), leaving unknown ids out', async () => {
    const { payees } = await welfare.call(
      REIMBURSEMENT_PATHS.payees,
      { organisationIds: [LA_ESSE.id, AMICI.id.toUpperCase(), randomUUID()] },
      payeesResponse,
    );
    expect(payees.sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      [
        { organisationId: LA_ESSE.id, name: LA_ESSE.name, iban: LA_ESSE.iban },
        { organisationId: AMICI.id, name: AMICI.name, iban: null },
      ].sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  it('refuses another service (403) and a bad body (400 with the field)', async () => {
    const other = await payments
      .call(REIMBURSEMENT_PATHS.payees, { organisationIds: [LA_ESSE.id] }, payeesResponse)
      .catch((e: unknown) => e);
    expect(other).toBeInstanceOf(ServiceRefusal);
    expect(other).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    const bad = await welfare
      .call(REIMBURSEMENT_PATHS.payees, { organisationIds: ['x'] }, payeesResponse)
      .catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'BAD_USER_INPUT', status: 400 });
    expect((bad as ServiceRefusal).fields.map((f) => f.field)).toEqual(['organisationIds.0']);
  });
});
