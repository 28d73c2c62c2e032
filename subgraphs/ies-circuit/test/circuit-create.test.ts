import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainError } from '@welfare/kit/errors';
import { platformAdmin, type Suite } from '@welfare/kit/test-suite';
import { Circuit } from '../src/modules/circuit/circuit.entity.js';
import type { OrganisationDirectory } from '../src/modules/circuit/organisation-directory.js';
import { accountCodes, book } from '../src/modules/ledger/ledger.js';
import { Member } from '../src/modules/member/member.entity.js';
import type { Services } from '../src/services.js';
import {
  ANONYMOUS,
  CITIZEN,
  ORG_A,
  ORG_B,
  errorCode,
  errorFields,
  member,
  setupSuite,
} from './helpers.js';
import { expectSound } from './reserve-helpers.js';

/** A shop: an organisation that is not a Comune. */
const SHOP = randomUUID();

/** Identity's organisations as the lookup answers them (the service-to-service call is identity's). */
const organisations: OrganisationDirectory = {
  organisation: (id) => {
    const known: Record<string, { kind: string; name: string }> = {
      [ORG_A]: { kind: 'COMUNE', name: 'Comune di Partinico' },
      [ORG_B]: { kind: 'COMUNE', name: 'Comune di Trappeto' },
      [SHOP]: { kind: 'MERCHANT', name: 'Bottega' },
    };
    const found = known[id];
    return Promise.resolve(found ? { id, ...found } : null);
  },
};

let suite: Suite<Services>;

beforeAll(async () => {
  suite = await setupSuite('circuit_create', { organisations });
});
afterAll(() => suite.close());

const CREATE = /* GraphQL */ `
  mutation ($input: IesCircuitCreateInput!) {
    createIesCircuit(input: $input) {
      id
      code
      name
      territory
      managerId
      feeFixedCents
      feeBasisPoints
      feeMaxCents
      feePayer
      welfareExempt
      conversionFeeBasisPoints
      conversionFeeMinCents
      demurrageBasisPoints
      expiryMonths
      status
    }
  }
`;

let seq = 0;
function input(overrides: Record<string, unknown> = {}) {
  seq += 1;
  return {
    managerId: ORG_A,
    code: `partinico-${seq}-${randomUUID().slice(0, 6)}`,
    name: 'Circuito IES Partinico',
    territory: 'Partinico e Trappeto',
    feeFixedCents: 0,
    feeBasisPoints: 0,
    feeMaxCents: null,
    feePayer: 'PAYER',
    welfareExempt: true,
    conversionFeeBasisPoints: 0,
    conversionFeeMinCents: 0,
    demurrageBasisPoints: 0,
    expiryMonths: null,
    ...overrides,
  };
}

const MANAGER_A = member(ORG_A, 'COMUNE', 'MANAGER');

async function circuitCount(): Promise<number> {
  return suite.orm.em.fork().count(Circuit, {});
}

async function auditCount(): Promise<number> {
  const rows = await suite.orm.em
    .fork()
    .getConnection()
    .execute<{ n: string }[]>(
      `select count(*)::text as n from "ies_circuit"."audit_event" where action = 'IES_CIRCUIT_CREATED'`,
    );
  return Number(rows[0]!.n);
}

describe('createIesCircuit', () => {
  it('lets a Comune’s MANAGER create one: accounts, the Comune an ACTIVE member with a wallet, audited, listed at once', async () => {
    const data = input({
      feeFixedCents: 5,
      feeBasisPoints: 100,
      feeMaxCents: 100,
      expiryMonths: 12,
    });
    const before = await auditCount();
    const result = await suite.run<{ createIesCircuit: { id: string; code: string } }>(
      CREATE,
      { input: data },
      MANAGER_A,
    );
    expect(result.errors).toBeUndefined();
    const created = result.data!.createIesCircuit;
    expect(created).toMatchObject({
      code: data.code,
      name: 'Circuito IES Partinico',
      territory: 'Partinico e Trappeto',
      managerId: ORG_A,
      feeFixedCents: 5,
      feeBasisPoints: 100,
      feeMaxCents: 100,
      feePayer: 'PAYER',
      welfareExempt: true,
      expiryMonths: 12,
      status: 'ACTIVE',
    });
    const em = suite.orm.em.fork();
    const comune = await em.findOneOrFail(Member, { circuitId: created.id });
    expect(comune).toMatchObject({
      kind: 'COMUNE',
      organisationId: ORG_A,
      status: 'ACTIVE',
      displayName: 'Comune di Partinico',
    });
    const accounts = await book.accounts(em, {
      codes: [
        accountCodes.issuer(created.id),
        accountCodes.fees(created.id),
        accountCodes.rewards(created.id),
        accountCodes.wallet(created.id, comune.id),
      ],
    });
    expect(accounts).toHaveLength(4);
    for (const account of accounts) expect(account.posted).toBe(0);
    await expectSound(em);
    expect(await auditCount()).toBe(before + 1);

    const lists = await suite.run<{
      iesCircuits: { code: string }[];
      myManagedIesCircuits: { code: string }[];
      iesCircuit: { id: string };
    }>(
      `query ($code: String!) { iesCircuits { code } myManagedIesCircuits { code } iesCircuit(code: $code) { id } }`,
      { code: data.code },
      MANAGER_A,
    );
    expect(lists.errors).toBeUndefined();
    expect(lists.data!.iesCircuits.map((c) => c.code)).toContain(data.code);
    expect(lists.data!.myManagedIesCircuits.map((c) => c.code)).toContain(data.code);
    expect(lists.data!.iesCircuit.id).toBe(created.id);
  });

  it('refuses an OPERATOR, another Comune’s MANAGER, a non-Comune’s MANAGER, a citizen and anyone anonymous, writing nothing', async () => {
    const before = await circuitCount();
    const cases = [
      [member(ORG_A, 'COMUNE', 'OPERATOR'), 'FORBIDDEN'],
      [member(ORG_B, 'COMUNE', 'MANAGER'), 'FORBIDDEN'],
      [member(ORG_A, 'COOPERATIVE', 'MANAGER'), 'FORBIDDEN'],
      [CITIZEN, 'FORBIDDEN'],
      [ANONYMOUS, 'UNAUTHENTICATED'],
    ] as const;
    for (const [caller, code] of cases) {
      const result = await suite.run(CREATE, { input: input() }, caller);
      expect(errorCode(result)).toBe(code);
    }
    expect(await circuitCount()).toBe(before);
  });

  it('lets a platform admin create one for any Comune, not for another kind of organisation', async () => {
    const admin = platformAdmin();
    const ok = await suite.run(CREATE, { input: input({ managerId: ORG_B }) }, admin);
    expect(ok.errors).toBeUndefined();
    expect(ok.data?.createIesCircuit).toMatchObject({ managerId: ORG_B });

    const before = await circuitCount();
    for (const managerId of [SHOP, randomUUID()]) {
      const refused = await suite.run(CREATE, { input: input({ managerId }) }, admin);
      expect(errorFields(refused)).toEqual(['managerId']);
    }
    expect(await circuitCount()).toBe(before);
  });

  it('answers a taken code with the field error `code` (a double submit too)', async () => {
    const data = input();
    const first = await suite.run(CREATE, { input: data }, MANAGER_A);
    expect(first.errors).toBeUndefined();
    const before = await circuitCount();
    const again = await suite.run(CREATE, { input: { ...data, name: 'Un altro nome' } }, MANAGER_A);
    expect(errorCode(again)).toBe('BAD_USER_INPUT');
    expect(errorFields(again)).toEqual(['code']);
    expect(await circuitCount()).toBe(before);
  });

  it('gives every bad field its error (Italian and English), writing nothing', async () => {
    const before = await circuitCount();
    const auditBefore = await auditCount();
    const bad = input({
      code: 'Non Valido!',
      name: 'x',
      territory: ' ',
      feeFixedCents: -1,
      feeBasisPoints: 1001,
      feeMaxCents: 200_000,
      conversionFeeBasisPoints: 2001,
      conversionFeeMinCents: -5,
      demurrageBasisPoints: 501,
      expiryMonths: 0,
    });
    const result = await suite.run(CREATE, { input: bad }, MANAGER_A);
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(errorFields(result).sort()).toEqual(
      [
        'code',
        'name',
        'territory',
        'feeFixedCents',
        'feeBasisPoints',
        'feeMaxCents',
        'conversionFeeBasisPoints',
        'conversionFeeMinCents',
        'demurrageBasisPoints',
        'expiryMonths',
      ].sort(),
    );
    const fields = (result.errors![0]!.originalError as DomainError).fields;
    for (const f of fields) {
      expect(f.message.it).toBeTruthy();
      expect(f.message.en).toBeTruthy();
    }
    for (const code of ['a'.repeat(41), '-a', 'a--b', 'a-', 'àb', '']) {
      const one = await suite.run(CREATE, { input: input({ code }) }, MANAGER_A);
      expect(errorFields(one), code).toEqual(['code']);
    }
    const cap = await suite.run(
      CREATE,
      { input: input({ feeFixedCents: 50, feeMaxCents: 10 }) },
      MANAGER_A,
    );
    expect(errorFields(cap)).toEqual(['feeMaxCents']);
    const id = await suite.run(CREATE, { input: input({ managerId: 'not-a-uuid' }) }, MANAGER_A);
    expect(errorFields(id)).toEqual(['managerId']);
    expect(await circuitCount()).toBe(before);
    expect(await auditCount()).toBe(auditBefore);
  });

  it('makes exactly one circuit of two concurrent creates of one code', async () => {
    const data = input();
    const results = await Promise.all([
      suite.run(CREATE, { input: data }, MANAGER_A),
      suite.run(CREATE, { input: data }, platformAdmin()),
    ]);
    const ok = results.filter((r) => r.errors === undefined);
    const refused = results.filter((r) => r.errors !== undefined);
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(errorFields(refused[0]!)).toEqual(['code']);
    const em = suite.orm.em.fork();
    expect(await em.count(Circuit, { code: data.code })).toBe(1);
    const circuit = await em.findOneOrFail(Circuit, { code: data.code });
    expect(await em.count(Member, { circuitId: circuit.id })).toBe(1);
    await expectSound(em);
  });
});
