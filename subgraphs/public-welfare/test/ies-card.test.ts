import { randomUUID } from 'node:crypto';
import type { IesCardAuthorisation, IesCardHoldRequest } from '@welfare/kit/contracts';
import { OutcomeUnknown, ServiceRefusal } from '@welfare/kit/service';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Campaign } from '../src/modules/campaign/campaign.entity.js';
import type { IesCardPort } from '../src/modules/payment/ies-card.port.js';
import { Payment } from '../src/modules/payment/payment.entity.js';
import type { ChargeInput } from '../src/modules/payment/payment.service.js';
import type { ShopAccreditation } from '../src/modules/shop/shop.entity.js';
import { LASTING_INCOME } from './campaign-fixtures.js';
import { CF, REGISTRY } from './fixtures.js';
import { COMUNE_A, caught, setupSuite, type Suite } from './helpers.js';
import {
  accredit,
  applyAndApprove,
  available,
  citizen,
  expectMoneyReconciled,
  liveCard,
  merchantPerson,
  operator,
  publishCampaign,
} from './money-world.js';

/*
 * The card's fallback at the POS (issue 17, item 5): a card payment at a shop that accepts IES
 * spends the voucher credit first and then the holder's IES, in one authorisation, all or
 * nothing. ies-circuit is another process: here it is a scripted peer behind the POS's port
 * (`IesCardPort`), with failure injection (an answer lost, a refusal, the service down); the real
 * one is exercised in tests/federation/ies-card.test.ts. The voucher side is this subgraph's real
 * book on PostgreSQL.
 */

/** A scripted ies-circuit: wallets by codice fiscale, holds by authorisation id. */
class ScriptedIesCircuit implements IesCardPort {
  wallets = new Map<string, number>();
  holds = new Map<
    string,
    { request: IesCardHoldRequest; status: IesCardAuthorisation['status'] }
  >();
  shops = new Set<string>();
  calls: string[] = [];
  /** The next call of this operation fails: `down` before acting, `lost` after acting. */
  failNext: Partial<Record<'quote' | 'hold' | 'capture' | 'void', 'down' | 'lost'>> = {};

  private fail(op: 'quote' | 'hold' | 'capture' | 'void', when: 'down' | 'lost'): void {
    if (this.failNext[op] === when) {
      delete this.failNext[op];
      throw new OutcomeUnknown('ies-circuit', op);
    }
  }

  private held(fiscalCode: string): number {
    let sum = 0;
    for (const h of this.holds.values())
      if (h.request.fiscalCode === fiscalCode && h.status === 'HELD') sum += h.request.amountCents;
    return sum;
  }

  private spendable(fiscalCode: string): number {
    return (this.wallets.get(fiscalCode) ?? 0) - this.held(fiscalCode);
  }

  private answer(id: string): IesCardAuthorisation {
    const h = this.holds.get(id);
    return {
      authorisationId: id,
      status: h?.status ?? 'UNKNOWN',
      amountCents: h?.request.amountCents ?? 0,
      feeCents: 0,
      transferId: h ? `${id.slice(0, 35)}f` : null,
      circuitId: h ? CIRCUIT : null,
      expiresAt: null,
    };
  }

  quote(fiscalCode: string, shop: string) {
    this.calls.push('quote');
    this.fail('quote', 'down');
    const accepted = this.shops.has(shop) && this.wallets.has(fiscalCode);
    return Promise.resolve({
      accepted,
      circuitId: accepted ? CIRCUIT : null,
      circuitName: accepted ? 'Circuito IES di Prova' : null,
      spendableCents: accepted ? this.spendable(fiscalCode) : 0,
    });
  }

  hold(request: IesCardHoldRequest) {
    this.calls.push('hold');
    this.fail('hold', 'down');
    const existing = this.holds.get(request.authorisationId);
    if (!existing) {
      if (!this.shops.has(request.shopOrganisationId) || !this.wallets.has(request.fiscalCode))
        throw refusal('IES_NOT_ACCEPTED');
      if (this.spendable(request.fiscalCode) < request.amountCents)
        throw refusal('INSUFFICIENT_IES');
      this.holds.set(request.authorisationId, { request, status: 'HELD' });
    }
    this.fail('hold', 'lost');
    return Promise.resolve(this.answer(request.authorisationId));
  }

  capture(id: string) {
    this.calls.push('capture');
    this.fail('capture', 'down');
    const h = this.holds.get(id);
    if (!h || (h.status !== 'HELD' && h.status !== 'CAPTURED')) throw refusal('HOLD_NOT_PENDING');
    if (h.status === 'HELD') {
      h.status = 'CAPTURED';
      this.wallets.set(
        h.request.fiscalCode,
        this.wallets.get(h.request.fiscalCode)! - h.request.amountCents,
      );
    }
    this.fail('capture', 'lost');
    return Promise.resolve(this.answer(id));
  }

  void(id: string) {
    this.calls.push('void');
    this.fail('void', 'down');
    const h = this.holds.get(id);
    if (h?.status === 'CAPTURED') throw refusal('HOLD_NOT_PENDING');
    if (h) h.status = 'VOIDED';
    return Promise.resolve(this.answer(id));
  }

  authorisation(id: string) {
    return Promise.resolve(this.answer(id));
  }
}

function refusal(reason: string): ServiceRefusal {
  return new ServiceRefusal(
    'CONFLICT',
    { it: `rifiuto ${reason}`, en: `refusal ${reason}` },
    reason,
    [],
    409,
  );
}

const CIRCUIT = randomUUID();
const SHOP = randomUUID();
const ies = new ScriptedIesCircuit();
let suite: Suite;
const em = () => suite.orm.em.fork();
const mario = citizen(CF.mario);
const sara = citizen(CF.sara);
const cashier = merchantPerson(SHOP, 'CASHIER');
let campaign: Campaign;
let shop: ShopAccreditation;
const pins = new Map<string, string>();

function input(fiscalCode: string, over: Partial<ChargeInput> = {}): ChargeInput {
  return {
    idempotencyKey: randomUUID(),
    accreditationId: shop.id,
    card: { fiscalCode },
    pin: pins.get(fiscalCode)!,
    amountCents: 100,
    category: 'FOOD',
    ...over,
  };
}
const charge = (fiscalCode: string, over: Partial<ChargeInput> = {}) =>
  suite.services.payments.charge(em(), cashier, input(fiscalCode, over));
const preview = (fiscalCode: string, over: Partial<ChargeInput> = {}) =>
  suite.services.payments.preview(em(), cashier, input(fiscalCode, over));
const voucher = async (fiscalCode: string) =>
  available(suite, (await liveCard(suite, fiscalCode)).id);

/** What a refused payment must leave alone. */
async function written() {
  return {
    payments: await suite.count('payment'),
    transfers: await suite.count('book_transfer'),
    messages: await suite.count('message'),
  };
}
const reasonOf = async (fn: () => Promise<unknown>) =>
  ((await caught(fn)) as { reason?: string }).reason;

beforeAll(async () => {
  suite = await setupSuite('ies_card', { iesCard: ies });
  await suite.importText(operator, COMUNE_A, 'REGISTRY', REGISTRY);
  await suite.importText(operator, COMUNE_A, 'INCOME', LASTING_INCOME);
  campaign = await publishCampaign(suite);
  await applyAndApprove(suite, mario, campaign);
  await applyAndApprove(suite, sara, campaign);
  const { issued } = await suite.services.cards.issueForCampaign(em(), operator, campaign.id);
  for (const i of issued) pins.set(i.fiscalCode, i.pin);
  await suite.services.topUps.topUpCampaign(em(), operator, campaign.id);
  shop = await accredit(suite, merchantPerson(SHOP, 'OWNER'), SHOP, campaign);
  ies.shops.add(SHOP);
  ies.wallets.set(CF.mario, 5_000);
  ies.wallets.set(CF.sara, 300);
}, 120_000);

afterEach(async () => {
  ies.failNext = {};
  vi.restoreAllMocks();
  await expectMoneyReconciled(suite);
});
afterAll(() => suite.close());

describe('the voucher credit covers it', () => {
  it('pays with the voucher only and never asks ies-circuit', async () => {
    ies.calls = [];
    const split = await preview(CF.mario, { amountCents: 100 });
    expect(split).toEqual({
      voucherCents: 100,
      iesCents: 0,
      payable: true,
      iesCircuitName: null,
      iesUnavailable: false,
    });
    const paid = await charge(CF.mario, { amountCents: 100 });
    expect(paid.payment).toMatchObject({ amountCents: 100, iesCents: 0, iesStatus: null });
    expect(ies.calls).toEqual([]);
  });
});

describe('the split: voucher credit first, then IES', () => {
  it('shows the split before confirming, then pays it in one authorisation', async () => {
    const credit = await voucher(CF.mario);
    const amount = credit + 800;
    const split = await preview(CF.mario, { amountCents: amount });
    expect(split).toEqual({
      voucherCents: credit,
      iesCents: 800,
      payable: true,
      iesCircuitName: 'Circuito IES di Prova',
      iesUnavailable: false,
    });
    // Without the holder's agreement to the split: refused, nothing spent, nothing held.
    const before = await written();
    expect(await reasonOf(() => charge(CF.mario, { amountCents: amount }))).toBe(
      'INSUFFICIENT_CREDIT',
    );
    // A split that is not the one needed now: refused.
    expect(await reasonOf(() => charge(CF.mario, { amountCents: amount, iesCents: 700 }))).toBe(
      'IES_SPLIT_CHANGED',
    );
    expect(await written()).toEqual(before);
    expect([...ies.holds.values()].filter((h) => h.status === 'HELD')).toEqual([]);

    const key = randomUUID();
    const paid = await charge(CF.mario, {
      idempotencyKey: key,
      amountCents: amount,
      iesCents: 800,
    });
    expect(paid.payment).toMatchObject({
      amountCents: amount,
      iesCents: 800,
      iesStatus: 'CAPTURED',
      iesTransferId: `${key.slice(0, 35)}f`,
    });
    expect(paid.residualCents).toBe(0);
    expect(await voucher(CF.mario)).toBe(0);
    expect(ies.holds.get(key)!.status).toBe('CAPTURED');
    expect(ies.wallets.get(CF.mario)).toBe(4_200);
    // A replay of the same request: the same payment, nothing held or captured again.
    const replay = await charge(CF.mario, {
      idempotencyKey: key,
      amountCents: amount,
      iesCents: 800,
    });
    expect(replay.payment.id).toBe(key);
    expect(ies.wallets.get(CF.mario)).toBe(4_200);
    // A payment with an IES part is not voided at the till.
    expect(
      (
        (await caught(() => suite.services.payments.voidPayment(em(), cashier, key))) as {
          reason?: string;
        }
      ).reason,
    ).toBe('IES_PAYMENT_NOT_VOIDABLE');
  });

  it('a card with NO voucher credit left still pays with IES', async () => {
    expect(await voucher(CF.mario)).toBe(0);
    const split = await preview(CF.mario, { amountCents: 1_250 });
    expect(split).toMatchObject({ voucherCents: 0, iesCents: 1_250, payable: true });
    const paid = await charge(CF.mario, { amountCents: 1_250, iesCents: 1_250 });
    expect(paid.payment).toMatchObject({ iesCents: 1_250, iesStatus: 'CAPTURED', transferIds: [] });
    expect(ies.wallets.get(CF.mario)).toBe(2_950);
    const row = await em().findOneOrFail(Payment, { id: paid.payment.id });
    expect(row.iesCents).toBe(1_250);
  });

  it('refuses more than the holder’s IES: nothing spent', async () => {
    const credit = await voucher(CF.sara);
    const before = await written();
    const split = await preview(CF.sara, { amountCents: credit + 301 });
    expect(split).toMatchObject({ iesCents: 301, payable: false });
    expect(
      await reasonOf(() => charge(CF.sara, { amountCents: credit + 301, iesCents: 301 })),
    ).toBe('INSUFFICIENT_IES');
    expect(await written()).toEqual(before);
    expect(await voucher(CF.sara)).toBe(credit);
  });
});

describe('failures: all or nothing', () => {
  it('ies hold ok, then the local part fails: the hold is voided, nothing spent', async () => {
    const credit = await voucher(CF.sara);
    const before = await written();
    const key = randomUUID();
    vi.spyOn(suite.services.audit, 'record').mockRejectedValueOnce(new Error('disk full'));
    await expect(
      charge(CF.sara, { idempotencyKey: key, amountCents: credit + 200, iesCents: 200 }),
    ).rejects.toThrow('disk full');
    expect(ies.holds.get(key)!.status).toBe('VOIDED');
    expect(await written()).toEqual(before);
    expect(await voucher(CF.sara)).toBe(credit);
    expect(ies.wallets.get(CF.sara)).toBe(300);
  });

  it('ies-circuit down: the split refused with IES_UNAVAILABLE, nothing spent; voucher-only still pays', async () => {
    const credit = await voucher(CF.sara);
    ies.failNext.quote = 'down';
    expect(await preview(CF.sara, { amountCents: credit + 100 })).toMatchObject({
      voucherCents: credit,
      iesCents: 0,
      payable: false,
      iesUnavailable: true,
    });
    const before = await written();
    ies.failNext.hold = 'down';
    expect(
      await reasonOf(() => charge(CF.sara, { amountCents: credit + 100, iesCents: 100 })),
    ).toBe('IES_UNAVAILABLE');
    expect(await written()).toEqual(before);
    // The voucher-only path does not need ies-circuit.
    ies.failNext.hold = 'down';
    const paid = await charge(CF.sara, { amountCents: 50 });
    expect(paid.payment.iesCents).toBe(0);
  });

  it('the hold happened but its answer was lost: refused, and the hold voided (nothing spent)', async () => {
    const credit = await voucher(CF.sara);
    const before = await written();
    const key = randomUUID();
    ies.failNext.hold = 'lost';
    expect(
      await reasonOf(() =>
        charge(CF.sara, { idempotencyKey: key, amountCents: credit + 100, iesCents: 100 }),
      ),
    ).toBe('IES_UNAVAILABLE');
    expect(ies.holds.get(key)!.status).toBe('VOIDED');
    expect(await written()).toEqual(before);
  });

  it('the capture’s outcome unknown: recorded HELD with its hold, the recovery captures it once', async () => {
    const credit = await voucher(CF.sara);
    const key = randomUUID();
    ies.failNext.capture = 'lost';
    const paid = await charge(CF.sara, {
      idempotencyKey: key,
      amountCents: credit + 100,
      iesCents: 100,
    });
    expect(paid.payment).toMatchObject({ iesCents: 100, iesStatus: 'HELD' });
    // The capture did happen at ies-circuit; the POS does not know yet.
    expect(ies.holds.get(key)!.status).toBe('CAPTURED');
    expect(await suite.services.payments.recoverIes(em(), 0)).toBe(1);
    expect((await em().findOneOrFail(Payment, { id: key })).iesStatus).toBe('CAPTURED');
    expect(ies.wallets.get(CF.sara)).toBe(200);
    // Nothing left to recover.
    expect(await suite.services.payments.recoverIes(em(), 0)).toBe(0);
  });

  it('refuses bad input on the IES part with a field, writing nothing', async () => {
    const before = await written();
    const error = await caught(() => charge(CF.sara, { amountCents: 100, iesCents: 101 }));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.fields.map((f) => f.field)).toEqual(['iesCents']);
    expect(await written()).toEqual(before);
  });
});
