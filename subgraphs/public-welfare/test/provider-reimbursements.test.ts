import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { PersonCaller } from '@welfare/kit';
import type { DeliveredLesson, Payee } from '@welfare/kit/contracts';
import { romeDay } from '@welfare/kit/dates';
import { OutcomeUnknown } from '@welfare/kit/service';
import { validateXML } from 'xmllint-wasm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../src/modules/campaign/campaign.entity.js';
import { accountCodes, book } from '../src/modules/ledger/ledger.js';
import { ReimbursementService } from '../src/modules/reimbursement/reimbursement.service.js';
import { LASTING_INCOME } from './campaign-fixtures.js';
import { CF, REGISTRY } from './fixtures.js';
import { COMUNE_A, COMUNE_B, caught, setupSuite, staff, type Suite } from './helpers.js';
import {
  applyAndApprove,
  citizen,
  expectMoneyReconciled,
  manager,
  operator,
  publishCampaign,
} from './money-world.js';

/*
 * Third-sector providers in the Comune's reimbursement batches: voucher-funded services (the
 * provider's book account for the campaign) and tutoring statements (delivered hours × tariff),
 * beside the shops, in the same SEPA file. Identity and third-sector are played by in-process
 * peers (the contract's HTTP side is in tests/federation/provider-reimbursement.test.ts).
 */

const XSD = new URL('../src/modules/reimbursement/pain.001.001.03.xsd', import.meta.url);
const TREASURY_IBAN = 'IT77X0100003245348300012345';
const P1_IBAN = 'IT60X0542811101000000123456';
const P1 = randomUUID();
const P2 = randomUUID();
const OFFER = randomUUID();
const PROGRAMME_T1 = randomUUID();
const PROGRAMME_T2 = randomUUID();

let suite: Suite;
let campaign: Campaign;
let service: ReimbursementService;
const em = () => suite.orm.em.fork();
const today = romeDay(new Date());
/** The batches' clock: two days ahead, so that today is a past cut-off. */
const later = () => new Date(Date.now() + 2 * 86_400_000);

const payees = new Map<string, Payee>([
  [P1, { organisationId: P1, name: 'Cooperativa Il Faro', iban: P1_IBAN }],
  [P2, { organisationId: P2, name: 'Associazione Senza Conto', iban: null }],
]);
const lessons: DeliveredLesson[] = [];
let peersDown = false;
const peers = {
  payees: {
    payees: (ids: readonly string[]) =>
      peersDown
        ? Promise.reject(new OutcomeUnknown('identity', 'payees'))
        : Promise.resolve(ids.flatMap((id) => (payees.has(id) ? [payees.get(id)!] : []))),
  },
  hours: {
    deliveredLessons: (comuneId: string) =>
      peersDown
        ? Promise.reject(new OutcomeUnknown('third-sector', 'delivered-lessons'))
        : Promise.resolve(comuneId === COMUNE_A ? [...lessons] : []),
  },
};

const lesson = (programmeId: string, minutes: number, tariff: number | null): DeliveredLesson => ({
  lessonId: randomUUID(),
  programmeId,
  programmeTitle: programmeId === PROGRAMME_T1 ? 'Compiti insieme' : 'Matematica',
  providerId: P1,
  day: today,
  minutes,
  hourlyTariffCents: tariff,
});

const admin = (providerId: string): PersonCaller => ({
  kind: 'person',
  personId: randomUUID(),
  sessionId: randomUUID(),
  platformAdmin: false,
  memberships: [{ organisationId: providerId, organisationKind: 'COOPERATIVE', role: 'ADMIN' }],
});

/** Captures a voucher-paid service of `cents` at the provider (the fund contract's hold + capture). */
async function servicePaid(fiscalCode: string, providerId: string, cents: number) {
  const legId = randomUUID();
  await suite.services.funds.hold(em(), {
    legId,
    checkoutId: randomUUID(),
    fundId: campaign.id,
    person: { personId: randomUUID(), fiscalCode },
    offer: {
      payableRef: `offer-booking:${randomUUID()}`,
      offerId: OFFER,
      comuneId: COMUNE_A,
      providerId,
      category: 'EDUCATION',
      providerAccredited: true,
    },
    amountCents: cents,
    expiresAt: new Date(Date.now() + 600_000).toISOString(),
  });
  await suite.services.funds.capture(em(), legId);
  return legId;
}

async function providerBalance(providerId: string): Promise<number> {
  const [account] = await book.accounts(em(), {
    codes: [accountCodes.provider(providerId, campaign.id)],
  });
  return account?.posted ?? 0;
}

const input = (over: Record<string, unknown> = {}) => ({
  campaignId: campaign.id,
  cutOff: today,
  debtorName: 'Comune di Prova – Tesoreria',
  debtorIban: TREASURY_IBAN,
  debtorBic: null,
  ...over,
});

async function written() {
  return {
    batches: await suite.count('reimbursement_batch'),
    payeeLines: await suite.count('reimbursement_payee_line'),
    lessons: await suite.count('reimbursement_tutoring_lesson'),
    heldBack: await suite.count('reimbursement_held_back'),
    transfers: await suite.count('book_transfer'),
  };
}

beforeAll(async () => {
  suite = await setupSuite('provider_reimbursements');
  service = new ReimbursementService(later, peers);
  await suite.importText(operator, COMUNE_A, 'REGISTRY', REGISTRY);
  await suite.importText(operator, COMUNE_A, 'INCOME', LASTING_INCOME);
  campaign = await publishCampaign(suite, {
    title: 'Buoni servizi 2026',
    serviceCategories: ['EDUCATION'],
  });
  await applyAndApprove(suite, citizen(CF.mario), campaign);
  await applyAndApprove(suite, citizen(CF.sara), campaign);
  await suite.services.cards.issueForCampaign(em(), operator, campaign.id);
  await suite.services.topUps.topUpCampaign(em(), operator, campaign.id);
}, 120_000);

afterEach(async () => {
  peersDown = false;
  await expectMoneyReconciled(suite);
});

afterAll(async () => {
  await suite?.orm.close(true);
});

describe('providers in the reimbursement batches', () => {
  let first: string;
  let firstLeg: string;

  it('pays a provider’s voucher-funded services and a tutoring statement; holds back what it cannot pay', async () => {
    const leg = await servicePaid(CF.mario, P1, 3000);
    firstLeg = leg;
    await suite.services.funds.refund(em(), {
      legId: leg,
      refundId: randomUUID(),
      amountCents: 500,
    });
    await servicePaid(CF.sara, P2, 1200);
    lessons.push(
      lesson(PROGRAMME_T1, 60, 2400),
      lesson(PROGRAMME_T1, 90, 2400),
      lesson(PROGRAMME_T2, 60, null),
    );
    const detail = await service.create(em(), operator, input());
    first = detail.batch.id;
    expect(detail.lines).toEqual([]);
    expect(
      detail.payeeLines.map((l) => [l.kind, l.providerName, l.iban, l.amountCents, l.minutes]),
    ).toEqual([
      ['PROVIDER_SERVICES', 'Cooperativa Il Faro', P1_IBAN, 2500, null],
      // 150 minutes at 24.00 euro per hour.
      ['TUTORING', 'Cooperativa Il Faro', P1_IBAN, 6000, 150],
    ]);
    expect(detail.payeeLines[1]).toMatchObject({
      programmeId: PROGRAMME_T1,
      hourlyTariffCents: 2400,
      lessonCount: 2,
      periodFrom: today,
      periodTo: today,
    });
    expect(detail.heldBack.map((h) => [h.kind, h.providerId, h.amountCents, h.reason])).toEqual([
      ['PROVIDER_SERVICES', P2, 1200, 'NO_IBAN'],
      ['TUTORING', P1, null, 'NO_TARIFF'],
    ]);
    expect(detail.batch).toMatchObject({ totalCents: 8500, lineCount: 2, paymentCount: 0 });
  });

  it('puts the provider lines in the SEPA file, valid against the XSD', async () => {
    await service.approve(em(), manager, first);
    const { xml } = await service.sepaFile(em(), operator, first);
    expect(xml).toContain('<NbOfTxs>2</NbOfTxs>');
    expect(xml).toContain('<CtrlSum>85.00</CtrlSum>');
    expect(xml).toContain('Cooperativa Il Faro');
    expect(xml).toContain(P1_IBAN);
    expect(xml).toContain('Tutoraggio Compiti insieme ore 2,5');
    expect(xml).not.toContain('Senza Conto');
    const schema = await readFile(XSD, 'utf8');
    const result = await validateXML({
      xml: [{ fileName: 'pain.xml', contents: xml }],
      schema: [{ fileName: 'pain.001.001.03.xsd', contents: schema }],
    });
    expect(result.errors).toEqual([]);
  });

  it('marking paid moves the provider’s money out of its account once; replays move nothing', async () => {
    const settlement = accountCodes.settlement(COMUNE_A);
    const before = (await book.accounts(em(), { codes: [settlement] }))[0]?.posted ?? 0;
    const bank = { bankDate: today, bankReference: 'TRN-PROV-1' };
    await service.markPaid(em(), manager, first, bank);
    const transfers = await suite.count('book_transfer');
    await service.markPaid(em(), manager, first, bank);
    expect(await suite.count('book_transfer')).toBe(transfers);
    expect(await providerBalance(P1)).toBe(0);
    expect(await providerBalance(P2)).toBe(1200);
    const after = (await book.accounts(em(), { codes: [settlement] }))[0]!.posted;
    // Tutoring is the Comune's own budget: only the voucher money moved in the book.
    expect(after - before).toBe(2500);
  });

  it('a refund of a service already paid to the provider is refused, moving nothing', async () => {
    const before = await written();
    const refused = await caught(() =>
      suite.services.funds.refund(em(), {
        legId: firstLeg,
        refundId: randomUUID(),
        amountCents: 100,
      }),
    );
    expect(refused).toMatchObject({ code: 'CONFLICT', reason: 'INSUFFICIENT_FUNDS' });
    expect(await written()).toEqual(before);
  });

  it('never pays the same money or hours twice; a lesson recorded later goes in the next batch', async () => {
    const late = lesson(PROGRAMME_T1, 30, 2400);
    lessons.push(late);
    const next = await service.create(em(), operator, input());
    expect(next.payeeLines.map((l) => [l.kind, l.amountCents, l.lessonCount])).toEqual([
      ['TUTORING', 1200, 1],
    ]);
    // The held-back ones are reported again: their money and hours still wait.
    expect(next.heldBack.map((h) => h.reason).sort()).toEqual(['NO_IBAN', 'NO_TARIFF']);
    const refused = await caught(() => service.create(em(), operator, input()));
    expect(refused.code).toBe('BAD_USER_INPUT');
    expect(refused.fields.map((f) => f.field)).toEqual(['cutOff']);
  });

  it('two batches created at once take a provider’s new money once; a discarded batch frees it', async () => {
    await servicePaid(CF.mario, P1, 700);
    lessons.push(lesson(PROGRAMME_T1, 60, 2400));
    const results = await Promise.allSettled([
      service.create(em(), operator, input()),
      service.create(em(), operator, input()),
    ]);
    const made = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(made).toHaveLength(1);
    expect(made[0]!.payeeLines.map((l) => [l.kind, l.amountCents])).toEqual([
      ['PROVIDER_SERVICES', 700],
      ['TUTORING', 2400],
    ]);
    await service.discard(em(), operator, made[0]!.batch.id, 'Da rifare con la tesoreria giusta');
    const again = await service.create(em(), operator, input());
    expect(again.payeeLines.map((l) => [l.kind, l.amountCents])).toEqual([
      ['PROVIDER_SERVICES', 700],
      ['TUTORING', 2400],
    ]);
  });

  it('pays a provider once it has an IBAN: its held-back money comes in the next batch', async () => {
    payees.set(P2, { organisationId: P2, name: 'Associazione Senza Conto', iban: P1_IBAN });
    const detail = await service.create(em(), operator, input());
    expect(detail.payeeLines.map((l) => [l.providerId, l.amountCents])).toEqual([[P2, 1200]]);
  });
});

describe('tenancy and bad input', () => {
  it('a provider sees only its own lines; another provider, a Comune or a bad id get NOT_FOUND', async () => {
    const mine = await service.providerReimbursements(em(), admin(P1), P1);
    expect(mine.length).toBeGreaterThan(0);
    expect(new Set(mine.map((l) => l.providerId))).toEqual(new Set([P1]));
    expect(mine.some((l) => l.batch.status === 'PAID')).toBe(true);
    for (const [who, id] of [
      [admin(P2), P1],
      [operator, P1],
      [admin(P1), 'not-a-uuid'],
    ] as const) {
      expect((await caught(() => service.providerReimbursements(em(), who, id))).code).toBe(
        'NOT_FOUND',
      );
    }
  });

  it('another Comune neither reads a batch nor creates one of this campaign', async () => {
    const [batch] = await service.list(em(), operator, COMUNE_A);
    const otherStaff = staff(COMUNE_B);
    expect((await caught(() => service.detail(em(), otherStaff, batch!.id))).code).toBe(
      'NOT_FOUND',
    );
    const before = await written();
    expect((await caught(() => service.create(em(), otherStaff, input()))).code).toBe('NOT_FOUND');
    expect(await written()).toEqual(before);
  });

  it('refuses a bad cut-off and treasury IBAN with field errors, writing nothing', async () => {
    await servicePaid(CF.mario, P1, 100);
    const before = await written();
    const refused = await caught(() =>
      service.create(em(), operator, input({ cutOff: '2026-13-01', debtorIban: 'IT00' })),
    );
    expect(refused.code).toBe('BAD_USER_INPUT');
    expect(refused.fields.map((f) => f.field).sort()).toEqual(['cutOff', 'debtorIban']);
    expect(await written()).toEqual(before);
  });

  it('refuses the batch when identity or third-sector cannot answer (CONFLICT), writing nothing', async () => {
    peersDown = true;
    const before = await written();
    expect((await caught(() => service.create(em(), operator, input()))).code).toBe('CONFLICT');
    expect(await written()).toEqual(before);
  });
});
