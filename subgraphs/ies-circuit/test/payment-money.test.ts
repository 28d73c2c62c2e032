import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { openOrm } from '@welfare/kit/orm';
import { citizen, type Suite } from '@welfare/kit/test-suite';
import type { DomainError } from '@welfare/kit/errors';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransferCode, book, issue } from '../src/modules/ledger/ledger.js';
import { paymentIds } from '../src/modules/payment/payment.service.js';
import { iesCircuitOrmSettings } from '../src/orm.js';
import { createServices, type Services } from '../src/services.js';
import { randomFiscalCode, seedCircuit, seedMember } from './fixtures.js';
import { ORG_A, member, setupSuite } from './helpers.js';

/*
 * The money of payments under load: concurrent payments never overdraw and their fees add up,
 * random sequences of issuance and payments keep circulation = what was issued, and payments cut
 * off mid-burst (their connections terminated) leave nothing half done.
 */

let suite: Suite<Services>;

beforeAll(async () => {
  suite = await setupSuite('payment_money', {});
});
afterAll(() => suite.close());

const asCitizen = (fiscalCode: string) => ({ ...citizen(), fiscalCode });

async function balances(em: EntityManager, ids: readonly string[]): Promise<Map<string, number>> {
  const accounts = await book.accounts(em, { ids });
  return new Map(accounts.map((a) => [a.id, a.creditsPosted - a.debitsPosted - a.debitsPending]));
}

/** A circuit, a shop taking requests without an amount, `payers` citizens holding `cents` each. */
async function world(payers: number, cents: number) {
  const em = suite.orm.em.fork();
  const { circuit, accounts } = await seedCircuit(em, ORG_A);
  const shopOrg = randomUUID();
  const shop = await seedMember(em, circuit.id, { kind: 'BUSINESS', organisationId: shopOrg });
  const citizens = [];
  for (let i = 0; i < payers; i++) {
    const fiscalCode = randomFiscalCode();
    const m = await seedMember(em, circuit.id, { fiscalCode, issuedCents: cents });
    citizens.push({ ...m, caller: asCitizen(fiscalCode) });
  }
  const request = await suite.services.payments.createRequest(
    em,
    member(shopOrg, 'MERCHANT', 'OWNER'),
    { circuitCode: circuit.code, description: 'Cassa', organisationId: shopOrg },
  );
  return { circuit, accounts, shop, citizens, request };
}

/** IES issued in the circuit (issuer's debits less credits) and what its other accounts hold. */
async function circulation(em: EntityManager, issuer: string, others: readonly string[]) {
  const [i] = await book.accounts(em, { ids: [issuer] });
  const held = [...(await balances(em, others)).values()].reduce((a, b) => a + b, 0);
  return { issued: i!.debitsPosted - i!.creditsPosted, held };
}

describe('payments under load', () => {
  it('40 concurrent payments out of one wallet never overdraw, and the fees add up exactly', async () => {
    const w = await world(1, 1_000);
    const payer = w.citizens[0]!;
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, () =>
        suite.services.payments.pay(suite.orm.em.fork(), payer.caller, {
          requestId: w.request.id,
          amountCents: 100,
          idempotencyKey: randomUUID(),
        }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    // 100 + fee (5 + 1) each: 9 fit in 1,000.
    expect(ok).toHaveLength(9);
    for (const r of refused) expect(String(r.reason)).toMatch(/Insufficient IES balance/);
    const em = suite.orm.em.fork();
    const b = await balances(em, [payer.walletId, w.shop.walletId, w.accounts.fees]);
    expect(b.get(payer.walletId)).toBe(1_000 - 9 * 106);
    expect(b.get(w.shop.walletId)).toBe(900);
    expect(b.get(w.accounts.fees)).toBe(9 * 6);
    const [fees] = await book.accounts(em, { ids: [w.accounts.fees] });
    expect(fees!.creditsPosted).toBe(9 * 6);
    expect((await book.checkInvariants(em)).problems).toEqual([]);
  });

  it('40 payers paying one shop at once all succeed (the shop and the fees are hot accounts)', async () => {
    const w = await world(40, 500);
    const results = await Promise.all(
      w.citizens.map((c) =>
        suite.services.payments.pay(suite.orm.em.fork(), c.caller, {
          requestId: w.request.id,
          amountCents: 250,
          idempotencyKey: randomUUID(),
        }),
      ),
    );
    expect(results).toHaveLength(40);
    const em = suite.orm.em.fork();
    const b = await balances(em, [w.shop.walletId, w.accounts.fees]);
    expect(b.get(w.shop.walletId)).toBe(40 * 250);
    expect(b.get(w.accounts.fees)).toBe(40 * 8);
    expect((await book.checkInvariants(em)).problems).toEqual([]);
  });

  it('random sequences of issuance and payments: wallets + fees + rewards = IES issued', async () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('issue' as const),
        to: fc.nat(4),
        cents: fc.integer({ min: 1, max: 3_000 }),
      }),
      fc.record({
        kind: fc.constant('pay' as const),
        from: fc.nat(4),
        to: fc.nat(4),
        cents: fc.integer({ min: 1, max: 4_000 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        async (ops, payeePays) => {
          const em = suite.orm.em.fork();
          const { circuit, accounts } = await seedCircuit(em, ORG_A, {
            feePayer: payeePays ? 'PAYEE' : 'PAYER',
          });
          const members = [];
          for (let i = 0; i < 5; i++) {
            const org = i >= 3 ? randomUUID() : undefined;
            const fiscalCode = randomFiscalCode();
            const m = await seedMember(
              em,
              circuit.id,
              org ? { kind: 'BUSINESS', organisationId: org } : { fiscalCode },
            );
            const caller = org ? member(org, 'MERCHANT', 'OWNER') : asCitizen(fiscalCode);
            const request = await suite.services.payments.createRequest(em, caller, {
              circuitCode: circuit.code,
              description: 'Prova',
              organisationId: org,
            });
            members.push({ ...m, org, caller, request });
          }
          const others = [accounts.fees, accounts.rewards, ...members.map((m) => m.walletId)];
          let feesExpected = 0;
          for (const o of ops) {
            if (o.kind === 'issue') {
              await issue(em, {
                id: randomUUID(),
                circuitId: circuit.id,
                creditAccountId: members[o.to]!.walletId,
                amount: o.cents,
                code: TransferCode.ISSUANCE,
                reserveReference: 'prova',
              });
            } else {
              const from = members[o.from]!;
              try {
                const p = await suite.services.payments.pay(suite.orm.em.fork(), from.caller, {
                  requestId: members[o.to]!.request.id,
                  amountCents: o.cents,
                  idempotencyKey: randomUUID(),
                  organisationId: from.org,
                });
                feesExpected += p.feeCents;
              } catch (err) {
                // Refused whole: paying oneself, or not enough in the wallet.
                expect((err as DomainError).code).toBe(
                  o.from === o.to ? 'BAD_USER_INPUT' : 'CONFLICT',
                );
              }
            }
            const view = suite.orm.em.fork();
            const c = await circulation(view, accounts.issuer, others);
            expect(c.held).toBe(c.issued);
            const [fees] = await book.accounts(view, { ids: [accounts.fees] });
            expect(fees!.creditsPosted).toBe(feesExpected);
            for (const b of (await balances(view, others)).values())
              expect(b).toBeGreaterThanOrEqual(0);
          }
          expect((await book.checkInvariants(suite.orm.em.fork())).problems).toEqual([]);
        },
      ),
      { numRuns: 12, seed: 20261207 },
    );
  });

  it('payments cut off mid-burst (connections terminated) are done whole or not at all; retried by key, once', async () => {
    const w = await world(12, 2_000);
    const url = suite.orm.config.get('clientUrl')!;
    const crashing = await openOrm(iesCircuitOrmSettings(url, 8), { migrate: false });
    const services = createServices();
    const attempts = w.citizens.flatMap((c) =>
      Array.from({ length: 4 }, () => ({
        payer: c,
        key: randomUUID(),
        cents: 100 + Math.floor(Math.random() * 300),
      })),
    );
    let killed = 0;
    let done = false;
    const killer = (async () => {
      // Every few milliseconds while the burst runs: the transactions under way lose their connection.
      while (!done) {
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 10));
        const rows = await suite.sql<{ killed: boolean }>(
          `select pg_terminate_backend(pid) as killed from pg_stat_activity
           where datname = current_database() and pid <> pg_backend_pid()
             and state in ('active', 'idle in transaction')`,
        );
        killed += rows.filter((r) => r.killed).length;
      }
    })();
    const outcomes = await Promise.allSettled(
      attempts.map((a) =>
        services.payments.pay(crashing.em.fork(), a.payer.caller, {
          requestId: w.request.id,
          amountCents: a.cents,
          idempotencyKey: a.key,
        }),
      ),
    );
    done = true;
    await killer;
    await crashing.close(true).catch(() => undefined);
    const em = suite.orm.em.fork();
    // Whatever each answer was, the book and the payments agree: both transfers or neither.
    for (const a of attempts) {
      const recorded = await suite.count('payment', { idempotency_key: a.key });
      const id = paymentIds.payment(a.key);
      const transfers = await book.transfersById(em, [paymentIds.transfer(id), paymentIds.fee(id)]);
      expect(transfers).toHaveLength(recorded * 2);
    }
    const failed = outcomes.filter((o) => o.status === 'rejected').length;
    // Retried with the same keys: every payment is applied exactly once.
    for (const a of attempts) {
      await suite.services.payments.pay(suite.orm.em.fork(), a.payer.caller, {
        requestId: w.request.id,
        amountCents: a.cents,
        idempotencyKey: a.key,
      });
    }
    expect(await suite.count('payment', { circuit_id: w.circuit.id })).toBe(attempts.length);
    const total = attempts.reduce((s, a) => s + a.cents, 0);
    const fees = attempts.reduce((s, a) => s + 5 + Math.floor((a.cents * 100 + 5_000) / 10_000), 0);
    const b = await balances(em, [
      w.shop.walletId,
      w.accounts.fees,
      ...w.citizens.map((c) => c.walletId),
    ]);
    expect(b.get(w.shop.walletId)).toBe(total);
    expect(b.get(w.accounts.fees)).toBe(fees);
    const left = w.citizens.reduce((s, c) => s + b.get(c.walletId)!, 0);
    expect(left + total + fees).toBe(12 * 2_000);
    expect((await book.checkInvariants(em)).problems).toEqual([]);
    // The burst was really cut: some connections were terminated and some payments failed.
    expect(killed).toBeGreaterThan(0);
    expect(failed).toBeGreaterThan(0);
  });
});
