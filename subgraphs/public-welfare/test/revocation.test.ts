import { randomUUID } from 'node:crypto';
import type { PersonCaller } from '@welfare/kit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../src/modules/campaign/campaign.entity.js';
import { accountCodes, book } from '../src/modules/ledger/ledger.js';
import { saveMessageLanguage } from '../src/modules/messages/message.repository.js';
import { formatAmount } from '../src/modules/messages/templates.js';
import { LASTING_INCOME } from './campaign-fixtures.js';
import { CF, REGISTRY } from './fixtures.js';
import {
  COMUNE_A,
  COMUNE_B,
  caught,
  lockWaiters,
  setupSuite,
  staff,
  type Suite,
} from './helpers.js';
import {
  accredit,
  applyAndApprove,
  available,
  citizen,
  expectMoneyReconciled,
  liveCard,
  manager,
  merchantPerson,
  operator,
  publishCampaign,
  submitApplication,
} from './money-world.js';

/* The revocation of a benefit (decadenza): the unspent credit goes back to the campaign. */

let suite: Suite;
const em = () => suite.orm.em.fork();
const pins = new Map<string, string>();
const managerB = staff(COMUNE_B, 'MANAGER');

let main: Campaign;
let other: Campaign;
let shop: { id: string };
let cashier: PersonCaller;

const revoke = (
  caller: PersonCaller,
  applicationId: string,
  reason = 'Dichiarazione non veritiera',
) => suite.services.revocations.revoke(em(), caller, { applicationId, reason });

async function issueCards(campaign: Campaign) {
  const { issued } = await suite.services.cards.issueForCampaign(em(), operator, campaign.id);
  for (const i of issued) pins.set(i.fiscalCode, i.pin);
}

function pay(fiscalCode: string, amountCents: number, at = shop, by = cashier) {
  return suite.services.payments.charge(em(), by, {
    idempotencyKey: randomUUID(),
    accreditationId: at.id,
    card: { fiscalCode },
    pin: pins.get(fiscalCode)!,
    amountCents,
    category: 'FOOD',
  });
}

/** Rows a refused revocation must leave alone. */
async function written() {
  const [row] = await suite.sql<{ s: string }>(
    `select string_agg(id::text || status, ',' order by id) as s from public_welfare.application`,
  );
  return {
    statuses: row!.s,
    events: await suite.count('case_event'),
    audit: await suite.count('audit_event'),
    transfers: (
      await suite.sql<{ n: string }>(`select count(*)::text as n from public_welfare.book_transfer`)
    )[0]!.n,
  };
}

/** The BENEFIT_REVOKED messages of an application, by channel. */
function revokedMessages(applicationId: string) {
  return suite.sql<{ channel: string; language: string; subject: string; body: string }>(
    `select channel, language, subject, body from public_welfare.message
      where application_id = ? and template = 'BENEFIT_REVOKED' order by channel`,
    [applicationId],
  );
}

/** The posted balance of a book account by its code (0 when not opened). */
async function balance(code: string): Promise<number> {
  const [account] = await book.accounts(em(), { codes: [code] });
  return account?.posted ?? 0;
}

beforeAll(async () => {
  suite = await setupSuite('revocation');
  await suite.importText(operator, COMUNE_A, 'REGISTRY', REGISTRY);
  await suite.importText(operator, COMUNE_A, 'INCOME', LASTING_INCOME);
  main = await publishCampaign(suite, { title: 'Buoni spesa' });
  other = await publishCampaign(suite, { title: 'Bollette' });
  const merchantId = randomUUID();
  cashier = merchantPerson(merchantId, 'CASHIER');
  shop = await accredit(suite, merchantPerson(merchantId, 'OWNER'), merchantId, main);
}, 120_000);

afterAll(async () => {
  await suite?.close();
});

afterEach(async () => {
  await expectMoneyReconciled(suite);
});

describe('revoking a benefit (decadenza)', () => {
  it('returns exactly the unspent credit of that campaign, once, and later top-ups skip it', async () => {
    const mario = await applyAndApprove(suite, citizen(CF.mario), main);
    const marioOther = await applyAndApprove(suite, citizen(CF.mario), other);
    await issueCards(main);
    const card = await liveCard(suite, CF.mario);
    const entitlement = mario.amountCents!;
    await suite.services.topUps.topUpApplication(em(), operator, mario.id, {
      number: 1,
      percent: 50,
    });
    await suite.services.topUps.topUpApplication(em(), operator, marioOther.id);
    const credited = Math.floor(entitlement / 2);
    await pay(CF.mario, 1_234);
    const otherCredit = await available(suite, card.id, other.id);
    expect(otherCredit).toBe(marioOther.amountCents);

    // Bad input, the wrong role, another Comune: refused, nothing written.
    const before = await written();
    for (const reason of ['', '   ', 'x'.repeat(501)]) {
      const e = await caught(() => revoke(manager, mario.id, reason));
      expect(e.code).toBe('BAD_USER_INPUT');
      expect(e.fields.map((f) => f.field)).toEqual(['reason']);
    }
    expect((await caught(() => revoke(operator, mario.id))).code).toBe('FORBIDDEN');
    expect((await caught(() => revoke(managerB, mario.id))).code).toBe('NOT_FOUND');
    expect((await caught(() => revoke(manager, randomUUID()))).code).toBe('NOT_FOUND');
    // An application that was never granted: a field error.
    const sara = await submitApplication(suite, citizen(CF.sara), other);
    const afterSara = await written();
    const notGranted = await caught(() => revoke(manager, sara.id));
    expect(notGranted.code).toBe('BAD_USER_INPUT');
    expect(notGranted.fields.map((f) => f.field)).toEqual(['applicationId']);
    expect(await written()).toEqual(afterSara);
    expect(afterSara.transfers).toBe(before.transfers);
    // A refused revocation tells nobody anything.
    expect(await revokedMessages(mario.id)).toEqual([]);
    expect(await revokedMessages(sara.id)).toEqual([]);

    const fundBefore = await balance(accountCodes.fund(main.id));
    const result = await revoke(manager, mario.id, '  Controllo art. 71: ISEE non veritiero  ');
    expect(result).toMatchObject({
      applicationId: mario.id,
      creditedCents: credited,
      returnedCents: credited - 1_234,
      spentCents: 1_234,
    });
    // The money: card 0, the fund got the rest back, the shop keeps what was spent; the other
    // campaign's credit on the same card untouched.
    expect(await available(suite, card.id, main.id)).toBe(0);
    expect(await available(suite, card.id, other.id)).toBe(otherCredit);
    const fundAfter = await balance(accountCodes.fund(main.id));
    expect(fundAfter - fundBefore).toBe(credited - 1_234);
    expect(fundAfter + (await balance(accountCodes.shop(shop.id)))).toBe(main.budgetCents);
    // The case: REVOKED with its figures, the reason on the timeline, the audit log.
    const [app] = await suite.sql<{ status: string; returned: string; spent: string }>(
      `select status, revoked_returned_cents::text as returned, revoked_spent_cents::text as spent
         from public_welfare.application where id = ?`,
      [mario.id],
    );
    expect(app).toEqual({
      status: 'REVOKED',
      returned: String(credited - 1_234),
      spent: '1234',
    });
    const events = await suite.sql<{ note: string; from_status: string; to_status: string }>(
      `select note, from_status, to_status from public_welfare.case_event
        where application_id = ? and kind = 'REVOKED'`,
      [mario.id],
    );
    expect(events).toEqual([
      {
        note: 'Controllo art. 71: ISEE non veritiero',
        from_status: 'APPROVED',
        to_status: 'REVOKED',
      },
    ]);
    const audits = await suite.sql<{ subject: string }>(
      `select subject from public_welfare.audit_event where action = 'REVOKE_BENEFIT'`,
    );
    expect(audits).toEqual([{ subject: `application:${mario.id}` }]);
    // The budget: only what was spent stays committed; the monitoring counts the return.
    expect(await suite.services.cases.committedCents(em(), main.id)).toBe(1_234);
    const board = await suite.services.monitoring.dashboard(em(), manager, main.id);
    expect(board).toMatchObject({
      committedCents: 1_234,
      approvedApplications: 0,
      creditedCents: credited,
      spentCents: 1_234,
      returnedCents: credited - 1_234,
    });

    // Mario is told, in Italian, on the portal: the reason, what was taken back, what was spent.
    const told = await revokedMessages(mario.id);
    expect(told.map((m) => [m.channel, m.language, m.subject])).toEqual([
      ['PORTAL', 'it', `Revoca del beneficio: domanda ${mario.protocolNumber}`],
    ]);
    expect(told[0]!.body).toContain('«Buoni spesa»');
    expect(told[0]!.body).toContain(
      'Motivo indicato dal Comune: Controllo art. 71: ISEE non veritiero',
    );
    expect(told[0]!.body).toContain(
      `Il credito non ancora speso, ${formatAmount(credited - 1_234, 'it')}, è stato tolto dalla Sua carta`,
    );
    expect(told[0]!.body).toContain('Lei aveva già speso 12,34\u00a0€.');

    // The same revocation again: the same answer, nothing written, no second message.
    const once = await written();
    expect(await revoke(manager, mario.id, 'Di nuovo')).toEqual(result);
    expect(await written()).toEqual(once);
    expect(await revokedMessages(mario.id)).toEqual(told);

    // A later top-up skips it: the campaign's tranche credits nothing; the application's refused.
    const later = await suite.services.topUps.topUpCampaign(em(), operator, main.id, {
      number: 2,
      percent: 50,
    });
    expect(later.lines.map((l) => l.applicationId)).not.toContain(mario.id);
    expect(
      (
        await caught(() =>
          suite.services.topUps.topUpApplication(em(), operator, mario.id, { number: 2 }),
        )
      ).code,
    ).toBe('CONFLICT');
    expect(await available(suite, card.id, main.id)).toBe(0);
  });

  it('revokes an entry imported from a direct list, with nothing credited yet', async () => {
    const csv = `\ufeffcodice_fiscale;importo;motivo\r\n${CF.carla};80;Delibera n. 3/2026\r\n`;
    const imported = await suite.services.directList.importList(
      em(),
      operator,
      other.id,
      Buffer.from(csv).toString('base64'),
    );
    expect(imported.created).toBe(1);
    const [entry] = await suite.sql<{ id: string }>(
      `select id from public_welfare.application where campaign_id = ? and origin = 'DIRECT_LIST'`,
      [other.id],
    );
    // Carla chose English: she is told in English.
    await saveMessageLanguage(em(), suite.services.applications.fiscalCodeHash(CF.carla), 'en');
    expect(await revoke(manager, entry!.id)).toMatchObject({
      creditedCents: 0,
      returnedCents: 0,
      spentCents: 0,
    });
    const told = await revokedMessages(entry!.id);
    expect(told.map((m) => [m.channel, m.language])).toEqual([['PORTAL', 'en']]);
    expect(told[0]!.body).toContain('“Bollette”');
    expect(told[0]!.body).toContain('The credit not yet spent, €0.00, has been taken off');
    const [row] = await suite.sql<{ status: string }>(
      `select status from public_welfare.application where id = ?`,
      [entry!.id],
    );
    expect(row!.status).toBe('REVOKED');
  });

  it('releases a checkout’s pending hold on the revoked credit: it is returned, not captured later', async () => {
    const services = await publishCampaign(suite, {
      title: 'Doposcuola',
      serviceCategories: ['EDUCATION'],
    });
    const anna = await applyAndApprove(suite, citizen(CF.anna), services);
    await issueCards(services);
    await suite.services.topUps.topUpApplication(em(), operator, anna.id, { number: 1 });
    const card = await liveCard(suite, CF.anna);
    const credited = anna.amountCents!;
    const legId = randomUUID();
    await suite.services.funds.hold(em(), {
      legId,
      checkoutId: randomUUID(),
      fundId: services.id,
      person: { personId: randomUUID(), fiscalCode: CF.anna },
      offer: {
        payableRef: `offer-booking:${randomUUID()}`,
        offerId: randomUUID(),
        comuneId: services.comuneId,
        providerId: randomUUID(),
        category: 'EDUCATION',
        providerAccredited: true,
      },
      amountCents: 1_500,
      expiresAt: new Date(Date.now() + 600_000).toISOString(),
    });
    expect(await available(suite, card.id, services.id)).toBe(credited - 1_500);

    const result = await revoke(manager, anna.id);
    expect(result).toMatchObject({ returnedCents: credited, spentCents: 0 });
    expect(await available(suite, card.id, services.id)).toBe(0);
    // The checkout's leg was released: its capture is refused and nothing reaches the provider.
    expect((await suite.services.funds.release(em(), legId)).status).toBe('RELEASED');
    await expect(suite.services.funds.capture(em(), legId)).rejects.toThrow();
    expect(await available(suite, card.id, services.id)).toBe(0);
  });

  it('never returns more than was unspent when it races a card payment, in either order', async () => {
    // Sara is granted in two campaigns, each with its own merchant's shop: one race each.
    const third = await publishCampaign(suite, { title: 'Mensa' });
    const thirdMerchant = randomUUID();
    const thirdCashier = merchantPerson(thirdMerchant, 'CASHIER');
    const thirdShop = await accredit(
      suite,
      merchantPerson(thirdMerchant, 'OWNER'),
      thirdMerchant,
      third,
    );
    const inMain = await applyAndApprove(suite, citizen(CF.sara), main);
    const inThird = await applyAndApprove(suite, citizen(CF.sara), third);
    await issueCards(main);
    for (const app of [inMain, inThird]) {
      expect(app.status).toBe('APPROVED');
      await suite.services.topUps.topUpApplication(em(), operator, app.id, { number: 1 });
    }
    const card = await liveCard(suite, CF.sara);
    // Each order: a transaction holds the card's accounts; the first contender queues on them,
    // then the second; the lock is released and both run in that order.
    for (const [app, at, by, paymentFirst] of [
      [inMain, shop, cashier, true],
      [inThird, thirdShop, thirdCashier, false],
    ] as const) {
      const fiscalCode = CF.sara;
      const credited = app.amountCents!;
      const blocker = em();
      await blocker.begin();
      await blocker.execute(
        `select id from public_welfare.book_account where code like ? for update`,
        [`card:${card.id}:%`],
      );
      let settled = 0;
      const start = (f: () => Promise<unknown>) => f().finally(() => settled++);
      const first = paymentFirst
        ? start(() => pay(fiscalCode, 1_000, at, by))
        : start(() => revoke(manager, app.id));
      await lockWaiters(suite, 1, () => settled > 0);
      const second = paymentFirst
        ? start(() => revoke(manager, app.id))
        : start(() => pay(fiscalCode, 1_000, at, by));
      await lockWaiters(suite, 2, () => settled > 0);
      await blocker.commit();
      const [a, b] = await Promise.allSettled([first, second]);
      const [paid, revoked] = paymentFirst ? [a, b] : [b, a];
      expect(revoked.status).toBe('fulfilled');
      const result = (revoked as PromiseFulfilledResult<Awaited<ReturnType<typeof revoke>>>).value;
      if (paymentFirst) {
        expect(paid.status).toBe('fulfilled');
        expect(result).toMatchObject({ returnedCents: credited - 1_000, spentCents: 1_000 });
      } else {
        expect(paid.status).toBe('rejected');
        expect(result).toMatchObject({ returnedCents: credited, spentCents: 0 });
      }
      expect(result.returnedCents + result.spentCents).toBe(credited);
      expect(await available(suite, card.id, app.campaignId)).toBe(0);
    }
    const report = await book.checkInvariants(em());
    expect(report.problems).toEqual([]);
  });
});
