import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deterministicId } from '../src/book/ids.js';
import {
  CREDIT_HOLD_TEXTS,
  FundLegBook,
  FundRefusal,
  fundRefusals,
  lockFundLeg,
  type FundLeg,
  type HoldRequest,
} from '../src/contracts/index.js';
import { DomainError } from '../src/errors.js';
import { withRetry } from '../src/sql.js';
import { id, rejection, setupBookSuite, type BookSuite } from './book-helpers.js';

const texts = {
  notCovered: { it: 'Non coperto.', en: 'Not covered.' },
  insufficient: { it: 'Credito insufficiente.', en: 'Not enough credit.' },
  holdExpired: { it: 'Scaduta.', en: 'Expired.' },
  holdClosed: { it: 'Già chiusa.', en: 'Already closed.' },
  nothingHeld: { it: 'Niente prenotato.', en: 'Nothing held.' },
  providerGone: { it: 'L’ente non ha più il credito.', en: 'The provider no longer holds it.' },
};
const refusals = fundRefusals(texts);

/** The reason and code of a refusal (or of anything thrown). */
async function refusalOf(fn: () => Promise<unknown>) {
  const err = await rejection(fn);
  return {
    reason: (err as { reason?: string }).reason,
    code: err instanceof DomainError ? err.code : undefined,
    message: err instanceof DomainError ? err.localized : undefined,
  };
}

describe('withRetry: serialization failures and deadlocks', () => {
  const failing = (codes: (string | undefined)[], answer = 'done') => {
    let calls = 0;
    const fn = () => {
      const code = codes[calls++];
      return code === undefined
        ? Promise.resolve(answer)
        : Promise.reject(Object.assign(new Error(code), { code }));
    };
    return { fn, calls: () => calls };
  };

  it('runs again on 40001 and 40P01 until it succeeds', async () => {
    const run = failing(['40001', '40P01', '40001']);
    await expect(withRetry(run.fn)).resolves.toBe('done');
    expect(run.calls()).toBe(4);
  });

  it('gives up after `attempts` runs, throwing the last failure', async () => {
    const run = failing(['40001', '40001', '40P01']);
    const err = await rejection(() => withRetry(run.fn, 3));
    expect((err as { code?: string }).code).toBe('40P01');
    expect(run.calls()).toBe(3);
  });

  it('throws any other error at once', async () => {
    const run = failing(['23505', '40001']);
    const err = await rejection(() => withRetry(run.fn));
    expect((err as { code?: string }).code).toBe('23505');
    expect(run.calls()).toBe(1);
    const refused = await rejection(() => withRetry(() => Promise.reject(refusals.notCovered())));
    expect(refused).toBeInstanceOf(FundRefusal);
  });
});

describe('fundRefusals: the contract reasons, the owner words', () => {
  it('answers each refusal with its reason, code and words', () => {
    const cases: [FundRefusal, string, string][] = [
      [refusals.notCovered(), 'NOT_COVERED', 'CONFLICT'],
      [refusals.insufficient(), 'INSUFFICIENT_FUNDS', 'CONFLICT'],
      [refusals.holdExpired(), 'HOLD_EXPIRED', 'CONFLICT'],
      [refusals.holdClosed(), 'HOLD_NOT_PENDING', 'CONFLICT'],
      [refusals.nothingHeld(), 'HOLD_NOT_PENDING', 'NOT_FOUND'],
      [refusals.providerGone(), 'INSUFFICIENT_FUNDS', 'CONFLICT'],
      [refusals.notCaptured(), 'HOLD_NOT_PENDING', 'CONFLICT'],
      [refusals.legConflict(), 'LEG_CONFLICT', 'CONFLICT'],
      [refusals.refundExceeds(40), 'REFUND_EXCEEDS_CAPTURE', 'CONFLICT'],
    ];
    for (const [refusal, reason, code] of cases) {
      expect(refusal).toBeInstanceOf(DomainError);
      expect([refusal.reason, refusal.code]).toEqual([reason, code]);
    }
    expect(refusals.notCovered().localized).toEqual(texts.notCovered);
    expect(refusals.providerGone().localized).toEqual(texts.providerGone);
    // An owner that does not word the hold's refusals gets the platform's words for a credit.
    const credit = fundRefusals({
      notCovered: texts.notCovered,
      insufficient: texts.insufficient,
      providerGone: texts.providerGone,
    });
    expect(credit.holdExpired().localized).toEqual(CREDIT_HOLD_TEXTS.holdExpired);
    expect(credit.holdClosed().localized).toEqual(CREDIT_HOLD_TEXTS.holdClosed);
    expect(credit.nothingHeld().localized).toEqual(CREDIT_HOLD_TEXTS.nothingHeld);
    expect(refusals.holdClosed().localized).toEqual(texts.holdClosed);
    expect(refusals.refundExceeds(40).localized).toEqual({
      it: 'Si possono rimborsare al massimo altri 40 centesimi di questo pagamento.',
      en: 'At most 40 more cents of this payment can be refunded.',
    });
  });
});

describe('FundLegBook: a leg in a real book', () => {
  let suite: BookSuite;
  let legs: FundLegBook;
  let issuer: string;

  const ids = {
    hold: (legId: string) => deterministicId('t-hold', legId),
    capture: (legId: string) => deterministicId('t-capture', legId),
    release: (legId: string) => deterministicId('t-release', legId),
    refund: (refundId: string) => deterministicId('t-refund', refundId),
  };
  const legPrefix = (legId: string) => `t-leg:${legId};`;

  /** A payer with `cents` of credit and a provider, both new. */
  async function accounts(cents: number) {
    const em = suite.em();
    const payer = await suite.book.openAccountId(em, { code: `payer:${id()}`, kind: 'HOLDER' });
    const provider = await suite.book.openAccountId(em, {
      code: `provider:${id()}`,
      kind: 'PROVIDER',
    });
    if (cents > 0)
      await suite.book.transfer(em, { id: id(), debit: issuer, credit: payer, amount: cents });
    return { payer, provider };
  }

  const request = (amountCents: number, expiresInMs = 60_000): HoldRequest => ({
    legId: id(),
    checkoutId: id(),
    fundId: id(),
    person: { personId: id() },
    offer: {
      payableRef: 'offer-booking:1',
      offerId: id(),
      comuneId: id(),
      providerId: id(),
      category: 'SPORT',
      providerAccredited: true,
    },
    amountCents,
    expiresAt: new Date(Date.now() + expiresInMs).toISOString(),
  });

  /** Holds the request's amount from `payer` to `provider`, as an owner's `place` would. */
  const hold = (r: HoldRequest, from: { payer: string; provider: string }) => {
    const terms = legs.terms(r);
    return legs.hold(suite.em(), r, {
      terms,
      cover: () => Promise.resolve(from),
      place: (tx: EntityManager, covered, holdId, timeoutSeconds) =>
        suite.book.hold(tx, {
          id: holdId,
          debit: covered.payer,
          credit: covered.provider,
          amount: r.amountCents,
          code: 'PAY',
          reference: terms,
          timeoutSeconds,
        }),
    });
  };

  const available = async (accountId: string) =>
    (await suite.book.accounts(suite.em(), { ids: [accountId] }))[0]!.available;

  beforeAll(async () => {
    suite = await setupBookSuite('fund_owner');
    legs = new FundLegBook({
      book: suite.book,
      ids,
      legPrefix,
      codes: { payment: 'PAY', refund: 'REFUND' },
      lockScope: 't-fund-leg',
      refusals,
    });
    issuer = await suite.book.openAccountId(suite.em(), {
      code: 'issuer',
      kind: 'ISSUER',
      allowNegative: true,
    });
  });
  afterAll(async () => {
    await suite.close();
  });

  it('holds once per leg: a replay answers the hold, other terms are a LEG_CONFLICT', async () => {
    const from = await accounts(1_000);
    const r = request(300);
    const held = await hold(r, from);
    expect(held).toMatchObject({ legId: r.legId, status: 'HELD', amountCents: 300 });
    expect(await available(from.payer)).toBe(700);
    expect(await hold(r, from)).toEqual(held);
    expect(await refusalOf(() => hold({ ...r, amountCents: 301 }, from))).toMatchObject({
      reason: 'LEG_CONFLICT',
      code: 'CONFLICT',
    });
    expect(await refusalOf(() => hold({ ...r, checkoutId: id() }, from))).toMatchObject({
      reason: 'LEG_CONFLICT',
    });
    expect(await available(from.payer)).toBe(700);
  });

  it('refuses a past expiry as bad input, the cover’s refusal and too little money', async () => {
    const from = await accounts(100);
    const past = request(50, -1_000);
    const bad = await rejection(() => hold(past, from));
    expect(bad).toBeInstanceOf(DomainError);
    expect((bad as DomainError).code).toBe('BAD_USER_INPUT');
    expect((bad as DomainError).fields.map((f) => f.field)).toEqual(['expiresAt']);
    const r = request(50);
    const notCovered = await refusalOf(() =>
      legs.hold(suite.em(), r, {
        terms: legs.terms(r),
        cover: () => Promise.reject(refusals.notCovered()),
        place: () => Promise.reject(new Error('never placed')),
      }),
    );
    expect(notCovered).toMatchObject({ reason: 'NOT_COVERED', message: texts.notCovered });
    expect(await refusalOf(() => hold(request(101), from))).toMatchObject({
      reason: 'INSUFFICIENT_FUNDS',
      message: texts.insufficient,
    });
    for (const leg of [past, r])
      expect((await legs.leg(suite.em(), leg.legId)).status).toBe('UNKNOWN');
    expect(await available(from.payer)).toBe(100);
  });

  it('captures once, releases what is held, and refuses the rest', async () => {
    const from = await accounts(1_000);
    const r = request(400);
    await hold(r, from);
    const captured = await legs.capture(suite.em(), r.legId);
    expect(captured).toMatchObject({ status: 'CAPTURED', amountCents: 400, refundedCents: 0 });
    expect(await legs.capture(suite.em(), r.legId.toUpperCase())).toEqual(captured);
    expect(await available(from.provider)).toBe(400);
    expect(await refusalOf(() => legs.release(suite.em(), r.legId))).toMatchObject({
      reason: 'HOLD_NOT_PENDING',
      message: texts.holdClosed,
    });

    const other = request(100);
    await hold(other, from);
    expect(await legs.release(suite.em(), other.legId)).toMatchObject({ status: 'RELEASED' });
    expect(await legs.release(suite.em(), other.legId)).toMatchObject({ status: 'RELEASED' });
    expect(await refusalOf(() => legs.capture(suite.em(), other.legId))).toMatchObject({
      reason: 'HOLD_NOT_PENDING',
      code: 'CONFLICT',
    });
    expect(await available(from.payer)).toBe(600);

    const never = id();
    expect(await legs.release(suite.em(), never)).toEqual<FundLeg>({
      legId: never,
      status: 'UNKNOWN',
      amountCents: 0,
      refundedCents: 0,
      expiresAt: null,
    });
    expect(await refusalOf(() => legs.capture(suite.em(), never))).toMatchObject({
      reason: 'HOLD_NOT_PENDING',
      code: 'NOT_FOUND',
    });
  });

  it('refunds once per refund id, never more than was captured', async () => {
    const from = await accounts(1_000);
    const r = request(500);
    await hold(r, from);
    const first = { legId: r.legId, refundId: id(), amountCents: 200 };
    expect(await refusalOf(() => legs.refund(suite.em(), first))).toMatchObject({
      reason: 'HOLD_NOT_PENDING',
      message: refusals.notCaptured().localized,
    });
    await legs.capture(suite.em(), r.legId);
    expect(await legs.refund(suite.em(), first)).toMatchObject({ refundedCents: 200 });
    expect(await legs.refund(suite.em(), first)).toMatchObject({ refundedCents: 200 });
    expect(
      await refusalOf(() => legs.refund(suite.em(), { ...first, amountCents: 201 })),
    ).toMatchObject({ reason: 'LEG_CONFLICT' });
    expect(
      await refusalOf(() =>
        legs.refund(suite.em(), { legId: r.legId, refundId: id(), amountCents: 301 }),
      ),
    ).toMatchObject({
      reason: 'REFUND_EXCEEDS_CAPTURE',
      message: refusals.refundExceeds(300).localized,
    });
    expect(await available(from.payer)).toBe(700);
    expect(await available(from.provider)).toBe(300);
    expect((await legs.leg(suite.em(), r.legId)).refundedCents).toBe(200);
  });

  it('refunds to the account the owner names, and refuses when the provider no longer has it', async () => {
    const from = await accounts(1_000);
    const elsewhere = (await accounts(0)).payer;
    const r = request(300);
    await hold(r, from);
    await legs.capture(suite.em(), r.legId);
    await legs.refund(suite.em(), { legId: r.legId, refundId: id(), amountCents: 100 }, () =>
      Promise.resolve(elsewhere),
    );
    expect(await available(elsewhere)).toBe(100);
    // The provider is paid out: its account no longer holds the rest.
    await suite.book.transfer(suite.em(), {
      id: id(),
      debit: from.provider,
      credit: issuer,
      amount: 200,
    });
    expect(
      await refusalOf(() =>
        legs.refund(suite.em(), { legId: r.legId, refundId: id(), amountCents: 150 }),
      ),
    ).toMatchObject({ reason: 'INSUFFICIENT_FUNDS', message: texts.providerGone });
    expect((await legs.leg(suite.em(), r.legId)).refundedCents).toBe(100);
  });

  it('serialises a leg’s refunds under its lock: together they never exceed the capture', async () => {
    const from = await accounts(1_000);
    const r = request(100);
    await hold(r, from);
    await legs.capture(suite.em(), r.legId);
    // The provider holds more than the leg: only the leg's lock keeps the refunds within it.
    await suite.book.transfer(suite.em(), {
      id: id(),
      debit: issuer,
      credit: from.provider,
      amount: 1_000,
    });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = suite.em().transactional(async (tx) => {
      await lockFundLeg(tx, 't-fund-leg', r.legId);
      locked();
      await released;
    });
    await isLocked;
    let settled = 0;
    const refunds = [1, 2, 3].map((): Promise<unknown> =>
      legs
        .refund(suite.em(), { legId: r.legId, refundId: id(), amountCents: 60 })
        .finally(() => settled++),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(settled).toBe(0);
    release();
    await holder;
    const outcomes = await Promise.allSettled(refunds);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes.filter((o) => o.status === 'rejected'))
      expect((o.reason as FundRefusal).reason).toBe('REFUND_EXCEEDS_CAPTURE');
    expect((await legs.leg(suite.em(), r.legId)).refundedCents).toBe(60);
  });
});

describe('lockFundLeg: one operation on a leg at a time', () => {
  let suite: BookSuite;
  beforeAll(async () => {
    suite = await setupBookSuite('fund_lock');
  });
  afterAll(async () => {
    await suite.close();
  });

  it('holds `<scope>:<legId>` until the transaction ends; other legs and scopes are free', async () => {
    const legId = id();
    const free = async (key: string) => {
      const [row] = await suite.sql<{ free: boolean }>(
        `select pg_try_advisory_xact_lock(hashtextextended(?, 0)) as free`,
        [key],
      );
      return row!.free;
    };
    await suite.em().transactional(async (tx) => {
      await lockFundLeg(tx, 'scope-a', legId);
      expect(await free(`scope-a:${legId}`)).toBe(false);
      expect(await free(`scope-b:${legId}`)).toBe(true);
      expect(await free(`scope-a:${id()}`)).toBe(true);
    });
    expect(await free(`scope-a:${legId}`)).toBe(true);
  });
});
