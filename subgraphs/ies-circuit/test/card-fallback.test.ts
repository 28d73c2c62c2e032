import { randomUUID } from 'node:crypto';
import { createLogger } from '@welfare/kit';
import { generateGatewayKeys } from '@welfare/kit/auth';
import {
  IES_CARD_PATHS,
  iesCardAuthorisation,
  iesCardQuoteResponse,
  type IesCardHoldRequest,
} from '@welfare/kit/contracts';
import { ServiceClient, ServiceRefusal } from '@welfare/kit/service';
import { startSubgraph, type RunningSubgraph } from '@welfare/kit/subgraph';
import type { Suite } from '@welfare/kit/test-suite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cardFallbackRoutes } from '../src/modules/card-fallback/card-fallback.routes.js';
import { cardFallbackIds } from '../src/modules/card-fallback/card-fallback.service.js';
import { TransferCode, book, issue } from '../src/modules/ledger/ledger.js';
import { buildIesCircuitSchema } from '../src/schema.js';
import type { Services } from '../src/services.js';
import { randomFiscalCode, seedCircuit, seedMember } from './fixtures.js';
import { ORG_A, ORG_B, errorCode, member, setupSuite } from './helpers.js';

/*
 * The card's fallback (issue 17, item 5) as ies-circuit answers it to public-welfare's POS: quote,
 * hold (idempotent by the authorisation id), capture, void, the expiry of a lapsed hold; the fee
 * when the circuit does not exempt welfare movements; tenancy (public-welfare's tokens only; a
 * shop that is not an ACTIVE member accepting IES, or a holder of another circuit, is refused).
 */

let suite: Suite<Services>;
let server: RunningSubgraph;
let pos: ServiceClient;
let payments: ServiceClient;
const em = () => suite.orm.em.fork();

const SHOP = randomUUID(); // accepts IES in the exempt circuit
const SHOP_NO_IES = randomUUID(); // a member that does not accept IES
const SHOP_PENDING = randomUUID(); // a member not yet accepted
const SHOP_ELSEWHERE = randomUUID(); // accepts IES in another circuit only
const SHOP_FEE = randomUUID(); // accepts IES in the circuit that charges a fee
const HOLDER = randomFiscalCode();
const POOR = randomFiscalCode(); // a member with no IES
const STRANGER = randomFiscalCode(); // a member of no circuit
const HOLDER_IES = 5_000;
let holderWallet: string;
let shopWallet: string;

const quote = (fiscalCode: string, shopOrganisationId: string) =>
  pos.call(IES_CARD_PATHS.quote, { fiscalCode, shopOrganisationId }, iesCardQuoteResponse);
const hold = (over: Partial<IesCardHoldRequest> = {}) =>
  pos.call(
    IES_CARD_PATHS.hold,
    {
      authorisationId: randomUUID(),
      fiscalCode: HOLDER,
      shopOrganisationId: SHOP,
      amountCents: 800,
      ...over,
    },
    iesCardAuthorisation,
  );
const capture = (authorisationId: string) =>
  pos.call(IES_CARD_PATHS.capture, { authorisationId }, iesCardAuthorisation);
const voidHold = (authorisationId: string) =>
  pos.call(IES_CARD_PATHS.void, { authorisationId }, iesCardAuthorisation);
const state = (authorisationId: string) =>
  pos.call(IES_CARD_PATHS.authorisation, { authorisationId }, iesCardAuthorisation);

async function refusal(call: Promise<unknown>): Promise<ServiceRefusal> {
  const outcome = await call.then(
    (answer) => ({ answer }),
    (err: unknown) => ({ err }),
  );
  if (!('err' in outcome)) throw new Error(`answered ${JSON.stringify(outcome.answer)}`);
  expect(outcome.err).toBeInstanceOf(ServiceRefusal);
  return outcome.err as ServiceRefusal;
}

const balance = async (accountId: string) => book.balance(em(), accountId);
/** Waits for a hold of `timeoutSeconds: 1` to lapse. */
const lapse = () => new Promise((resolve) => setTimeout(resolve, 1_200));

beforeAll(async () => {
  suite = await setupSuite('card_fallback');
  const keys = {
    publicWelfare: await generateGatewayKeys(),
    payments: await generateGatewayKeys(),
    gateway: await generateGatewayKeys(),
  };
  server = await startSubgraph({
    name: 'ies-circuit',
    schema: await buildIesCircuitSchema(suite.services),
    orm: suite.orm,
    host: '127.0.0.1',
    port: 0,
    gatewayPublicKey: keys.gateway.publicKey,
    logger: createLogger('ies-circuit-test', 'silent'),
    internal: {
      publicKeys: {
        'public-welfare': keys.publicWelfare.publicKey,
        payments: keys.payments.publicKey,
      },
      routes: cardFallbackRoutes({ orm: suite.orm, cardFallback: suite.services.cardFallback }),
    },
  });
  const client = (service: 'public-welfare' | 'payments') =>
    new ServiceClient({
      service,
      privateKey: (service === 'payments' ? keys.payments : keys.publicWelfare).privateKey,
      audience: 'ies-circuit',
      baseUrl: server.url,
    });
  pos = client('public-welfare');
  payments = client('payments');

  const seed = em();
  const exempt = await seedCircuit(seed, ORG_A, { welfareExempt: true });
  const other = await seedCircuit(seed, ORG_B, { welfareExempt: true });
  const charging = await seedCircuit(seed, ORG_A, { welfareExempt: false });
  const c = exempt.circuit.id;
  holderWallet = (await seedMember(seed, c, { fiscalCode: HOLDER, issuedCents: HOLDER_IES }))
    .walletId;
  await seedMember(seed, c, { fiscalCode: POOR });
  shopWallet = (await seedMember(seed, c, { kind: 'BUSINESS', organisationId: SHOP })).walletId;
  await seedMember(seed, c, { kind: 'BUSINESS', organisationId: SHOP_NO_IES, acceptsIes: false });
  const pending = await seedMember(seed, c, { kind: 'BUSINESS', organisationId: SHOP_PENDING });
  pending.member.status = 'PENDING';
  await seed.flush();
  await seedMember(seed, other.circuit.id, { kind: 'BUSINESS', organisationId: SHOP_ELSEWHERE });
  await seedMember(seed, charging.circuit.id, { fiscalCode: HOLDER, issuedCents: 2_000 });
  await seedMember(seed, charging.circuit.id, { kind: 'BUSINESS', organisationId: SHOP_FEE });
}, 120_000);

afterEach(async () => {
  const report = await book.checkInvariants(em());
  expect(report.problems).toEqual([]);
});

afterAll(async () => {
  await server?.stop(); // also closes the ORM
});

describe('tenancy', () => {
  it('answers public-welfare only: another service is refused (403), and writes nothing', async () => {
    const before = await balance(holderWallet);
    for (const path of Object.values(IES_CARD_PATHS)) {
      const refused = await refusal(
        payments.call(
          path,
          {
            authorisationId: randomUUID(),
            fiscalCode: HOLDER,
            shopOrganisationId: SHOP,
            amountCents: 100,
          },
          iesCardAuthorisation,
        ),
      );
      expect(refused.status).toBe(403);
    }
    expect((await balance(holderWallet)).available).toBe(before.available);
  });
});

describe('quote', () => {
  it('answers what the holder’s IES can pay a member shop that accepts IES', async () => {
    const answer = await quote(HOLDER, SHOP);
    expect(answer).toMatchObject({ accepted: true, circuitName: 'Circuito di prova' });
    expect(answer.spendableCents).toBe((await balance(holderWallet)).available);
  });

  it('answers not accepted for a shop that does not accept IES, is not ACTIVE, or is in another circuit, and for a stranger', async () => {
    for (const [fiscalCode, shop] of [
      [HOLDER, SHOP_NO_IES],
      [HOLDER, SHOP_PENDING],
      [HOLDER, SHOP_ELSEWHERE],
      [HOLDER, randomUUID()],
      [STRANGER, SHOP],
    ] as const) {
      expect(await quote(fiscalCode, shop)).toEqual({
        accepted: false,
        circuitId: null,
        circuitName: null,
        spendableCents: 0,
      });
    }
  });

  it('leaves room for the fee where the circuit charges one (payer pays)', async () => {
    // 20,00 IES: x + 5 + 1% of x <= 2000 → x = 1975 (fee 25).
    expect((await quote(HOLDER, SHOP_FEE)).spendableCents).toBe(1_975);
  });

  it('refuses bad input with fields', async () => {
    const refused = await refusal(
      pos.call(
        IES_CARD_PATHS.quote,
        { fiscalCode: 'x', shopOrganisationId: 'y' },
        iesCardQuoteResponse,
      ),
    );
    expect(refused.code).toBe('BAD_USER_INPUT');
    expect(refused.fields.map((f) => f.field).sort()).toEqual(['fiscalCode', 'shopOrganisationId']);
  });
});

describe('hold, capture, void', () => {
  it('holds, then captures: the IES reach the shop, once (idempotent)', async () => {
    const before = await balance(holderWallet);
    const shopBefore = await balance(shopWallet);
    const authorisationId = randomUUID();
    const held = await hold({ authorisationId, amountCents: 800 });
    expect(held).toMatchObject({ status: 'HELD', amountCents: 800, feeCents: 0 });
    expect(held.transferId).toBe(cardFallbackIds.hold(authorisationId));
    // The same hold again: the same answer, nothing more held.
    expect(await hold({ authorisationId, amountCents: 800 })).toMatchObject({ status: 'HELD' });
    expect((await balance(holderWallet)).available).toBe(before.available - 800);
    expect((await capture(authorisationId)).status).toBe('CAPTURED');
    expect((await capture(authorisationId)).status).toBe('CAPTURED');
    expect((await balance(holderWallet)).posted).toBe(before.posted - 800);
    expect((await balance(shopWallet)).posted).toBe(shopBefore.posted + 800);
    // A captured authorisation cannot be voided.
    expect((await refusal(voidHold(authorisationId))).reason).toBe('HOLD_NOT_PENDING');
  });

  it('refuses the same authorisation id with other terms', async () => {
    const authorisationId = randomUUID();
    await hold({ authorisationId, amountCents: 300 });
    expect((await refusal(hold({ authorisationId, amountCents: 301 }))).reason).toBe(
      'AUTHORISATION_CONFLICT',
    );
    await voidHold(authorisationId);
  });

  it('voids: the IES are the holder’s again; a voided hold cannot be captured', async () => {
    const before = await balance(holderWallet);
    const authorisationId = randomUUID();
    await hold({ authorisationId, amountCents: 500 });
    expect((await voidHold(authorisationId)).status).toBe('VOIDED');
    expect((await voidHold(authorisationId)).status).toBe('VOIDED');
    expect((await balance(holderWallet)).available).toBe(before.available);
    expect((await refusal(capture(authorisationId))).reason).toBe('HOLD_NOT_PENDING');
    // Unknown authorisations: void answers UNKNOWN (nothing held), capture is refused.
    const unknown = randomUUID();
    expect((await voidHold(unknown)).status).toBe('UNKNOWN');
    expect((await state(unknown)).status).toBe('UNKNOWN');
    expect((await refusal(capture(unknown))).reason).toBe('HOLD_NOT_PENDING');
  });

  it('refuses more than the holder’s IES, a member with none, and a shop not accepting IES: nothing held', async () => {
    const before = await balance(holderWallet);
    const over = await refusal(hold({ amountCents: before.available + 1 }));
    expect(over.reason).toBe('INSUFFICIENT_IES');
    expect((await refusal(hold({ fiscalCode: POOR }))).reason).toBe('INSUFFICIENT_IES');
    for (const shop of [SHOP_NO_IES, SHOP_PENDING, SHOP_ELSEWHERE]) {
      expect((await refusal(hold({ shopOrganisationId: shop }))).reason).toBe('IES_NOT_ACCEPTED');
    }
    expect((await refusal(hold({ fiscalCode: STRANGER }))).reason).toBe('IES_NOT_ACCEPTED');
    expect((await balance(holderWallet)).available).toBe(before.available);
  });

  it('never overdraws under concurrent holds of the whole balance', async () => {
    const available = (await balance(holderWallet)).available;
    const attempts = await Promise.allSettled(
      Array.from({ length: 4 }, () => hold({ amountCents: available })),
    );
    const won = attempts.filter((a) => a.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect((await balance(holderWallet)).available).toBe(0);
    await voidHold(
      (won[0] as PromiseFulfilledResult<{ authorisationId: string }>).value.authorisationId,
    );
    expect((await balance(holderWallet)).available).toBe(available);
  });

  it('charges the circuit’s fee when it does not exempt welfare movements: the holder pays it on top', async () => {
    const authorisationId = randomUUID();
    const held = await hold({ authorisationId, shopOrganisationId: SHOP_FEE, amountCents: 1_000 });
    // 5 cents + 1% of 10,00 = 15 cents.
    expect(held).toMatchObject({ status: 'HELD', amountCents: 1_000, feeCents: 15 });
    expect((await capture(authorisationId)).status).toBe('CAPTURED');
    const after = await quote(HOLDER, SHOP_FEE);
    // 2000 - 1015 = 985 left: x + 5 + 1% of x <= 985 → 970.
    expect(after.spendableCents).toBe(970);
  });

  it('lets a lapsed hold expire on its own: the IES are the holder’s again until the sale’s capture', async () => {
    const before = await balance(holderWallet);
    const authorisationId = randomUUID();
    await hold({ authorisationId, amountCents: 200, timeoutSeconds: 1 });
    expect((await balance(holderWallet)).available).toBe(before.available - 200);
    await lapse();
    expect(await suite.services.cardFallback.expireLapsed(em())).toBeGreaterThanOrEqual(1);
    expect((await state(authorisationId)).status).toBe('EXPIRED');
    expect((await balance(holderWallet)).available).toBe(before.available);
    // A void of the lapsed hold changes nothing; a voided hold is never re-taken.
    expect((await voidHold(authorisationId)).status).toBe('EXPIRED');
  });
});

describe('a capture after the hold lapsed (the sale committed, the shop told "paid")', () => {
  const DEBTS = /* GraphQL */ `
    query ($circuitId: ID!) {
      iesCardFallbackDebts(circuitId: $circuitId) {
        authorisationId
        holderName
        shopName
        amountCents
        feeCents
        status
        settledAt
      }
    }
  `;
  type Debt = {
    authorisationId: string;
    status: string;
    amountCents: number;
    feeCents: number;
    settledAt: string | null;
  };
  const STAFF = member(ORG_A, 'COMUNE', 'OPERATOR');

  /** A fresh circuit with a shop accepting IES and a holder with `cents` of IES. */
  async function sale(cents: number, welfareExempt = true) {
    const seed = em();
    const { circuit, accounts } = await seedCircuit(seed, ORG_A, { welfareExempt });
    const shopOrg = randomUUID();
    const fiscalCode = randomFiscalCode();
    const holder = await seedMember(seed, circuit.id, {
      fiscalCode,
      issuedCents: cents,
      displayName: 'Teresa Titolare',
    });
    const shop = await seedMember(seed, circuit.id, {
      kind: 'BUSINESS',
      organisationId: shopOrg,
      displayName: 'Forno Buono',
    });
    const debts = async (caller = STAFF) => {
      const r = await suite.run<{ iesCardFallbackDebts: Debt[] }>(
        DEBTS,
        { circuitId: circuit.id },
        caller,
      );
      return r;
    };
    return { circuit, accounts, fiscalCode, shopOrg, holder, shop, debts };
  }

  it('re-takes the amount when the holder’s wallet covers it: CAPTURED, moved once', async () => {
    const s = await sale(1_000);
    const authorisationId = randomUUID();
    await hold({
      authorisationId,
      fiscalCode: s.fiscalCode,
      shopOrganisationId: s.shopOrg,
      amountCents: 300,
      timeoutSeconds: 1,
    });
    await lapse(); // not expired by the job yet: the capture expires it, then re-takes
    const captured = await capture(authorisationId);
    expect(captured).toMatchObject({ status: 'CAPTURED', amountCents: 300 });
    expect((await capture(authorisationId)).status).toBe('CAPTURED'); // idempotent
    expect((await state(authorisationId)).status).toBe('CAPTURED');
    expect((await balance(s.holder.walletId)).posted).toBe(700);
    expect((await balance(s.holder.walletId)).available).toBe(700);
    expect((await balance(s.shop.walletId)).posted).toBe(300);
    expect((await s.debts()).data?.iesCardFallbackDebts).toEqual([]);
  });

  it('re-takes the fee too where the circuit charges one', async () => {
    const s = await sale(2_000, false);
    const authorisationId = randomUUID();
    const held = await hold({
      authorisationId,
      fiscalCode: s.fiscalCode,
      shopOrganisationId: s.shopOrg,
      amountCents: 1_000,
      timeoutSeconds: 1,
    });
    expect(held.feeCents).toBe(15);
    await lapse();
    expect(await suite.services.cardFallback.expireLapsed(em())).toBeGreaterThanOrEqual(2);
    expect((await capture(authorisationId)).status).toBe('CAPTURED');
    expect((await balance(s.holder.walletId)).posted).toBe(2_000 - 1_015);
    expect((await balance(s.shop.walletId)).posted).toBe(1_000);
    expect((await balance(s.accounts.fees)).posted).toBe(15);
  });

  it('records a debt for the staff when the wallet no longer covers it, and settles it on a later capture', async () => {
    const s = await sale(300);
    const authorisationId = randomUUID();
    await hold({
      authorisationId,
      fiscalCode: s.fiscalCode,
      shopOrganisationId: s.shopOrg,
      amountCents: 300,
      timeoutSeconds: 1,
    });
    await lapse();
    await suite.services.cardFallback.expireLapsed(em());
    // Meanwhile the holder spent 200 of the IES that came back.
    const other = await seedMember(em(), s.circuit.id);
    await book.transfer(em(), {
      id: randomUUID(),
      debit: s.holder.walletId,
      credit: other.walletId,
      amount: 200,
      code: 'PAYMENT',
    });
    const refused = await refusal(capture(authorisationId));
    expect(refused.reason).toBe('HOLD_EXPIRED');
    expect((await refusal(capture(authorisationId))).reason).toBe('HOLD_EXPIRED'); // once
    expect((await balance(s.holder.walletId)).posted).toBe(100); // nothing taken
    expect((await balance(s.shop.walletId)).posted).toBe(0);
    const open = await s.debts();
    expect(open.errors).toBeUndefined();
    expect(open.data?.iesCardFallbackDebts).toEqual([
      {
        authorisationId,
        holderName: 'Teresa Titolare',
        shopName: 'Forno Buono',
        amountCents: 300,
        feeCents: 0,
        status: 'OPEN',
        settledAt: null,
      },
    ]);
    // Only the circuit's staff read it.
    expect(errorCode(await s.debts(member(ORG_B, 'COMUNE', 'OPERATOR')))).toBe('FORBIDDEN');
    expect(errorCode(await s.debts(member(s.shopOrg, 'MERCHANT', 'OWNER')))).toBe('FORBIDDEN');
    // The holder's wallet covers it again: the next capture re-takes it and settles the debt.
    await issue(em(), {
      id: randomUUID(),
      circuitId: s.circuit.id,
      creditAccountId: s.holder.walletId,
      amount: 500,
      code: TransferCode.ISSUANCE,
      reserveReference: `test purchase ${authorisationId}`,
    });
    expect((await capture(authorisationId)).status).toBe('CAPTURED');
    expect((await balance(s.holder.walletId)).posted).toBe(300);
    expect((await balance(s.shop.walletId)).posted).toBe(300);
    const settled = (await s.debts()).data?.iesCardFallbackDebts;
    expect(settled).toMatchObject([{ authorisationId, status: 'SETTLED' }]);
    expect(settled?.[0]?.settledAt).toEqual(expect.any(String));
  });
});
