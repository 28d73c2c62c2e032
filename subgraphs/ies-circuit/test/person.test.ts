import { randomUUID } from 'node:crypto';
import type { PersonCaller } from '@welfare/kit';
import { citizen, type Suite } from '@welfare/kit/test-suite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Circuit } from '../src/modules/circuit/circuit.entity.js';
import type { Services } from '../src/services.js';
import { randomFiscalCode, seedCircuit, seedMember } from './fixtures.js';
import { ADMIN, ANONYMOUS, ORG_A, ORG_B, SERVICE, member, setupSuite } from './helpers.js';

// `Person.iesWallets`: identity's Person, extended by key. The gateway asks for it through
// `_entities` with the person's id; only the person themselves gets their wallets.

let suite: Suite<Services>;
let circuit: Circuit;
let other: Circuit;
const SHOP = randomUUID();

const WALLETS = `query ($reps: [_Any!]!) {
  _entities(representations: $reps) {
    ... on Person {
      id
      iesWallets {
        balanceCents availableCents
        circuit { code name }
        member { id kind status organisationId }
      }
    }
  }
}`;

interface Wallets {
  _entities: {
    id: string;
    iesWallets: {
      balanceCents: number;
      availableCents: number;
      circuit: { code: string; name: string };
      member: { id: string; kind: string; status: string; organisationId: string | null };
    }[];
  }[];
}

const asCitizen = (fiscalCode = randomFiscalCode()): PersonCaller & { fiscalCode: string } => ({
  ...citizen(),
  fiscalCode,
});

async function walletsOf(personId: string, caller: Parameters<Suite<Services>['run']>[2]) {
  const answer = await suite.run(
    WALLETS,
    { reps: [{ __typename: 'Person', id: personId }] },
    caller,
  );
  expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
  return (answer.data as unknown as Wallets)._entities[0]!;
}

beforeAll(async () => {
  suite = await setupSuite('person');
  const em = suite.orm.em.fork();
  circuit = (await seedCircuit(em, ORG_A, { name: 'Circuito di Balestrate' })).circuit;
  other = (await seedCircuit(em, ORG_B, { name: 'Circuito di Trappeto' })).circuit;
});
afterAll(() => suite.close());

describe('Person.iesWallets', () => {
  it('gives the person their citizen memberships of every circuit, with the balances', async () => {
    const person = asCitizen();
    const em = suite.orm.em.fork();
    const here = await seedMember(em, circuit.id, {
      fiscalCode: person.fiscalCode,
      personId: person.personId,
      issuedCents: 1_250,
    });
    const there = await seedMember(em, other.id, {
      fiscalCode: person.fiscalCode,
      personId: person.personId,
    });
    // Someone else's wallet in the same circuit is not theirs.
    await seedMember(em, circuit.id, { issuedCents: 999 });

    const { id, iesWallets } = await walletsOf(person.personId, person);
    expect(id).toBe(person.personId);
    expect(iesWallets).toHaveLength(2);
    const byCode = new Map(iesWallets.map((w) => [w.circuit.code, w]));
    expect(byCode.get(circuit.code)).toEqual({
      balanceCents: 1_250,
      availableCents: 1_250,
      circuit: { code: circuit.code, name: 'Circuito di Balestrate' },
      member: { id: here.member.id, kind: 'CITIZEN', status: 'ACTIVE', organisationId: null },
    });
    expect(byCode.get(other.code)).toMatchObject({
      balanceCents: 0,
      member: { id: there.member.id, status: 'ACTIVE' },
    });
    // The same as `myIesMemberships` (the service both read).
    const mine = await suite.run(`{ myIesMemberships { id } }`, {}, person);
    expect(
      (mine.data as { myIesMemberships: { id: string }[] }).myIesMemberships
        .map((m) => m.id)
        .sort(),
    ).toEqual(iesWallets.map((w) => w.member.id).sort());
  });

  it('gives the organisations’ wallets to the person who acts for them, of every status', async () => {
    const cashier = member(SHOP, 'MERCHANT', 'CASHIER');
    const em = suite.orm.em.fork();
    const shop = await seedMember(em, circuit.id, {
      kind: 'BUSINESS',
      organisationId: SHOP,
      issuedCents: 400,
    });
    const { iesWallets } = await walletsOf(cashier.personId, cashier);
    expect(iesWallets).toEqual([
      {
        balanceCents: 400,
        availableCents: 400,
        circuit: { code: circuit.code, name: 'Circuito di Balestrate' },
        member: { id: shop.member.id, kind: 'BUSINESS', status: 'ACTIVE', organisationId: SHOP },
      },
    ]);
    // Suspended by the circuit's staff: still the shop's wallet, shown with its status.
    const suspended = await suite.run(
      `mutation ($id: ID!) { decideIesMember(memberId: $id, decision: SUSPEND, reason: "Controlli in corso") { status } }`,
      { id: shop.member.id },
      member(ORG_A, 'COMUNE', 'MANAGER'),
    );
    expect(suspended.errors, JSON.stringify(suspended.errors)).toBeUndefined();
    expect((await walletsOf(cashier.personId, cashier)).iesWallets[0]!.member.status).toBe(
      'SUSPENDED',
    );
  });

  it('gives anyone else an empty list: another person, a platform admin, a service, the anonymous', async () => {
    const person = asCitizen();
    const em = suite.orm.em.fork();
    await seedMember(em, circuit.id, {
      fiscalCode: person.fiscalCode,
      personId: person.personId,
      issuedCents: 700,
    });
    expect((await walletsOf(person.personId, person)).iesWallets).toHaveLength(1);
    for (const caller of [
      asCitizen(),
      ADMIN,
      member(ORG_A, 'COMUNE', 'MANAGER'),
      SERVICE,
      ANONYMOUS,
    ]) {
      expect((await walletsOf(person.personId, caller)).iesWallets).toEqual([]);
    }
    // Another person's session carrying the person's codice fiscale is still another person.
    const impostor = { ...asCitizen(person.fiscalCode) };
    expect((await walletsOf(person.personId, impostor)).iesWallets).toEqual([]);
    // A person who is a member of nothing: an empty list, no error.
    const nobody = asCitizen();
    expect((await walletsOf(nobody.personId, nobody)).iesWallets).toEqual([]);
  });
});
