// Issue 15, item 5: providers are paid for voucher-funded services and tutoring hours through the
// Comune's reimbursement batches, across processes as the launcher starts them: public-welfare asks
// identity for the provider's name and IBAN and third-sector for the delivered hours (the
// reimbursement contract, service to service), the lines reach the batch and its SEPA file, and
// marking it paid moves the provider's money out of its book account.
import { randomUUID } from 'node:crypto';
import { createTokenSigner, generateGatewayKeys } from '@welfare/kit/auth';
import { httpRequest } from '@welfare/kit/client';
import { FUND_PATHS, REIMBURSEMENT_PATHS, fundLeg } from '@welfare/kit/contracts';
import { romeDay } from '@welfare/kit/dates';
import { ServiceClient } from '@welfare/kit/service';
import { DEMO_CARD_HOLDER } from '@welfare/public-welfare/demo';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_COMUNE_ID,
  DEMO_ORG,
  DEMO_PASSWORD,
  DEMO_SPENDING_CAMPAIGN_ID,
  DEMO_TUTORING,
  demoEmail,
} from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import { bookProblems } from '../support/money.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

const LA_ESSE = DEMO_ORG.laEsse;
const LA_ESSE_IBAN = 'IT60Z0306943470100000000123';
/** A provider identity does not know: its money is held back, not dropped. */
const UNKNOWN_PROVIDER = randomUUID();
const TREASURY_IBAN = 'IT77X0100003245348300012345';

const CREATE = `mutation ($input: CreateReimbursementBatchInput!) {
  createReimbursementBatch(input: $input) {
    batch { id totalCents lineCount }
    lines { businessName amountCents }
    payeeLines { kind providerId providerName iban amountCents minutes hourlyTariffCents lessonCount }
    heldBack { kind providerId amountCents reason }
  }
}`;
const BATCH = `query ($id: ID!) { reimbursementBatch(id: $id) { batch { id status } payeeLines { kind amountCents } } }`;
const PROVIDER_PAID = `query ($providerId: ID!) {
  providerReimbursements(providerId: $providerId) { kind amountCents iban status campaignTitle batchId }
}`;
const SET_TARIFF = `mutation ($id: ID!, $input: TutoringProgrammeUpdate!) {
  updateTutoringProgramme(id: $id, input: $input) { id hourlyTariffCents }
}`;

interface Detail {
  batch: { id: string; totalCents: number; lineCount: number };
  lines: { businessName: string; amountCents: number }[];
  payeeLines: {
    kind: string;
    providerId: string;
    providerName: string;
    iban: string;
    amountCents: number;
    minutes: number | null;
    hourlyTariffCents: number | null;
    lessonCount: number | null;
  }[];
  heldBack: { kind: string; providerId: string; amountCents: number | null; reason: string }[];
}

describe('providers in the Comune’s reimbursement batches, across processes', () => {
  let platform: TestPlatform;
  let db: pg.Client;
  let payments: ServiceClient;
  let gateway: string;
  let origin: string;
  let operator: string;
  let manager: string;
  let batchId: string;

  /** A voucher-paid service of `cents` at the provider: the fund contract's hold and capture. */
  async function servicePaid(providerId: string, cents: number): Promise<void> {
    const legId = randomUUID();
    await payments.call(
      FUND_PATHS.hold,
      {
        legId,
        checkoutId: randomUUID(),
        fundId: DEMO_SPENDING_CAMPAIGN_ID,
        person: { personId: randomUUID(), fiscalCode: DEMO_CARD_HOLDER },
        offer: {
          payableRef: `offer-booking:${randomUUID()}`,
          offerId: randomUUID(),
          comuneId: DEMO_COMUNE_ID,
          providerId,
          category: 'EDUCATION',
          providerAccredited: true,
        },
        amountCents: cents,
        expiresAt: new Date(Date.now() + 600_000).toISOString(),
      },
      fundLeg,
    );
    expect((await payments.call(FUND_PATHS.capture, { legId }, fundLeg)).status).toBe('CAPTURED');
  }

  async function providerBalance(providerId: string): Promise<number> {
    const { rows } = await db.query<{ n: string }>(
      `select (credits_posted - debits_posted)::text as n from public_welfare.book_account where code = $1`,
      [`provider:${providerId}:campaign:${DEMO_SPENDING_CAMPAIGN_ID}`],
    );
    return Number(rows[0]?.n ?? 0);
  }

  beforeAll(async () => {
    const keys = { payments: await generateGatewayKeys() };
    platform = await startTestPlatform({
      web: false,
      // A `payments` key of the test's own, so that it can put money in the provider's account
      // through the fund contract (as the checkout does).
      subgraphEnv: {
        'public-welfare': {
          SERVICE_PUBLIC_KEYS: JSON.stringify({ payments: keys.payments.publicKey }),
        },
      },
    });
    gateway = platform.urls.gateway;
    origin = new URL(gateway).origin;
    payments = new ServiceClient({
      service: 'payments',
      privateKey: keys.payments.privateKey,
      audience: 'public-welfare',
      baseUrl: platform.urls.subgraphs['public-welfare']!,
    });
    db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    await db.query(
      `update public_welfare.campaign set service_categories = '{EDUCATION}' where id = $1`,
      [DEMO_SPENDING_CAMPAIGN_ID],
    );
    // The demo family's tutoring lesson was held three days ago, its pupil present (the register).
    const { rows } = await db.query<{ id: string }>(
      `select l.id from third_sector.tutoring_lesson l
         join third_sector.tutoring_booking b on b.lesson_id = l.id and b.status = 'SEATED'
        where l.programme_id = $1 order by l.starts_at limit 1`,
      [DEMO_TUTORING.programmeId],
    );
    const lessonId = rows[0]!.id;
    const starts = new Date(Date.now() - 3 * 86_400_000);
    const ends = new Date(starts.getTime() + 90 * 60_000);
    await db.query(
      `update third_sector.tutoring_lesson set starts_at = $2, ends_at = $3 where id = $1`,
      [lessonId, starts, ends],
    );
    await db.query(
      `update third_sector.tutoring_booking set starts_at = $2, ends_at = $3, attendance = 'PRESENT',
         attendance_marked_at = now(), attendance_marked_by = $4 where lesson_id = $1 and status = 'SEATED'`,
      [lessonId, starts, ends, randomUUID()],
    );
    operator = (await login(gateway, demoEmail('COMUNE', 'OPERATOR'), DEMO_PASSWORD)).token;
    manager = (await login(gateway, demoEmail('COMUNE', 'MANAGER'), DEMO_PASSWORD)).token;
  }, 240_000);

  afterAll(async () => {
    await db?.end();
    await platform?.close();
  });

  it('the Comune’s MANAGER sets the programme’s hourly tariff; a bad one is refused with its field', async () => {
    const input = (hourlyTariffCents: number) => ({
      title: 'Doposcuola – tutoraggio scolastico',
      startsOn: romeDay(new Date(Date.now() - 30 * 86_400_000)),
      endsOn: romeDay(new Date(Date.now() + 200 * 86_400_000)),
      budgetMinutes: 6000,
      hourlyTariffCents,
    });
    const bad = await gql(
      gateway,
      SET_TARIFF,
      { id: DEMO_TUTORING.programmeId, input: input(0) },
      { token: manager },
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.extensions?.fields?.map((f) => f.field)).toEqual(['hourlyTariffCents']);
    const set = await gql<{ updateTutoringProgramme: { hourlyTariffCents: number } }>(
      gateway,
      SET_TARIFF,
      { id: DEMO_TUTORING.programmeId, input: input(2000) },
      { token: manager },
    );
    expect(set.errors).toBeUndefined();
    expect(set.data!.updateTutoringProgramme.hourlyTariffCents).toBe(2000);
  });

  it('a voucher-paid service and the delivered hours reach the batch beside the shops; an unknown provider is held back', async () => {
    await servicePaid(LA_ESSE, 1_500);
    await servicePaid(UNKNOWN_PROVIDER, 400);
    expect(await providerBalance(LA_ESSE)).toBe(1_500);
    const refused = await gql(
      gateway,
      CREATE,
      {
        input: {
          campaignId: DEMO_SPENDING_CAMPAIGN_ID,
          cutOff: romeDay(new Date(Date.now() - 86_400_000)),
          debtorName: 'Comune di Balestrate – Tesoreria',
          debtorIban: 'IT00',
        },
      },
      { token: operator },
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0]?.extensions?.fields?.map((f) => f.field)).toEqual(['debtorIban']);

    const created = await gql<{ createReimbursementBatch: Detail }>(
      gateway,
      CREATE,
      {
        input: {
          campaignId: DEMO_SPENDING_CAMPAIGN_ID,
          cutOff: romeDay(new Date(Date.now() - 86_400_000)),
          debtorName: 'Comune di Balestrate – Tesoreria',
          debtorIban: TREASURY_IBAN,
        },
      },
      { token: operator },
    );
    expect(created.errors).toBeUndefined();
    const detail = created.data!.createReimbursementBatch;
    batchId = detail.batch.id;
    expect(detail.payeeLines).toEqual([
      {
        kind: 'PROVIDER_SERVICES',
        providerId: LA_ESSE,
        providerName: 'Cooperativa Sociale La Esse',
        iban: LA_ESSE_IBAN,
        amountCents: 1_500,
        minutes: null,
        hourlyTariffCents: null,
        lessonCount: null,
      },
      {
        kind: 'TUTORING',
        providerId: LA_ESSE,
        providerName: 'Cooperativa Sociale La Esse',
        iban: LA_ESSE_IBAN,
        // 90 minutes at 20.00 euro per hour.
        amountCents: 3_000,
        minutes: 90,
        hourlyTariffCents: 2000,
        lessonCount: 1,
      },
    ]);
    expect(detail.heldBack).toEqual([
      {
        kind: 'PROVIDER_SERVICES',
        providerId: UNKNOWN_PROVIDER,
        amountCents: 400,
        reason: 'UNKNOWN_PROVIDER',
      },
    ]);
    const shops = detail.lines.reduce((s, l) => s + l.amountCents, 0);
    expect(detail.batch.totalCents).toBe(shops + 4_500);
    expect(detail.batch.lineCount).toBe(detail.lines.length + 2);
  });

  it('the SEPA file pays the provider; marking the batch paid empties its account, once', async () => {
    const approve = await gql(
      gateway,
      `mutation ($id: ID!) { approveReimbursementBatch(id: $id) { id status } }`,
      { id: batchId },
      { token: manager },
    );
    expect(approve.errors).toBeUndefined();
    const sepa = await fetch(
      `${origin}/downloads/public-welfare/files/reimbursements/sepa.xml?batchId=${batchId}`,
      { headers: { authorization: `Bearer ${operator}` } },
    );
    expect(sepa.status).toBe(200);
    const xml = await sepa.text();
    expect(xml).toContain('<Nm>Cooperativa Sociale La Esse</Nm>');
    expect(xml).toContain(LA_ESSE_IBAN);
    expect(xml).toContain('<InstdAmt Ccy="EUR">15.00</InstdAmt>');
    expect(xml).toContain('<InstdAmt Ccy="EUR">30.00</InstdAmt>');
    const bank = { bankDate: romeDay(new Date()), bankReference: 'TRN-LAESSE-1' };
    const markPaid = `mutation ($id: ID!, $input: MarkReimbursementPaidInput!) {
      markReimbursementBatchPaid(id: $id, input: $input) { id status } }`;
    for (let i = 0; i < 2; i++) {
      const paid = await gql<{ markReimbursementBatchPaid: { status: string } }>(
        gateway,
        markPaid,
        { id: batchId, input: bank },
        { token: manager },
      );
      expect(paid.errors).toBeUndefined();
      expect(paid.data!.markReimbursementBatchPaid.status).toBe('PAID');
    }
    expect(await providerBalance(LA_ESSE)).toBe(0);
    expect(await providerBalance(UNKNOWN_PROVIDER)).toBe(400);
    expect(await bookProblems(db)).toEqual([]);
  });

  it('the provider sees what it was paid; another provider and another tenant see nothing', async () => {
    const laEsse = (await login(gateway, demoEmail('COOPERATIVE', 'ADMIN'), DEMO_PASSWORD)).token;
    const amici = (await login(gateway, demoEmail('ASSOCIATION', 'ADMIN'), DEMO_PASSWORD)).token;
    const mine = await gql<{
      providerReimbursements: { kind: string; amountCents: number; status: string }[];
    }>(gateway, PROVIDER_PAID, { providerId: LA_ESSE }, { token: laEsse });
    expect(mine.errors).toBeUndefined();
    expect(
      mine.data!.providerReimbursements.map((l) => [l.kind, l.amountCents, l.status]).sort(),
    ).toEqual([
      ['PROVIDER_SERVICES', 1_500, 'PAID'],
      ['TUTORING', 3_000, 'PAID'],
    ]);
    const other = await gql(gateway, PROVIDER_PAID, { providerId: LA_ESSE }, { token: amici });
    expect(other.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const batch = await gql(gateway, BATCH, { id: batchId }, { token: laEsse });
    expect(batch.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('identity’s payees answer public-welfare only: a gateway token is refused (401)', async () => {
    const token = await (
      await createTokenSigner(platform.keys.privateKey)
    )('identity', { kind: 'service', service: 'public-welfare' }, 'r1');
    const res = await httpRequest(
      new URL(REIMBURSEMENT_PATHS.payees, platform.urls.subgraphs.identity),
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ organisationIds: [LA_ESSE] }),
      },
    );
    expect(res.status).toBe(401);
    await res.text();
  });
});
