import { randomBytes, randomUUID } from 'node:crypto';
import { DomainError } from '@welfare/kit';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Application } from '../src/modules/application/application.entity.js';
import type { Campaign } from '../src/modules/campaign/campaign.entity.js';
import { book } from '../src/modules/ledger/ledger.js';
import { romeDay } from '@welfare/kit/dates';
import type { ShopAccreditation } from '../src/modules/shop/shop.entity.js';
import { createServices } from '../src/services.js';
import { LASTING_INCOME } from './campaign-fixtures.js';
import { CF, REGISTRY } from './fixtures.js';
import { COMUNE_A, setupSuite, type Suite } from './helpers.js';
import {
  accredit,
  applyAndApprove,
  citizen,
  liveCard,
  manager,
  merchantPerson,
  operator,
  publishCampaign,
} from './money-world.js';

/**
 * A property test over random sequences of the money operations (issue 11): top-up, pay, void,
 * replace, budget change, rank, batch, mark paid. After every step the book's invariants and the
 * reconciliation above it must hold. Each run builds its own two campaigns (the second ending
 * sooner, so that a payment at the first campaign's till spends the second's credit first) with
 * one merchant accredited in both, and the two demo holders approved in both.
 */

/** A sequence in which every operation succeeds at least once. */
const EVERYTHING: Command[] = [
  { kind: 'pay', till: 0, holder: 0, amount: 3_000 },
  { kind: 'pay', till: 0, holder: 1, amount: 2_000 },
  { kind: 'void', payment: 1 },
  { kind: 'replace', holder: 0 },
  { kind: 'pay', till: 0, holder: 0, amount: 9_000 },
  { kind: 'void', payment: 0 },
  { kind: 'topUp', campaign: 1, number: 2, percent: 50 },
  { kind: 'pay', till: 1, holder: 1, amount: 1_500 },
  { kind: 'budget', campaign: 0, budget: 90_000 },
  { kind: 'rank', campaign: 0 },
  { kind: 'batch', campaign: 1 },
  { kind: 'batch', campaign: 0 },
  { kind: 'markPaid', campaign: 1 },
  { kind: 'markPaid', campaign: 0 },
  { kind: 'markPaid', campaign: 0 },
  { kind: 'pay', till: 1, holder: 0, amount: 700 },
  { kind: 'replace', holder: 1 },
  { kind: 'topUp', campaign: 0, number: 2, percent: 100 },
];

/** Random sequences per run of the suite (each on two new campaigns). */
const RUNS = 30;

let suite: Suite;
const em = () => suite.orm.em.fork();
const holders = [
  { fiscalCode: CF.mario, caller: citizen(CF.mario) },
  { fiscalCode: CF.sara, caller: citizen(CF.sara) },
] as const;
const pins = new Map<string, string>();
/** Services whose clock is two days on: batches up to today can be made. */
let later: ReturnType<typeof createServices>;

type Command =
  | { kind: 'topUp'; campaign: number; number: number; percent: number }
  | { kind: 'pay'; till: number; holder: number; amount: number }
  | { kind: 'void'; payment: number }
  | { kind: 'replace'; holder: number }
  | { kind: 'budget'; campaign: number; budget: number }
  | { kind: 'rank'; campaign: number }
  | { kind: 'batch'; campaign: number }
  | { kind: 'markPaid'; campaign: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('topUp' as const),
      campaign: fc.nat(1),
      number: fc.integer({ min: 1, max: 4 }),
      percent: fc.integer({ min: 1, max: 100 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('pay' as const),
      till: fc.nat(1),
      holder: fc.nat(1),
      amount: fc.integer({ min: 1, max: 9_000 }),
    }),
  },
  fc.record({ kind: fc.constant('void' as const), payment: fc.nat(1000) }),
  fc.record({ kind: fc.constant('replace' as const), holder: fc.nat(1) }),
  fc.record({
    kind: fc.constant('budget' as const),
    campaign: fc.nat(1),
    budget: fc.integer({ min: 0, max: 120_000 }),
  }),
  fc.record({ kind: fc.constant('rank' as const), campaign: fc.nat(1) }),
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('batch' as const), campaign: fc.nat(1) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('markPaid' as const), campaign: fc.nat(1) }),
  },
);

interface World {
  campaigns: Campaign[];
  applications: Application[];
  tills: ShopAccreditation[];
  cashier: ReturnType<typeof merchantPerson>;
  payments: { id: string; batched: boolean }[];
  batches: { id: string; campaign: number; approved: boolean }[];
}

async function newWorld(n: number): Promise<World> {
  const campaigns = [
    await publishCampaign(suite, { title: `Proprietà ${n} A`, spendingUntil: '2030-12-31' }),
    await publishCampaign(suite, { title: `Proprietà ${n} B`, spendingUntil: '2029-06-30' }),
  ];
  const applications: Application[] = [];
  for (const c of campaigns)
    for (const h of holders) applications.push(await applyAndApprove(suite, h.caller, c));
  for (const c of campaigns) {
    const { issued } = await suite.services.cards.issueForCampaign(em(), operator, c.id);
    for (const i of issued) pins.set(i.fiscalCode, i.pin);
  }
  // Each world starts with half of every entitlement on the cards, so that payments can happen.
  for (const c of campaigns)
    await suite.services.topUps.topUpCampaign(em(), operator, c.id, { number: 1, percent: 50 });
  const merchantId = randomUUID();
  const owner = merchantPerson(merchantId, 'OWNER');
  const tills = [
    await accredit(suite, owner, merchantId, campaigns[0]!),
    await accredit(suite, owner, merchantId, campaigns[1]!, 'IT40S0542811101000000123456'),
  ];
  return {
    campaigns,
    applications,
    tills,
    cashier: merchantPerson(merchantId, 'CASHIER'),
    payments: [],
    batches: [],
  };
}

/** Runs one command; a refusal (a DomainError) is an allowed outcome, anything else is not. */
async function run(w: World, c: Command): Promise<string> {
  try {
    switch (c.kind) {
      case 'topUp': {
        const r = await suite.services.topUps.topUpCampaign(
          em(),
          operator,
          w.campaigns[c.campaign]!.id,
          {
            number: c.number,
            percent: c.percent,
          },
        );
        return `credited ${r.creditedCents}`;
      }
      case 'pay': {
        const h = holders[c.holder]!;
        const r = await suite.services.payments.charge(em(), w.cashier, {
          idempotencyKey: randomUUID(),
          accreditationId: w.tills[c.till]!.id,
          card: { fiscalCode: h.fiscalCode },
          pin: pins.get(h.fiscalCode)!,
          amountCents: c.amount,
          category: 'FOOD',
        });
        w.payments.push({ id: r.payment.id, batched: false });
        return `paid, residual ${r.residualCents}`;
      }
      case 'void': {
        // The n-th (modulo) of this world's payments not in a batch (a batched one cannot be voided).
        const open = w.payments.filter((x) => !x.batched);
        const p = open[c.payment % Math.max(open.length, 1)];
        if (!p) return 'no payment';
        await suite.services.payments.voidPayment(em(), w.cashier, p.id);
        return 'voided';
      }
      case 'replace': {
        const h = holders[c.holder]!;
        const card = await liveCard(suite, h.fiscalCode);
        const { issued } = await suite.services.cards.replace(em(), operator, card.id);
        pins.set(h.fiscalCode, issued.pin);
        return 'replaced';
      }
      case 'budget':
        await suite.services.cases.setBudget(em(), manager, w.campaigns[c.campaign]!.id, c.budget);
        return 'budget set';
      case 'rank':
        await suite.services.cases.rank(em(), manager, w.campaigns[c.campaign]!.id);
        return 'ranked';
      case 'batch': {
        const detail = await later.reimbursements.create(em(), operator, {
          campaignId: w.campaigns[c.campaign]!.id,
          cutOff: romeDay(new Date()),
          debtorName: 'Comune di Prova – Tesoreria',
          debtorIban: 'IT77X0100003245348300012345',
        });
        w.batches.push({ id: detail.batch.id, campaign: c.campaign, approved: false });
        const rows = await suite.orm.em
          .getConnection()
          .execute<{ payment_id: string }[]>(
            `select payment_id from "public_welfare"."reimbursement_payment" where batch_id = ?`,
            [detail.batch.id],
          );
        const batched = new Set(rows.map((r) => r.payment_id));
        for (const p of w.payments) if (batched.has(p.id)) p.batched = true;
        return `batch of ${detail.batch.totalCents}`;
      }
      case 'markPaid': {
        // The campaign's latest batch (a second markPaid of a PAID one is a replay).
        const batch = w.batches.filter((b) => b.campaign === c.campaign).pop();
        if (!batch) return 'no batch';
        if (!batch.approved) await later.reimbursements.approve(em(), manager, batch.id);
        batch.approved = true;
        await later.reimbursements.markPaid(em(), manager, batch.id, {
          bankDate: romeDay(new Date()),
          bankReference: `BONIFICO ${batch.id.slice(0, 8)}`,
        });
        return 'paid';
      }
    }
  } catch (err) {
    if (err instanceof DomainError) return `refused ${err.code}`;
    throw err;
  }
}

beforeAll(async () => {
  suite = await setupSuite('money_property');
  await suite.importText(operator, COMUNE_A, 'REGISTRY', REGISTRY);
  await suite.importText(operator, COMUNE_A, 'INCOME', LASTING_INCOME);
  later = createServices({
    piiKey: randomBytes(32),
    now: () => new Date(Date.now() + 2 * 86_400_000),
  });
}, 120_000);

describe('money under random sequences of operations', () => {
  it('keeps the book and the reconciliation above it clean after every step', async () => {
    let worlds = 0;
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 24 }), async (commands) => {
        const w = await newWorld(worlds++);
        const log: string[] = [];
        for (const c of commands) {
          const outcome = await run(w, c);
          log.push(`${JSON.stringify(c)} → ${outcome}`);
          const key = `${c.kind}: ${outcome.replace(/[0-9]+/g, 'n')}`;
          outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
          const invariants = await book.checkInvariants(em());
          const problems = await suite.services.reconciliation.check(em(), COMUNE_A);
          if (!invariants.ok || problems.length > 0) {
            throw new Error(
              `after ${log.join('\n  ')}\nbook: ${JSON.stringify(invariants.problems)}\nreconciliation: ${JSON.stringify(problems, null, 1)}`,
            );
          }
        }
      }),
      {
        numRuns: RUNS,
        endOnFailure: true,
        // One sequence that surely does everything (a payment split over both campaigns, voids
        // before and after a replacement, batches of both campaigns paid), then random ones.
        examples: [[EVERYTHING]],
      },
    );
    expect(worlds).toBe(RUNS);
    console.log(
      [...outcomes.entries()]
        .sort()
        .map(([k, n]) => `${k} × ${n}`)
        .join('\n'),
    );
    // The sequences did move money: every kind of operation succeeded at least once.
    const done = [...outcomes.keys()].filter((k) => !/refused|no payment|no batch/.test(k));
    for (const kind of ['topUp', 'pay', 'void', 'replace', 'budget', 'rank', 'batch', 'markPaid'])
      expect(
        done.some((k) => k.startsWith(`${kind}:`)),
        `${kind} succeeded`,
      ).toBe(true);
  }, 600_000);
});
