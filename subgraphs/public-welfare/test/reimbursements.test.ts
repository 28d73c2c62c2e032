import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createLogger, type Caller, type PersonCaller, type Role } from '@welfare/kit';
import { startSubgraph, type RunningSubgraph } from '@welfare/kit/subgraph';
import { createTokenSigner, generateGatewayKeys } from '@welfare/kit/auth';
import { validateXML } from 'xmllint-wasm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Application } from '../src/modules/application/application.entity.js';
import type { Campaign } from '../src/modules/campaign/campaign.entity.js';
import { accountCodes, book } from '../src/modules/ledger/ledger.js';
import { romeDay } from '@welfare/kit/dates';
import { reimbursementRoutes } from '../src/modules/reimbursement/reimbursement.routes.js';
import { sepaProfileProblems, sepaText } from '../src/modules/reimbursement/sepa.js';
import type { ShopAccreditation } from '../src/modules/shop/shop.entity.js';
import { buildPublicWelfareSchema } from '../src/schema.js';
import { LASTING_INCOME, PDF, campaignInput } from './campaign-fixtures.js';
import { CF, REGISTRY } from './fixtures.js';
import { COMUNE_A, COMUNE_B, caught, errorCode, setupSuite, staff, type Suite } from './helpers.js';

const XSD = new URL('../src/modules/reimbursement/pain.001.001.03.xsd', import.meta.url);
const TREASURY_IBAN = 'IT77X0100003245348300012345';
const DAY = 86_400_000;

let suite: Suite;
let server: RunningSubgraph;
let sign: Awaited<ReturnType<typeof createTokenSigner>>;
const em = () => suite.orm.em.fork();
const operator = staff(COMUNE_A);
const manager = staff(COMUNE_A, 'MANAGER');
const operatorB = staff(COMUNE_B);
const managerB = staff(COMUNE_B, 'MANAGER');
const person = (memberships: PersonCaller['memberships'], fiscalCode?: string): PersonCaller => ({
  kind: 'person',
  personId: randomUUID(),
  sessionId: randomUUID(),
  platformAdmin: false,
  memberships,
  ...(fiscalCode ? { fiscalCode } : {}),
});
const merchantPerson = (merchantId: string, role: Role) =>
  person([{ organisationId: merchantId, organisationKind: 'MERCHANT', role }]);
const mario = person([], CF.mario);
const sara = person([], CF.sara);
const MERCHANT_A = randomUUID();
const MERCHANT_B = randomUUID();
const ownerA = merchantPerson(MERCHANT_A, 'OWNER');
const cashierA = merchantPerson(MERCHANT_A, 'CASHIER');
const ownerB = merchantPerson(MERCHANT_B, 'OWNER');
const cashierB = merchantPerson(MERCHANT_B, 'CASHIER');

let campaign: Campaign;
let shopA: ShopAccreditation;
let shopB: ShopAccreditation;
const pins = new Map<string, string>();
/** The payments, by name: see beforeAll. */
const pay: Record<string, string> = {};
const today = () => romeDay(new Date());
const daysAgo = (n: number) => romeDay(new Date(Date.now() - n * DAY));

async function sql<T = Record<string, unknown>>(query: string, params: unknown[] = []) {
  return suite.orm.em.getConnection().execute<T[]>(query, params);
}

async function apply(who: PersonCaller, c: Campaign): Promise<Application> {
  const draft = await suite.services.applications.saveDraft(em(), who, {
    campaignId: c.id,
    privacyNoticeAcknowledged: true,
    acceptedDeclarations: ['TRUE'],
  });
  await suite.services.applications.addDocument(em(), who, draft.id, {
    code: 'ID',
    fileName: 'ci.pdf',
    content: PDF,
  });
  return suite.services.applications.submit(em(), who, draft.id);
}

async function charge(
  cashier: PersonCaller,
  shop: ShopAccreditation,
  fiscalCode: string,
  amountCents: number,
) {
  const result = await suite.services.payments.charge(em(), cashier, {
    idempotencyKey: randomUUID(),
    accreditationId: shop.id,
    card: { fiscalCode },
    pin: pins.get(fiscalCode)!,
    amountCents,
    category: 'FOOD',
  });
  return result.payment.id;
}

/** Rows a refused operation must leave alone. */
async function written() {
  return {
    batches: await suite.count('reimbursement_batch'),
    lines: await suite.count('reimbursement_line'),
    payments: await suite.count('reimbursement_payment'),
    flags: await suite.count('payment_misuse'),
    flagEvents: await suite.count('payment_misuse_event'),
    transfers: await suite.count('book_transfer'),
  };
}

/** A shop's balance: its hot account's row and its credits not yet folded into it. */
async function shopBalance(shop: ShopAccreditation): Promise<number> {
  const [row] = await sql<{ n: string }>(
    `select coalesce(sum(a.credits_posted - a.debits_posted
       + (select coalesce(sum(p.amount), 0) from "public_welfare"."book_pending_credit" p
           where p.account_id = a.id)), 0)::text as n
       from "public_welfare"."book_account" a where a.code = ?`,
    [`shop:${shop.id}`],
  );
  return Number(row!.n);
}

const batchInput = (over: Record<string, unknown> = {}) => ({
  campaignId: campaign.id,
  cutOff: daysAgo(1),
  debtorName: 'Comune di Prova – Tesoreria',
  debtorIban: TREASURY_IBAN,
  debtorBic: null,
  ...over,
});

const auth = async (caller: Caller) => ({
  authorization: `Bearer ${await sign('public-welfare', caller, 'req-1')}`,
});
const get = async (caller: Caller, path: string) =>
  fetch(`${server.url}${path}`, { headers: await auth(caller) });

async function validate(xml: string) {
  const schema = await readFile(XSD, 'utf8');
  return validateXML({
    xml: [{ fileName: 'pain.xml', contents: xml }],
    schema: [{ fileName: 'pain.001.001.03.xsd', contents: schema }],
  });
}

beforeAll(async () => {
  suite = await setupSuite('reimbursements');
  const keys = await generateGatewayKeys();
  sign = await createTokenSigner(keys.privateKey);
  server = await startSubgraph({
    name: 'public-welfare',
    schema: await buildPublicWelfareSchema(suite.services),
    orm: suite.orm,
    host: '127.0.0.1',
    port: 0,
    gatewayPublicKey: keys.publicKey,
    logger: createLogger('public-welfare-test', 'silent'),
    routes: reimbursementRoutes({ orm: suite.orm, reimbursements: suite.services.reimbursements }),
  });
  await suite.importText(operator, COMUNE_A, 'REGISTRY', REGISTRY);
  await suite.importText(operator, COMUNE_A, 'INCOME', LASTING_INCOME);
  campaign = await suite.services.campaigns.publish(
    em(),
    manager,
    (await suite.services.campaigns.create(em(), operator, campaignInput(COMUNE_A))).id,
  );
  const apps = [await apply(mario, campaign), await apply(sara, campaign)];
  await suite.services.cases.bulkApprove(
    em(),
    operator,
    apps.map((a) => a.id),
  );
  const { issued } = await suite.services.cards.issueForCampaign(em(), operator, campaign.id);
  for (const i of issued) pins.set(i.fiscalCode, i.pin);
  await suite.services.topUps.topUpCampaign(em(), operator, campaign.id);
  for (const [owner, id] of [
    [ownerA, MERCHANT_A],
    [ownerB, MERCHANT_B],
  ] as const) {
    const requested = await suite.services.shops.requestAccreditation(em(), owner, {
      merchantId: id,
      campaignId: campaign.id,
      partitaIva: '12345678903',
      iban: id === MERCHANT_A ? 'IT60 X054 2811 1010 0000 0123 456' : 'IT40S0542811101000000123456',
      businessName: id === MERCHANT_A ? 'Alimentari Rossi & Figli' : 'Farmacia Sant’Anna',
      categories: ['FOOD'],
      pointsOfSale: [{ name: 'Centro', address: 'Via Roma 1, Prova' }],
    });
    const decided = await suite.services.shops.decide(em(), operator, requested.id, 'ACCREDITED');
    if (id === MERCHANT_A) shopA = decided;
    else shopB = decided;
  }
  // Shop A: old (10 days ago), flagged later, kept, voided, today's; shop B: one.
  pay.old = await charge(cashierA, shopA, CF.mario, 1000);
  pay.misuse = await charge(cashierA, shopA, CF.mario, 2000);
  pay.kept = await charge(cashierA, shopA, CF.sara, 1500);
  pay.voided = await charge(cashierA, shopA, CF.mario, 700);
  await suite.services.payments.voidPayment(em(), cashierA, pay.voided);
  pay.today = await charge(cashierA, shopA, CF.mario, 300);
  pay.shopB = await charge(cashierB, shopB, CF.sara, 2500);
  // Back-date them (as if made on earlier days).
  await sql(
    `update "public_welfare"."payment" set created_at = now() - interval '10 days' where id = ?`,
    [pay.old],
  );
  await sql(
    `update "public_welfare"."payment" set created_at = now() - interval '2 days' where id in (?, ?, ?, ?)`,
    [pay.misuse, pay.kept, pay.voided, pay.shopB],
  );
}, 120_000);
afterAll(() => server?.stop());

afterEach(async () => {
  const report = await book.checkInvariants(em());
  expect(report.problems).toEqual([]);
  // And the checks above the book (issue 11): the reconciliation of the Comune's money.
  expect(await suite.services.reconciliation.check(em(), COMUNE_A)).toEqual([]);
  expect(report.ok).toBe(true);
});

describe('bad input and tenancy', () => {
  it('refuses a bad treasury IBAN, a cut-off not in the past, an empty batch: nothing written', async () => {
    const before = await written();
    const bad = await caught(() =>
      suite.services.reimbursements.create(
        em(),
        operator,
        batchInput({
          debtorIban: 'IT78X0100003245348300012345', // wrong check digits
          cutOff: today(),
          debtorName: '  ',
          debtorBic: 'NOTABIC',
        }),
      ),
    );
    expect(bad.code).toBe('BAD_USER_INPUT');
    expect(bad.fields.map((f) => f.field).sort()).toEqual([
      'cutOff',
      'debtorBic',
      'debtorIban',
      'debtorName',
    ]);
    for (const f of bad.fields) {
      expect(f.message.it.length).toBeGreaterThan(3);
      expect(f.message.en.length).toBeGreaterThan(3);
    }
    for (const cutOff of [daysAgo(-3), '2026-02-30', 'ieri']) {
      const e = await caught(() =>
        suite.services.reimbursements.create(em(), operator, batchInput({ cutOff })),
      );
      expect(e.code).toBe('BAD_USER_INPUT');
      expect(e.fields.map((f) => f.field)).toEqual(['cutOff']);
    }
    // Nothing to reimburse up to 20 days ago.
    const empty = await caught(() =>
      suite.services.reimbursements.create(em(), operator, batchInput({ cutOff: daysAgo(20) })),
    );
    expect(empty.code).toBe('BAD_USER_INPUT');
    expect(empty.fields[0]!.message.en).toContain('No payment to reimburse');
    expect(await written()).toEqual(before);
  });

  it('tenancy: another Comune, a merchant, a citizen create, flag and read nothing', async () => {
    const before = await written();
    for (const who of [operatorB, managerB, ownerA, cashierB, mario]) {
      expect(
        (await caught(() => suite.services.reimbursements.create(em(), who, batchInput()))).code,
      ).toBe('NOT_FOUND');
      expect(
        (
          await caught(() =>
            suite.services.reimbursements.flag(em(), who, pay.misuse!, 'Acquisto di alcolici'),
          )
        ).code,
      ).toBe('NOT_FOUND');
      expect(
        (await caught(() => suite.services.reimbursements.preview(em(), who, campaign.id, today())))
          .code,
      ).toBe('NOT_FOUND');
      expect(
        (await caught(() => suite.services.reimbursements.list(em(), who, COMUNE_A))).code,
      ).toBe('FORBIDDEN');
    }
    // A shop sees only its own: the other merchant and the other Comune get NOT_FOUND.
    for (const who of [ownerB, cashierB, operatorB, mario]) {
      expect(
        (await caught(() => suite.services.reimbursements.dashboard(em(), who, shopA.id))).code,
      ).toBe('NOT_FOUND');
      expect(
        (
          await caught(() =>
            suite.services.reimbursements.statement(em(), who, shopA.id, null, null),
          )
        ).code,
      ).toBe('NOT_FOUND');
      expect(
        (await get(who, `/files/reimbursements/statement.csv?accreditationId=${shopA.id}`)).status,
      ).toBe(404);
    }
    expect((await suite.services.reimbursements.dashboard(em(), cashierB, shopB.id)).total).toBe(1);
    expect(await written()).toEqual(before);
  });
});

describe('misuse flags', () => {
  it('need a reason, refuse voided and flagged payments, keep an append-only history', async () => {
    const before = await written();
    const noReason = await caught(() =>
      suite.services.reimbursements.flag(em(), operator, pay.misuse!, ' x '),
    );
    expect(noReason.code).toBe('BAD_USER_INPUT');
    expect(noReason.fields.map((f) => f.field)).toEqual(['reason']);
    expect(
      (
        await caught(() =>
          suite.services.reimbursements.flag(em(), operator, pay.voided!, 'Acquisto sospetto'),
        )
      ).code,
    ).toBe('CONFLICT');
    expect(
      (
        await caught(() =>
          suite.services.reimbursements.clearFlag(em(), operator, pay.kept!, 'Nessun motivo'),
        )
      ).code,
    ).toBe('CONFLICT');
    expect(await written()).toEqual(before);

    const flagged = await suite.services.reimbursements.flag(
      em(),
      operator,
      pay.misuse!,
      'Acquisto di alcolici con la carta',
    );
    expect(flagged.state).toBe('FLAGGED');
    expect(flagged.flagReason).toBe('Acquisto di alcolici con la carta');
    expect(
      (
        await caught(() =>
          suite.services.reimbursements.flag(em(), manager, pay.misuse!, 'Ancora alcolici'),
        )
      ).code,
    ).toBe('CONFLICT');
    // Flag and clear another one: the history keeps both.
    await suite.services.reimbursements.flag(em(), operator, pay.kept!, 'Scontrino da verificare');
    const cleared = await suite.services.reimbursements.clearFlag(
      em(),
      manager,
      pay.kept!,
      'Scontrino verificato: acquisto regolare',
    );
    expect(cleared.state).toBe('TO_BE_REIMBURSED');
    const history = await suite.services.reimbursements.flagHistory(em(), operator, pay.kept!);
    expect(history.map((h) => [h.action, h.actorId])).toEqual([
      ['FLAG', operator.personId],
      ['CLEAR', manager.personId],
    ]);
    await expect(
      sql(`update "public_welfare"."payment_misuse_event" set reason = 'altro'`),
    ).rejects.toThrow(/append-only/);
    await expect(sql(`delete from "public_welfare"."payment_misuse_event"`)).rejects.toThrow(
      /append-only/,
    );
    expect(await suite.count('payment_misuse_event')).toBe(3);
  });
});

describe('batches', () => {
  let firstId = '';
  let secondId = '';

  it('takes the payments up to the cut-off, one line per shop', async () => {
    const detail = await suite.services.reimbursements.create(
      em(),
      operator,
      batchInput({ cutOff: daysAgo(5) }),
    );
    firstId = detail.batch.id;
    expect(detail.batch.status).toBe('DRAFT');
    expect(detail.batch.debtorIban).toBe(TREASURY_IBAN);
    expect(detail.lines.map((l) => [l.accreditationId, l.amountCents, l.paymentCount])).toEqual([
      [shopA.id, 1000, 1],
    ]);
    expect(detail.batch.totalCents).toBe(1000);
  });

  it('two batches created at once never take the same payment; flagged, voided and later ones stay out', async () => {
    const results = await Promise.allSettled(
      [0, 1, 2, 3].map(() => suite.services.reimbursements.create(em(), operator, batchInput())),
    );
    const made = results.filter((r) => r.status === 'fulfilled');
    expect(made).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected')
        expect((r.reason as { code: string }).code).toBe('BAD_USER_INPUT');
    }
    const detail = made[0]!.value;
    secondId = detail.batch.id;
    const lines = Object.fromEntries(detail.lines.map((l) => [l.accreditationId, l]));
    expect(lines[shopA.id]!.amountCents).toBe(1500); // kept; not misuse (flagged), voided, today's
    expect(lines[shopB.id]!.amountCents).toBe(2500);
    expect(lines[shopA.id]!.iban).toBe('IT60X0542811101000000123456');
    expect(detail.batch.totalCents).toBe(4000);
    expect(detail.batch.paymentCount).toBe(2);
    expect(detail.batch.lineCount).toBe(2);
    // The flagged payment is shown as excluded.
    expect(detail.excluded.map((e) => [e.id, e.state])).toEqual([[pay.misuse, 'FLAGGED']]);
    const rows = await sql<{ payment_id: string; batch_id: string }>(
      `select payment_id, batch_id from "public_welfare"."reimbursement_payment" order by payment_id`,
    );
    expect(rows.map((r) => r.payment_id).sort()).toEqual(
      [pay.old, pay.kept, pay.shopB].map(String).sort(),
    );
    expect(new Set(rows.map((r) => r.payment_id)).size).toBe(rows.length);
    // The database refuses a payment's leg (payment and accreditation) in a second batch and the
    // void of a batched payment.
    await expect(
      sql(
        `insert into "public_welfare"."reimbursement_payment" (payment_id, accreditation_id, batch_id, line_id, amount_cents)
         select payment_id, accreditation_id, ?, line_id, amount_cents from "public_welfare"."reimbursement_payment" where batch_id = ?`,
        [firstId, secondId],
      ),
    ).rejects.toThrow(/reimbursement_payment_pkey/);
    await expect(
      sql(
        `update "public_welfare"."payment" set status = 'VOIDED', voided_at = now(), void_transfer_ids = '[]' where id = ?`,
        [pay.kept],
      ),
    ).rejects.toThrow(/reimbursement batch/);
  });

  it('refuses to flag a payment already in an unpaid batch (CONFLICT), writing nothing', async () => {
    const before = await written();
    const e = await caught(() =>
      suite.services.reimbursements.flag(em(), operator, pay.kept!, 'Troppo tardi'),
    );
    expect(e.code).toBe('CONFLICT');
    expect(await written()).toEqual(before);
  });

  it('states and roles: DRAFT → APPROVED (MANAGER) → PAID; the SEPA file only once approved', async () => {
    const before = await written();
    expect(
      (await caught(() => suite.services.reimbursements.approve(em(), operator, secondId))).code,
    ).toBe('FORBIDDEN');
    expect(
      (await caught(() => suite.services.reimbursements.approve(em(), managerB, secondId))).code,
    ).toBe('NOT_FOUND');
    expect(
      (
        await caught(() =>
          suite.services.reimbursements.markPaid(em(), manager, secondId, {
            bankDate: today(),
            bankReference: 'CRO 123',
          }),
        )
      ).code,
    ).toBe('CONFLICT');
    expect((await get(manager, `/files/reimbursements/sepa.xml?batchId=${secondId}`)).status).toBe(
      409,
    );
    // Tenancy of the reads and of the flags' other operations.
    for (const who of [operatorB, managerB, ownerA, cashierB, mario]) {
      expect(
        (await caught(() => suite.services.reimbursements.detail(em(), who, secondId))).code,
      ).toBe('NOT_FOUND');
      expect(
        (await caught(() => suite.services.reimbursements.flagHistory(em(), who, pay.misuse!)))
          .code,
      ).toBe('NOT_FOUND');
      expect(
        (
          await caught(() =>
            suite.services.reimbursements.clearFlag(em(), who, pay.misuse!, 'Non è vero'),
          )
        ).code,
      ).toBe('NOT_FOUND');
    }
    expect(await written()).toEqual(before);
    const approved = await suite.services.reimbursements.approve(em(), manager, secondId);
    expect(approved.status).toBe('APPROVED');
    expect(approved.approvedAt).toBeInstanceOf(Date);
    expect((await suite.services.reimbursements.approve(em(), manager, secondId)).status).toBe(
      'APPROVED',
    );
    const list = await suite.services.reimbursements.list(em(), operator, COMUNE_A);
    expect(list.map((b) => [b.id, b.status])).toEqual(
      expect.arrayContaining([
        [firstId, 'DRAFT'],
        [secondId, 'APPROVED'],
      ]),
    );
  });

  it('exports a SEPA pain.001.001.03 that validates against the XSD; tampered files do not', async () => {
    for (const who of [operatorB, ownerA, mario]) {
      expect((await get(who, `/files/reimbursements/sepa.xml?batchId=${secondId}`)).status).toBe(
        404,
      );
    }
    const answer = await get(operator, `/files/reimbursements/sepa.xml?batchId=${secondId}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('application/xml');
    const xml = await answer.text();
    expect(xml).toContain('xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"');
    const result = await validate(xml);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    expect(sepaProfileProblems(xml)).toEqual([]);
    // NbOfTxs and CtrlSum equal the lines and the batch total (GrpHdr and PmtInf).
    const detail = await suite.services.reimbursements.detail(em(), operator, secondId);
    expect([...xml.matchAll(/<NbOfTxs>(\d+)<\/NbOfTxs>/g)].map((m) => m[1])).toEqual(['2', '2']);
    expect([...xml.matchAll(/<CtrlSum>([^<]+)<\/CtrlSum>/g)].map((m) => m[1])).toEqual([
      '40.00',
      '40.00',
    ]);
    expect(detail.batch.totalCents).toBe(4000);
    expect(xml.match(/<CdtTrfTxInf>/g)).toHaveLength(detail.lines.length);
    expect(xml).toContain('<InstdAmt Ccy="EUR">15.00</InstdAmt>');
    expect(xml).toContain('<InstdAmt Ccy="EUR">25.00</InstdAmt>');
    expect(xml).toContain(`<IBAN>${TREASURY_IBAN}</IBAN>`);
    expect(xml).toContain('<IBAN>IT60X0542811101000000123456</IBAN>');
    // Text in the SEPA character set: & → +, ’ → ', – → -.
    expect(xml).toContain('<Nm>Alimentari Rossi + Figli</Nm>');
    expect(xml).toContain('<Nm>Farmacia Sant&apos;Anna</Nm>');
    expect(xml).toContain('<Nm>Comune di Prova - Tesoreria</Nm>');
    expect(xml).toMatch(/<Ustrd>Rimborso Buoni spesa di prova lotto [0-9a-f]{8} periodo /);
    for (const id of [...xml.matchAll(/<(?:MsgId|EndToEndId|PmtInfId)>([^<]+)</g)])
      expect(id[1]!.length).toBeLessThanOrEqual(35);

    const tampered: [string, string][] = [
      ['bad IBAN', xml.replace('<IBAN>IT60X', '<IBAN>it60X')],
      ['IBAN too long', xml.replace(TREASURY_IBAN, `${TREASURY_IBAN}12345678901234`)],
      ['6 decimals', xml.replace('>15.00<', '>15.000001<')],
      ['missing EndToEndId', xml.replace(/<EndToEndId>[^<]*<\/EndToEndId>/, '')],
      ['missing NbOfTxs in GrpHdr', xml.replace(/<NbOfTxs>2<\/NbOfTxs>/, '')],
      ['bad currency', xml.replace('Ccy="EUR"', 'Ccy="eur"')],
      ['bad method', xml.replace('<PmtMtd>TRF</PmtMtd>', '<PmtMtd>SEPA</PmtMtd>')],
      ['name over 140', xml.replace('<Nm>Farmacia', `<Nm>${'x'.repeat(140)}`)],
    ];
    for (const [what, doc] of tampered) {
      expect(doc, what).not.toBe(xml);
      expect((await validate(doc)).valid, what).toBe(false);
    }
    // The SEPA rules on top of the ISO schema (which allows 5 decimals and no CtrlSum).
    const threeDecimals = xml.replace('>15.00<', '>15.005<');
    expect((await validate(threeDecimals)).valid).toBe(true);
    expect(sepaProfileProblems(threeDecimals).length).toBeGreaterThan(0);
    const noCtrlSum = xml.replace(/<CtrlSum>[^<]*<\/CtrlSum>/g, '');
    expect((await validate(noCtrlSum)).valid).toBe(true);
    expect(sepaProfileProblems(noCtrlSum)).toContain('CtrlSum missing in GrpHdr or PmtInf');
    expect(sepaProfileProblems(xml.replace('>40.00<', '>40.01<')).length).toBeGreaterThan(0);
  });

  it('marks paid once: the shops’ reimbursed money leaves their accounts, replays move nothing', async () => {
    const before = await written();
    const balanceA = await shopBalance(shopA);
    const balanceB = await shopBalance(shopB);
    expect(balanceA).toBe(1000 + 2000 + 1500 + 300);
    expect(balanceB).toBe(2500);
    for (const input of [
      { bankDate: daysAgo(-2), bankReference: 'CRO 1' },
      { bankDate: today(), bankReference: '   ' },
      { bankDate: '24/11/2026', bankReference: 'CRO 1' },
    ]) {
      expect(
        (await caught(() => suite.services.reimbursements.markPaid(em(), manager, secondId, input)))
          .code,
      ).toBe('BAD_USER_INPUT');
    }
    const input = { bankDate: today(), bankReference: 'CRO 0001234567' };
    for (const who of [operator, managerB, ownerA]) {
      expect(
        (await caught(() => suite.services.reimbursements.markPaid(em(), who, secondId, input)))
          .code,
      ).toMatch(/FORBIDDEN|NOT_FOUND/);
    }
    expect(await written()).toEqual(before);

    const paid = await Promise.all(
      [0, 1, 2].map(() => suite.services.reimbursements.markPaid(em(), manager, secondId, input)),
    );
    for (const p of paid) expect(p.status).toBe('PAID');
    expect(paid[0]!.bankReference).toBe('CRO 0001234567');
    expect(await suite.count('book_transfer')).toBe(before.transfers + 2);
    await suite.services.reimbursements.markPaid(em(), manager, secondId, input);
    expect(await suite.count('book_transfer')).toBe(before.transfers + 2);
    // Shop A keeps the flagged, today's and the first batch's (unpaid) money; B is at 0.
    expect(await shopBalance(shopA)).toBe(balanceA - 1500);
    expect(await shopBalance(shopB)).toBe(0);
    const [settlement] = await sql<{ posted: string; kind: string }>(
      `select (credits_posted - debits_posted)::text as posted, kind from "public_welfare"."book_account" where code = ?`,
      [accountCodes.settlement(COMUNE_A)],
    );
    expect(settlement).toEqual({ posted: '4000', kind: 'SETTLEMENT' });
    const report = await book.checkInvariants(em());
    expect(report.totals.debitsPosted).toBe(report.totals.creditsPosted);
    // Paid: a payment in it can no longer be flagged.
    expect(
      (
        await caught(() =>
          suite.services.reimbursements.flag(em(), operator, pay.shopB!, 'Dopo il pagamento'),
        )
      ).code,
    ).toBe('CONFLICT');
    expect(
      (await caught(() => suite.services.reimbursements.approve(em(), manager, secondId))).code,
    ).toBe('CONFLICT');
    // The SEPA file of a PAID batch can still be downloaded.
    expect((await get(manager, `/files/reimbursements/sepa.xml?batchId=${secondId}`)).status).toBe(
      200,
    );
  });

  it('a PAID batch refuses another bank date or reference (CONFLICT); the same ones answer unchanged', async () => {
    const before = await written();
    const paid = await suite.services.reimbursements.detail(em(), operator, secondId);
    expect(paid.batch).toMatchObject({ status: 'PAID', bankReference: 'CRO 0001234567' });
    const { bankDate, bankReference } = paid.batch;
    for (const input of [
      { bankDate: bankDate!, bankReference: 'CRO 7654321' },
      { bankDate: daysAgo(1), bankReference: bankReference! },
      { bankDate: daysAgo(1), bankReference: 'CRO 7654321' },
    ]) {
      const e = (await caught(() =>
        suite.services.reimbursements.markPaid(em(), manager, secondId, input),
      )) as unknown as { code: string; localized: { it: string; en: string } };
      expect(e.code).toBe('CONFLICT');
      expect(e.localized.it.length).toBeGreaterThan(10);
      expect(e.localized.en).toContain('already been paid');
    }
    const graphql = await suite.run(
      `mutation($id: ID!, $input: MarkReimbursementPaidInput!) { markReimbursementBatchPaid(id: $id, input: $input) { id } }`,
      { id: secondId, input: { bankDate: daysAgo(1), bankReference: bankReference! } },
      manager,
    );
    expect(errorCode(graphql)).toBe('CONFLICT');
    expect(await written()).toEqual(before);
    const after = await suite.services.reimbursements.detail(em(), operator, secondId);
    expect(after.batch).toEqual(paid.batch);
    // The same date and reference (after the same normalisation of spaces): the batch, unchanged.
    const replay = await suite.services.reimbursements.markPaid(em(), manager, secondId, {
      bankDate: bankDate!,
      bankReference: `  ${bankReference!.replace(' ', '   ')} `,
    });
    expect(replay).toEqual(paid.batch);
    expect(await written()).toEqual(before);
  });
});

describe('the shop’s dashboard and statement', () => {
  it('shows the merchant its totals and transactions, paged and by period', async () => {
    const d = await suite.services.reimbursements.dashboard(em(), ownerA, shopA.id, {
      limit: 2,
    });
    expect(d.total).toBe(5);
    expect(d.transactions).toHaveLength(2);
    expect(d.transactions[0]!.id).toBe(pay.today); // newest first
    expect(d.totals).toEqual({
      authorisedCents: 1000 + 2000 + 1500 + 300,
      authorisedCount: 4,
      voidedCents: 700,
      voidedCount: 1,
      flaggedCents: 2000,
      flaggedCount: 1,
      inBatchCents: 1000,
      reimbursedCents: 1500,
      toBeReimbursedCents: 300,
    });
    const page2 = await suite.services.reimbursements.dashboard(em(), cashierA, shopA.id, {
      limit: 2,
      offset: 2,
    });
    expect(page2.transactions.map((t) => t.id)).not.toContain(d.transactions[0]!.id);
    const states = Object.fromEntries(
      (
        await suite.services.reimbursements.statement(em(), ownerA, shopA.id, null, null)
      ).transactions.map((t) => [t.id, t.state]),
    );
    expect(states).toEqual({
      [pay.old!]: 'IN_BATCH',
      [pay.misuse!]: 'FLAGGED',
      [pay.kept!]: 'REIMBURSED',
      [pay.voided!]: 'VOIDED',
      [pay.today!]: 'TO_BE_REIMBURSED',
    });
    const todayOnly = await suite.services.reimbursements.dashboard(em(), ownerA, shopA.id, {
      from: today(),
      to: today(),
    });
    expect(todayOnly.transactions.map((t) => t.id)).toEqual([pay.today]);
    expect(todayOnly.totals.authorisedCents).toBe(300);
    const bad = await caught(() =>
      suite.services.reimbursements.dashboard(em(), ownerA, shopA.id, {
        from: today(),
        to: daysAgo(3),
        limit: 0,
      }),
    );
    expect(bad.code).toBe('BAD_USER_INPUT');
    expect(bad.fields.map((f) => f.field).sort()).toEqual(['limit', 'to']);
  });

  it('downloads the statement CSV (Italian Excel style) for the merchant and the Comune', async () => {
    const from = daysAgo(3);
    for (const who of [ownerA, operator]) {
      const answer = await get(
        who,
        `/files/reimbursements/statement.csv?accreditationId=${shopA.id}&from=${from}&to=${today()}`,
      );
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      const bytes = Buffer.from(await answer.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM
      const lines = bytes.subarray(3).toString('utf8').split('\r\n');
      expect(lines[0]).toBe(
        'data_ora;id_pagamento;categoria;importo_euro;stato_pagamento;stato_rimborso;motivo_segnalazione;lotto_rimborso',
      );
      const byId = new Map(lines.slice(1).map((l) => [l.split(';')[1] ?? '', l.split(';')]));
      expect(byId.get(pay.misuse!)!.slice(3, 7)).toEqual([
        '20,00',
        'AUTORIZZATO',
        'SEGNALATO_USO_IMPROPRIO',
        'Acquisto di alcolici con la carta',
      ]);
      expect(byId.get(pay.kept!)!.slice(3, 6)).toEqual(['15,00', 'AUTORIZZATO', 'RIMBORSATO']);
      expect(byId.get(pay.old!)).toBeUndefined(); // 10 days ago: outside the period
      expect(lines).toContain('totale_rimborsato;;;15,00');
    }
    const bad = await get(
      ownerA,
      `/files/reimbursements/statement.csv?accreditationId=${shopA.id}&from=2026-13-01`,
    );
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as {
      errors: { extensions: { fields: { field: string }[] } }[];
    };
    expect(body.errors[0]!.extensions.fields[0]!.field).toBe('from');
  });

  it('keeps a misuse reason a spreadsheet would run as text in the statement CSV', async () => {
    const setReason = (reason: string) =>
      suite.orm.em
        .getConnection()
        .execute(
          `update "public_welfare"."payment_misuse" set "reason" = ? where "payment_id" = ?`,
          [reason, pay.misuse],
        );
    await setReason('=HYPERLINK("http://evil.example","Dettagli")');
    try {
      const answer = await get(
        ownerA,
        `/files/reimbursements/statement.csv?accreditationId=${shopA.id}&from=${daysAgo(3)}&to=${today()}`,
      );
      const lines = Buffer.from(await answer.arrayBuffer())
        .subarray(3)
        .toString('utf8')
        .split('\r\n');
      const line = lines.find((l) => l.includes(pay.misuse!))!;
      expect(line).toContain(`;"'=HYPERLINK(""http://evil.example"",""Dettagli"")";`);
    } finally {
      await setReason('Acquisto di alcolici con la carta');
    }
  });

  it('answers over GraphQL with field errors in Italian and English', async () => {
    const ok = await suite.run<{
      shopReimbursementDashboard: { total: number; totals: { reimbursedCents: number } };
    }>(
      `query($id: ID!) { shopReimbursementDashboard(accreditationId: $id) { total totals { reimbursedCents } } }`,
      { id: shopA.id },
      ownerA,
    );
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.shopReimbursementDashboard).toEqual({
      total: 5,
      totals: { reimbursedCents: 1500 },
    });
    const bad = await suite.run(
      `mutation($input: CreateReimbursementBatchInput!) { createReimbursementBatch(input: $input) { batch { id } } }`,
      { input: batchInput({ debtorIban: 'IT00X0000' }) },
      operator,
    );
    const error = bad.errors![0]!.originalError as unknown as {
      code: string;
      fields: { field: string; message: { it: string; en: string } }[];
    };
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.fields[0]).toEqual({
      field: 'debtorIban',
      message: {
        it: 'IBAN di tesoreria non valido (area SEPA, cifre di controllo).',
        en: 'Invalid treasury IBAN (SEPA area, check digits).',
      },
    });
  });
});

describe('discarding a DRAFT batch', () => {
  /** Two more payments of 3 days ago: shop A (Mario) and shop B (Sara). */
  const late = { a: '', b: '' };
  /** The batch drafted and discarded here, and the batch drafted again after the flag. */
  let discardedId = '';
  let againId = '';
  const REASON = 'Uso improprio scoperto dopo la bozza';

  beforeAll(async () => {
    late.a = await charge(cashierA, shopA, CF.mario, 400);
    late.b = await charge(cashierB, shopB, CF.sara, 600);
    await sql(
      `update "public_welfare"."payment" set created_at = now() - interval '3 days' where id in (?, ?)`,
      [late.a, late.b],
    );
  });

  async function batchWith(status: string) {
    const list = await suite.services.reimbursements.list(em(), operator, COMUNE_A);
    return list.find((b) => b.status === status)!;
  }
  const stateOf = async (paymentId: string) =>
    (
      await suite.services.reimbursements.statement(em(), ownerA, shopA.id, null, null)
    ).transactions.find((t) => t.id === paymentId)!.state;
  const batchedIn = async (batchId: string) =>
    (
      await sql<{ payment_id: string }>(
        `select payment_id from "public_welfare"."reimbursement_payment" where batch_id = ? order by payment_id`,
        [batchId],
      )
    ).map((r) => r.payment_id);

  it('needs a reason and the batch’s Comune: bad input and other tenants write nothing', async () => {
    const draft = await batchWith('DRAFT');
    expect(await batchedIn(draft.id)).toEqual([pay.old]);
    const before = await written();
    for (const reason of ['', '  x  ', 'ab', 'a'.repeat(501), null as unknown as string]) {
      const e = await caught(() =>
        suite.services.reimbursements.discard(em(), operator, draft.id, reason),
      );
      expect(e.code).toBe('BAD_USER_INPUT');
      expect(e.fields.map((f) => f.field)).toEqual(['reason']);
      expect(e.fields[0]!.message.it).toContain('motivo');
      expect(e.fields[0]!.message.en).toContain('reason');
    }
    // Another Comune (staff or manager), a merchant of the campaign, a citizen; unknown ids.
    for (const who of [operatorB, managerB, ownerA, cashierA, mario]) {
      expect(
        (await caught(() => suite.services.reimbursements.discard(em(), who, draft.id, REASON)))
          .code,
      ).toBe('NOT_FOUND');
    }
    for (const id of [randomUUID(), 'not-a-batch'])
      expect(
        (await caught(() => suite.services.reimbursements.discard(em(), operator, id, REASON)))
          .code,
      ).toBe('NOT_FOUND');
    const graphql = await suite.run(
      `mutation($id: ID!, $reason: String!) { discardReimbursementBatch(id: $id, reason: $reason) { id status } }`,
      { id: draft.id, reason: REASON },
      managerB,
    );
    expect(errorCode(graphql)).toBe('NOT_FOUND');
    expect(await written()).toEqual(before);
    const after = await suite.services.reimbursements.detail(em(), operator, draft.id);
    expect(after.batch).toMatchObject({
      status: 'DRAFT',
      discardedAt: null,
      discardReason: null,
      discardedBy: null,
    });
    expect(await batchedIn(draft.id)).toEqual([pay.old]);
  });

  it('releases the payments: one of them can be flagged, a new batch takes the others; no money moves', async () => {
    const transfers = await suite.count('book_transfer');
    const balances = [await shopBalance(shopA), await shopBalance(shopB)];
    const lines = await suite.count('reimbursement_line');

    // The first batch (still DRAFT, with the oldest payment) is discarded by an operator.
    const first = await batchWith('DRAFT');
    const gone = await suite.services.reimbursements.discard(em(), operator, first.id, REASON);
    expect(gone).toMatchObject({
      id: first.id,
      status: 'DISCARDED',
      discardReason: REASON,
      discardedBy: operator.personId,
      approvedAt: null,
    });
    expect(gone.discardedAt).toBeInstanceOf(Date);
    expect(await batchedIn(first.id)).toEqual([]);
    expect(await stateOf(pay.old!)).toBe('TO_BE_REIMBURSED');
    // The record of what was proposed stays: its line, its total.
    const record = await suite.services.reimbursements.detail(em(), operator, first.id);
    expect(record.lines.map((l) => [l.accreditationId, l.amountCents])).toEqual([[shopA.id, 1000]]);
    expect(record.batch.totalCents).toBe(1000);
    expect(record.excluded).toEqual([]);

    // A new draft takes the freed payment and the later ones; its payments cannot be flagged...
    const drafted = await suite.services.reimbursements.create(em(), manager, batchInput());
    discardedId = drafted.batch.id;
    expect(
      drafted.lines.map((l) => [l.accreditationId, l.amountCents, l.paymentCount]).sort(),
    ).toEqual(
      [
        [shopA.id, 1000 + 400, 2],
        [shopB.id, 600, 1],
      ].sort(),
    );
    expect(
      (await caught(() => suite.services.reimbursements.flag(em(), operator, late.a, 'Alcolici')))
        .code,
    ).toBe('CONFLICT');
    // ...until it is discarded (three at once: one effect).
    const at = await Promise.all(
      ['Alcolici nello scontrino', 'Scontrino da rivedere', 'Da rifare'].map((reason) =>
        suite.services.reimbursements.discard(em(), operator, discardedId, reason),
      ),
    );
    for (const b of at) expect(b.status).toBe('DISCARDED');
    expect(new Set(at.map((b) => `${b.discardReason}@${b.discardedAt!.toISOString()}`)).size).toBe(
      1,
    );
    expect(await batchedIn(discardedId)).toEqual([]);
    expect(await stateOf(late.a)).toBe('TO_BE_REIMBURSED');

    const flagged = await suite.services.reimbursements.flag(
      em(),
      operator,
      late.a,
      'Acquisto di alcolici scoperto dopo la bozza',
    );
    expect(flagged.state).toBe('FLAGGED');
    const again = await suite.services.reimbursements.create(em(), operator, batchInput());
    againId = again.batch.id;
    expect(
      again.lines.map((l) => [l.accreditationId, l.amountCents, l.paymentCount]).sort(),
    ).toEqual(
      [
        [shopA.id, 1000, 1],
        [shopB.id, 600, 1],
      ].sort(),
    );
    expect((await batchedIn(againId)).sort()).toEqual([pay.old, late.b].map(String).sort());
    expect(again.excluded.map((e) => e.id).sort()).toEqual([pay.misuse, late.a].map(String).sort());

    // Discarding moved no money; the discarded batches keep their lines.
    expect(await suite.count('book_transfer')).toBe(transfers);
    expect([await shopBalance(shopA), await shopBalance(shopB)]).toEqual(balances);
    expect(await suite.count('reimbursement_line')).toBe(lines + 2 + 2);
    const report = await book.checkInvariants(em());
    expect(report.totals.debitsPosted).toBe(report.totals.creditsPosted);
  });

  it('replays give the first result; a discarded batch cannot be approved, paid or exported', async () => {
    const before = await written();
    const [first] = await sql<{ discarded_at: Date; discard_reason: string }>(
      `select discarded_at, discard_reason from "public_welfare"."reimbursement_batch" where id = ?`,
      [discardedId],
    );
    const replay = await suite.run<{
      discardReimbursementBatch: {
        id: string;
        status: string;
        discardedAt: string;
        discardReason: string;
      };
    }>(
      `mutation($id: ID!, $reason: String!) {
        discardReimbursementBatch(id: $id, reason: $reason) { id status discardedAt discardReason }
      }`,
      { id: discardedId, reason: 'Un altro motivo' },
      manager,
    );
    expect(replay.errors).toBeUndefined();
    expect(replay.data!.discardReimbursementBatch).toEqual({
      id: discardedId,
      status: 'DISCARDED',
      discardedAt: new Date(first!.discarded_at).toISOString(),
      discardReason: first!.discard_reason,
    });
    for (const op of [
      () => suite.services.reimbursements.approve(em(), manager, discardedId),
      () =>
        suite.services.reimbursements.markPaid(em(), manager, discardedId, {
          bankDate: today(),
          bankReference: 'CRO 99',
        }),
    ]) {
      const e = (await caught(op)) as unknown as { code: string; localized: { en: string } };
      expect(e.code).toBe('CONFLICT');
      expect(e.localized.en).toContain('discarded');
    }
    // The SEPA route refuses it as it refuses a DRAFT one; other Comuni do not see it.
    for (const who of [operator, manager]) {
      const answer = await get(who, `/files/reimbursements/sepa.xml?batchId=${discardedId}`);
      expect(answer.status).toBe(409);
      const body = (await answer.json()) as {
        errors: { extensions: { code: string; messages: { it: string; en: string } } }[];
      };
      expect(body.errors[0]!.extensions.code).toBe('CONFLICT');
      expect(body.errors[0]!.extensions.messages.it).toContain('annullato');
    }
    expect(
      (await get(managerB, `/files/reimbursements/sepa.xml?batchId=${discardedId}`)).status,
    ).toBe(404);
    // The database keeps the rules too: a discarded batch has its reason and was never approved.
    await expect(
      sql(
        `update "public_welfare"."reimbursement_batch" set approved_at = now(), approved_by = ? where id = ?`,
        [manager.personId, discardedId],
      ),
    ).rejects.toThrow(/reimbursement_batch_approved_check/);
    await expect(
      sql(`update "public_welfare"."reimbursement_batch" set discard_reason = 'ab' where id = ?`, [
        discardedId,
      ]),
    ).rejects.toThrow(/reimbursement_batch_discard_reason_check/);
    await expect(
      sql(`update "public_welfare"."reimbursement_batch" set status = 'DISCARDED' where id = ?`, [
        againId,
      ]),
    ).rejects.toThrow(/reimbursement_batch_discarded_check/);
    expect(await written()).toEqual(before);
  });

  it('an APPROVED or a PAID batch cannot be discarded (CONFLICT): nothing written', async () => {
    const approved = await suite.services.reimbursements.approve(em(), manager, againId);
    expect(approved.status).toBe('APPROVED');
    const paid = await batchWith('PAID');
    const before = await written();
    for (const [id, word] of [
      [againId, 'approved'],
      [paid.id, 'paid'],
    ] as const) {
      for (const who of [operator, manager]) {
        const e = (await caught(() =>
          suite.services.reimbursements.discard(em(), who, id, 'Troppo tardi per annullare'),
        )) as unknown as { code: string; localized: { it: string; en: string } };
        expect(e.code).toBe('CONFLICT');
        expect(e.localized.en).toContain(`already been ${word}`);
        expect(e.localized.it).toContain('non si può più annullare');
      }
    }
    const e = (await caught(() =>
      suite.services.reimbursements.discard(em(), operator, againId, 'Troppo tardi'),
    )) as unknown as { localized: { en: string } };
    expect(e.localized.en).toContain('SEPA file may already be at the bank');
    expect(await written()).toEqual(before);
    expect((await batchWith('APPROVED')).discardedAt).toBeNull();
    expect((await batchedIn(againId)).sort()).toEqual([pay.old, late.b].map(String).sort());
  });
});

describe('a payment whose legs credit two campaigns’ shops', () => {
  /**
   * Merchant C is accredited for the main campaign (till C1) and for a campaign of the same Comune
   * that ends sooner (C2), with different IBANs. A payment spends the card's credit of the campaign
   * that ends first: its legs go to the shop account of C's accreditation for THAT campaign,
   * whichever till was used.
   */
  const MERCHANT_C = randomUUID();
  const ownerC = merchantPerson(MERCHANT_C, 'OWNER');
  const cashierC = merchantPerson(MERCHANT_C, 'CASHIER');
  const IBAN_C1 = 'IT61X0306909606100000012345';
  const IBAN_C2 = 'IT63X0306909606100000067890';
  let early: Campaign;
  let c1: ShopAccreditation;
  let c2: ShopAccreditation;
  /** Mario's credit in the early campaign. */
  let marioEarly = 0;
  /** split: Mario at C1, early credit + 500 (both campaigns); early: Sara at C1, wholly the early
   * campaign's; main: Mario at C2 once his early credit is spent, wholly the main campaign's. */
  const p = { split: '', early: '', main: '' };
  let mainBatch = '';
  let earlyBatch = '';

  const accredit = async (campaignId: string, iban: string) =>
    suite.services.shops.decide(
      em(),
      operator,
      (
        await suite.services.shops.requestAccreditation(em(), ownerC, {
          merchantId: MERCHANT_C,
          campaignId,
          partitaIva: '12345678903',
          iban,
          businessName: 'Emporio Verdi',
          categories: ['FOOD'],
          pointsOfSale: [{ name: 'Piazza', address: 'Piazza Garibaldi 2, Prova' }],
        })
      ).id,
      'ACCREDITED',
    );
  const legsOf = async (paymentId: string) =>
    sql<{ code: string; amount: string }>(
      `select a.code, t.amount::text as amount from "public_welfare"."book_transfer" t
         join "public_welfare"."book_account" a on a.id = t.credit_account_id
        where t.reference = ? and t.code = 'PAYMENT' order by a.code`,
      [`payment:${paymentId}`],
    );
  const view = async (shop: ShopAccreditation) =>
    Object.fromEntries(
      (
        await suite.services.reimbursements.statement(em(), ownerC, shop.id, null, null)
      ).transactions.map((t) => [t.id, [t.accreditationId, t.amountCents, t.state]]),
    );

  beforeAll(async () => {
    early = await suite.services.campaigns.publish(
      em(),
      manager,
      (
        await suite.services.campaigns.create(
          em(),
          operator,
          campaignInput(COMUNE_A, { title: 'Buoni urgenti', spendingUntil: '2029-06-30' }),
        )
      ).id,
    );
    const apps = [await apply(mario, early), await apply(sara, early)];
    await suite.services.cases.bulkApprove(
      em(),
      operator,
      apps.map((a) => a.id),
    );
    await suite.services.topUps.topUpCampaign(em(), operator, early.id);
    c1 = await accredit(campaign.id, IBAN_C1);
    c2 = await accredit(early.id, IBAN_C2);
    const balances = await suite.services.credit.balancesOf(
      em(),
      (await suite.services.cards.findByFiscalCode(em(), COMUNE_A, CF.mario))!.id,
    );
    marioEarly = balances.find((b) => b.campaignId === early.id)!.availableCents;
    expect(marioEarly).toBeGreaterThan(0);
    p.split = await charge(cashierC, c1, CF.mario, marioEarly + 500);
    p.early = await charge(cashierC, c1, CF.sara, 1200);
    p.main = await charge(cashierC, c2, CF.mario, 700);
    await sql(
      `update "public_welfare"."payment" set created_at = now() - interval '2 days' where id in (?, ?, ?)`,
      [p.split, p.early, p.main],
    );
  });

  it('the book: each leg credited the shop account of its campaign’s accreditation', async () => {
    expect(await legsOf(p.split)).toEqual(
      [
        { code: `shop:${c1.id}`, amount: '500' },
        { code: `shop:${c2.id}`, amount: String(marioEarly) },
      ].sort((a, b) => a.code.localeCompare(b.code)),
    );
    expect(await legsOf(p.early)).toEqual([{ code: `shop:${c2.id}`, amount: '1200' }]);
    expect(await legsOf(p.main)).toEqual([{ code: `shop:${c1.id}`, amount: '700' }]);
    expect(await shopBalance(c1)).toBe(500 + 700);
    expect(await shopBalance(c2)).toBe(marioEarly + 1200);
  });

  it('the shop’s dashboard shows each leg under its own accreditation', async () => {
    expect(await view(c1)).toEqual({
      [p.split]: [c1.id, 500, 'TO_BE_REIMBURSED'],
      [p.main]: [c1.id, 700, 'TO_BE_REIMBURSED'],
    });
    expect(await view(c2)).toEqual({
      [p.split]: [c2.id, marioEarly, 'TO_BE_REIMBURSED'],
      [p.early]: [c2.id, 1200, 'TO_BE_REIMBURSED'],
    });
    const d1 = await suite.services.reimbursements.dashboard(em(), cashierC, c1.id);
    expect(d1.total).toBe(2);
    expect(d1.totals).toMatchObject({
      authorisedCents: 1200,
      authorisedCount: 2,
      toBeReimbursedCents: 1200,
    });
    const d2 = await suite.services.reimbursements.dashboard(em(), cashierC, c2.id);
    expect(d2.total).toBe(2);
    expect(d2.totals).toMatchObject({
      authorisedCents: marioEarly + 1200,
      authorisedCount: 2,
      toBeReimbursedCents: marioEarly + 1200,
    });
    // The preview of each campaign: its own legs only (besides shop A's flagged payments).
    const preview = async (c: Campaign) =>
      (await suite.services.reimbursements.preview(em(), operator, c.id, daysAgo(1)))
        .filter((t) => t.state !== 'FLAGGED')
        .map((t) => [t.id, t.accreditationId, t.amountCents])
        .sort();
    expect(await preview(campaign)).toEqual(
      [
        [p.split, c1.id, 500],
        [p.main, c1.id, 700],
      ].sort(),
    );
    expect(await preview(early)).toEqual(
      [
        [p.split, c2.id, marioEarly],
        [p.early, c2.id, 1200],
      ].sort(),
    );
  });

  it('each campaign’s batch takes exactly its own legs: amounts, lines and IBANs', async () => {
    const main = await suite.services.reimbursements.create(em(), operator, batchInput());
    mainBatch = main.batch.id;
    expect(
      main.lines.map((l) => [l.accreditationId, l.iban, l.amountCents, l.paymentCount]),
    ).toEqual([[c1.id, IBAN_C1, 500 + 700, 2]]);
    expect(main.batch).toMatchObject({ totalCents: 1200, paymentCount: 2, lineCount: 1 });
    // Half of the split payment is in the main campaign's batch, the other half still free.
    expect((await view(c1))[p.split]).toEqual([c1.id, 500, 'IN_BATCH']);
    expect((await view(c2))[p.split]).toEqual([c2.id, marioEarly, 'TO_BE_REIMBURSED']);

    const second = await suite.services.reimbursements.create(
      em(),
      operator,
      batchInput({ campaignId: early.id }),
    );
    earlyBatch = second.batch.id;
    expect(
      second.lines.map((l) => [l.accreditationId, l.iban, l.amountCents, l.paymentCount]),
    ).toEqual([[c2.id, IBAN_C2, marioEarly + 1200, 2]]);
    expect(second.batch).toMatchObject({
      campaignId: early.id,
      totalCents: marioEarly + 1200,
      paymentCount: 2,
      lineCount: 1,
    });
    // The split payment is in both batches, once per accreditation; nothing is left to take.
    const rows = await sql<{ payment_id: string; accreditation_id: string; amount: string }>(
      `select payment_id, accreditation_id, amount_cents::text as amount
         from "public_welfare"."reimbursement_payment" where batch_id in (?, ?)`,
      [mainBatch, earlyBatch],
    );
    expect(rows.map((r) => [r.payment_id, r.accreditation_id, Number(r.amount)]).sort()).toEqual(
      [
        [p.split, c1.id, 500],
        [p.main, c1.id, 700],
        [p.split, c2.id, marioEarly],
        [p.early, c2.id, 1200],
      ].sort(),
    );
    for (const c of [campaign, early])
      expect(
        (
          await caught(() =>
            suite.services.reimbursements.create(em(), operator, batchInput({ campaignId: c.id })),
          )
        ).code,
      ).toBe('BAD_USER_INPUT');
    // A leg is in one batch at most (the primary key is the payment and the accreditation).
    await expect(
      sql(
        `insert into "public_welfare"."reimbursement_payment" (payment_id, accreditation_id, batch_id, line_id, amount_cents)
         select payment_id, accreditation_id, ?, line_id, amount_cents from "public_welfare"."reimbursement_payment" where batch_id = ?`,
        [mainBatch, earlyBatch],
      ),
    ).rejects.toThrow(/reimbursement_payment_pkey/);
    // The SEPA file of the early campaign pays C's IBAN for that campaign.
    await suite.services.reimbursements.approve(em(), manager, earlyBatch);
    const xml = (await suite.services.reimbursements.sepaFile(em(), operator, earlyBatch)).xml;
    expect(xml).toContain(`<IBAN>${IBAN_C2}</IBAN>`);
    expect(xml).not.toContain(`<IBAN>${IBAN_C1}</IBAN>`);
  });

  it('marking both paid moves each line’s legs out of its own shop account: every shop at 0', async () => {
    await suite.services.reimbursements.approve(em(), manager, mainBatch);
    const transfers = await suite.count('book_transfer');
    // Two managers at once with different references: one wins, the other is refused.
    const raced = await Promise.allSettled(
      ['CRO A-1', 'CRO A-2'].map((bankReference) =>
        suite.services.reimbursements.markPaid(em(), manager, mainBatch, {
          bankDate: today(),
          bankReference,
        }),
      ),
    );
    const won = raced.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const lost = raced.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((lost.reason as { code: string }).code).toBe('CONFLICT');
    const winner = (won[0] as PromiseFulfilledResult<{ bankReference: string | null }>).value;
    expect(
      (await suite.services.reimbursements.detail(em(), operator, mainBatch)).batch.bankReference,
    ).toBe(winner.bankReference);
    expect(await shopBalance(c1)).toBe(0);
    expect(await shopBalance(c2)).toBe(marioEarly + 1200);

    await suite.services.reimbursements.markPaid(em(), manager, earlyBatch, {
      bankDate: today(),
      bankReference: 'CRO B-1',
    });
    expect(await shopBalance(c1)).toBe(0);
    expect(await shopBalance(c2)).toBe(0);
    // One transfer per line (one shop account each).
    expect(await suite.count('book_transfer')).toBe(transfers + 2);
    const moved = await sql<{ reference: string; debit: string; amount: string }>(
      `select t.reference, a.code as debit, t.amount::text as amount from "public_welfare"."book_transfer" t
         join "public_welfare"."book_account" a on a.id = t.debit_account_id
        where t.reference in (?, ?) order by t.reference`,
      [`reimbursement:${mainBatch}`, `reimbursement:${earlyBatch}`],
    );
    expect(moved.map((m) => [m.reference, m.debit, Number(m.amount)]).sort()).toEqual(
      [
        [`reimbursement:${mainBatch}`, `shop:${c1.id}`, 1200],
        [`reimbursement:${earlyBatch}`, `shop:${c2.id}`, marioEarly + 1200],
      ].sort(),
    );
    // The settlement account holds what every PAID batch of the Comune paid.
    const paid = (await suite.services.reimbursements.list(em(), operator, COMUNE_A)).filter(
      (b) => b.status === 'PAID',
    );
    expect(paid.map((b) => b.id)).toEqual(expect.arrayContaining([mainBatch, earlyBatch]));
    const [settlement] = await sql<{ posted: string }>(
      `select (credits_posted - debits_posted)::text as posted from "public_welfare"."book_account" where code = ?`,
      [accountCodes.settlement(COMUNE_A)],
    );
    expect(Number(settlement!.posted)).toBe(paid.reduce((s, b) => s + b.totalCents, 0));
    const report = await book.checkInvariants(em());
    expect(report.ok).toBe(true);
    expect(report.totals.debitsPosted).toBe(report.totals.creditsPosted);
    // Each leg reimbursed under its own accreditation.
    expect(await view(c1)).toEqual({
      [p.split]: [c1.id, 500, 'REIMBURSED'],
      [p.main]: [c1.id, 700, 'REIMBURSED'],
    });
    expect(await view(c2)).toEqual({
      [p.split]: [c2.id, marioEarly, 'REIMBURSED'],
      [p.early]: [c2.id, 1200, 'REIMBURSED'],
    });
    const totals = (await suite.services.reimbursements.dashboard(em(), ownerC, c2.id)).totals;
    expect(totals).toMatchObject({ reimbursedCents: marioEarly + 1200, toBeReimbursedCents: 0 });
  });
});

describe('SEPA text', () => {
  it('transliterates to the SEPA character set and cuts to the length', () => {
    expect(sepaText('Caffè “Àncora” & C. — s.r.l.; n°1', 70)).toBe(
      'Caffe Ancora + C. - s.r.l., n 1',
    );
    expect(sepaText('a'.repeat(200), 70)).toHaveLength(70);
  });
});
