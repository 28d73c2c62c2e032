import { afterAll, describe, expect, it } from 'vitest';
import { addDays, romeToday } from '@welfare/kit/dates';
import { citizen, platformAdmin, staff } from '@welfare/kit/test-suite';
import type { Creditor } from '../src/modules/pagopa/creditor.port.js';
import { isValidNoticeNumber } from '../src/modules/pagopa/notice-code.js';
import { ANONYMOUS, errorCode, errorFields, setupSuite } from './helpers.js';
import { sampleFlow } from './fixtures/flow.js';

const COMUNE_A = '0c0a0000-0000-4000-8000-00000000a001';
const COMUNE_B = '0c0a0000-0000-4000-8000-00000000b002';
const CREDITORS: Record<string, Creditor> = {
  [COMUNE_A]: { name: 'Comune di Prova A', fiscalCode: '80002190827' },
  [COMUNE_B]: { name: 'Comune di Prova B', fiscalCode: '80012000826' },
};

const suite = await setupSuite('pagopa', {
  pagopa: {
    segregationCode: '07',
    creditors: { creditor: (id) => Promise.resolve(CREDITORS[id] ?? null) },
  },
});
afterAll(() => suite.close());

const operatorA = staff(COMUNE_A);
const operatorB = staff(COMUNE_B);
const mario = { ...citizen(), fiscalCode: 'RSSMRA80A01H501U' };
const giulia = { ...citizen(), fiscalCode: 'BNCGLI85E52G273A' };

const NOTICE_FIELDS = `id comuneId creditorName creditorFiscalCode debtorFiscalCode debtorName reason
  amountCents dueDate iuv noticeNumber noticeNumberGrouped qrPayload status paidAt paidAmountCents
  psp iur flowId`;
const ISSUE = `mutation ($input: IssuePagopaNoticeInput!) {
  issuePagopaNotice(input: $input) { ${NOTICE_FIELDS} }
}`;
const LIST = `query ($comuneId: ID!, $status: PagopaNoticeStatus, $search: String) {
  pagopaNotices(comuneId: $comuneId, status: $status, search: $search) { ${NOTICE_FIELDS} }
}`;
const ONE = `query ($id: ID!) { pagopaNotice(id: $id) { ${NOTICE_FIELDS} } }`;
const MINE = `{ myPagopaNotices { ${NOTICE_FIELDS} } }`;
const CANCEL = `mutation ($id: ID!) { cancelPagopaNotice(id: $id) { id status } }`;
const RECONCILE = `mutation ($comuneId: ID!, $xml: String!) {
  reconcilePagopaFlow(comuneId: $comuneId, xml: $xml) {
    flowId pspName settlementDate paidCount
    lines { index iuv iur amountCents outcome noticeId expectedCents messageIt messageEn }
  }
}`;

interface Notice {
  id: string;
  iuv: string;
  noticeNumber: string;
  qrPayload: string;
  status: string;
  amountCents: number;
  paidAt: string | null;
  iur: string | null;
  psp: string | null;
}
interface Line {
  index: number;
  iuv: string;
  outcome: string;
  noticeId: string | null;
  expectedCents: number | null;
}

function input(overrides: Record<string, unknown> = {}) {
  return {
    comuneId: COMUNE_A,
    debtorFiscalCode: 'rssmra80a01h501u',
    debtorName: 'Mario Rossi',
    reason: 'Compartecipazione mensa scolastica, dicembre',
    amountCents: 2550,
    dueDate: addDays(romeToday(), 30),
    ...overrides,
  };
}

async function issue(overrides: Record<string, unknown> = {}, caller = operatorA): Promise<Notice> {
  const result = await suite.run<{ issuePagopaNotice: Notice }>(
    ISSUE,
    { input: input(overrides) },
    caller,
  );
  expect(result.errors).toBeUndefined();
  return result.data!.issuePagopaNotice;
}

async function reconcile(file: string, comuneId = COMUNE_A, caller = operatorA) {
  return suite.run<{ reconcilePagopaFlow: { paidCount: number; lines: Line[] } }>(
    RECONCILE,
    { comuneId, xml: file },
    caller,
  );
}

describe('pagoPA notices', () => {
  it('issues a notice with a valid notice number, its IUV and the QR payload', async () => {
    const notice = await issue();
    expect(notice).toMatchObject({
      status: 'UNPAID',
      amountCents: 2550,
      creditorFiscalCode: '80002190827',
      creditorName: 'Comune di Prova A',
      debtorFiscalCode: 'RSSMRA80A01H501U',
    });
    expect(notice.noticeNumber).toMatch(/^307\d{15}$/);
    expect(isValidNoticeNumber(notice.noticeNumber)).toBe(true);
    expect(notice.iuv).toBe(notice.noticeNumber.slice(1));
    expect(notice.qrPayload).toBe(`PAGOPA|002|${notice.noticeNumber}|80002190827|2550`);
  });

  it('refuses bad input field by field, in Italian and English, and writes nothing', async () => {
    const before = await suite.count('pagopa_notice');
    const creditors = await suite.count('pagopa_creditor');
    const result = await suite.run(
      ISSUE,
      {
        input: input({
          debtorFiscalCode: 'RSSMRA80A01H501X',
          debtorName: ' ',
          reason: 'x',
          amountCents: -5,
          dueDate: '2020-01-01',
        }),
      },
      operatorA,
    );
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(errorFields(result).sort()).toEqual(
      ['amountCents', 'debtorFiscalCode', 'debtorName', 'dueDate', 'reason'].sort(),
    );
    const zero = await suite.run(ISSUE, { input: input({ amountCents: 0 }) }, operatorA);
    expect(errorFields(zero)).toEqual(['amountCents']);
    const fields = (
      zero.errors![0]!.originalError as unknown as {
        fields: { message: { it: string; en: string } }[];
      }
    ).fields;
    expect(fields[0]!.message.it).toMatch(/importo/i);
    expect(fields[0]!.message.en).toMatch(/amount/i);
    expect(await suite.count('pagopa_notice')).toBe(before);
    expect(await suite.count('pagopa_creditor')).toBe(creditors);
  });

  it('gives 20 concurrent issues 20 different IUVs, numbered without gaps', async () => {
    const notices = await Promise.all(Array.from({ length: 20 }, () => issue({}, staff(COMUNE_A))));
    const iuvs = new Set(notices.map((n) => n.iuv));
    expect(iuvs.size).toBe(20);
    for (const n of notices) expect(isValidNoticeNumber(n.noticeNumber)).toBe(true);
    const bases = notices.map((n) => Number(n.iuv.slice(2, 15))).sort((a, b) => a - b);
    expect(bases[19]! - bases[0]!).toBe(19);
    const [row] = await suite.sql<{ n: string; d: string }>(
      `select count(*) as n, count(distinct iuv) as d from payments.pagopa_notice where creditor_fiscal_code = ?`,
      ['80002190827'],
    );
    expect(row!.n).toBe(row!.d);
  });

  it('keeps the database guards: a positive amount and one IUV per creditor', async () => {
    const notice = await issue();
    const insert = (iuv: string, amount: number) =>
      suite.sql(
        `insert into payments.pagopa_notice (id, comune_id, creditor_fiscal_code, creditor_name,
           debtor_fiscal_code, debtor_name, reason, amount_cents, due_date, segregation_code, iuv,
           notice_number, created_by)
         values (gen_random_uuid(), ?, '80002190827', 'C', 'RSSMRA80A01H501U', 'M', 'R', ?,
           '2099-01-01', '07', ?, ?, gen_random_uuid())`,
        [COMUNE_A, amount, iuv, `3${iuv}`],
      );
    await expect(insert(notice.iuv, 100)).rejects.toThrow(/pagopa_notice_iuv_unique/);
    await expect(insert('07999999999999999', 0)).rejects.toThrow(/check/);
  });

  it('keeps each Comune to its own notices and each citizen to theirs', async () => {
    const ofA = await issue({ debtorFiscalCode: 'BNCGLI85E52G273A', debtorName: 'Giulia Bianchi' });
    const ofB = await issue({ comuneId: COMUNE_B, debtorName: 'Mario Rossi' }, operatorB);
    expect(ofB.noticeNumber).toMatch(/^307/);

    const listB = await suite.run<{ pagopaNotices: Notice[] }>(
      LIST,
      { comuneId: COMUNE_B },
      operatorB,
    );
    expect(listB.data!.pagopaNotices.map((n) => n.id)).toEqual([ofB.id]);
    expect(errorCode(await suite.run(LIST, { comuneId: COMUNE_A }, operatorB))).toBe('FORBIDDEN');
    expect(errorCode(await suite.run(LIST, { comuneId: COMUNE_A }, mario))).toBe('FORBIDDEN');
    expect(errorCode(await suite.run(LIST, { comuneId: COMUNE_A }, ANONYMOUS))).toBe(
      'UNAUTHENTICATED',
    );
    expect(errorCode(await suite.run(ISSUE, { input: input() }, operatorB))).toBe('FORBIDDEN');
    expect(errorCode(await suite.run(ONE, { id: ofA.id }, operatorB))).toBe('NOT_FOUND');
    expect(errorCode(await suite.run(CANCEL, { id: ofA.id }, operatorB))).toBe('NOT_FOUND');
    expect(errorCode(await suite.run(ONE, { id: ofA.id }, mario))).toBe('NOT_FOUND');

    const mine = await suite.run<{ myPagopaNotices: Notice[] }>(MINE, {}, giulia);
    expect(mine.data!.myPagopaNotices.map((n) => n.id)).toEqual([ofA.id]);
    const marios = await suite.run<{ myPagopaNotices: Notice[] }>(MINE, {}, mario);
    expect(marios.data!.myPagopaNotices.map((n) => n.id)).toContain(ofB.id);
    expect(marios.data!.myPagopaNotices.map((n) => n.id)).not.toContain(ofA.id);
    const own = await suite.run<{ pagopaNotice: Notice }>(ONE, { id: ofA.id }, giulia);
    expect(own.data!.pagopaNotice.id).toBe(ofA.id);
    const admin = await suite.run<{ pagopaNotices: Notice[] }>(
      LIST,
      { comuneId: COMUNE_A, search: 'giulia' },
      platformAdmin(),
    );
    expect(admin.data!.pagopaNotices.map((n) => n.id)).toEqual([ofA.id]);
    expect((await suite.run(ONE, { id: ofA.id }, operatorA)).errors).toBeUndefined();
  });

  it('cancels an unpaid notice once', async () => {
    const notice = await issue();
    const first = await suite.run<{ cancelPagopaNotice: Notice }>(
      CANCEL,
      { id: notice.id },
      operatorA,
    );
    expect(first.data!.cancelPagopaNotice.status).toBe('CANCELLED');
    expect(errorCode(await suite.run(CANCEL, { id: notice.id }, operatorA))).toBe('CONFLICT');
  });
});

describe('reconciliation from a Flusso di Rendicontazione', () => {
  it('marks the paid notices, reports every other line, and a second upload changes nothing', async () => {
    const paid = await issue({ amountCents: 4000 });
    const mismatch = await issue({ amountCents: 1000 });
    const cancelled = await issue({ amountCents: 700 });
    await suite.run(CANCEL, { id: cancelled.id }, operatorA);
    const file = sampleFlow({
      creditorFiscalCode: '80002190827',
      lines: [
        { iuv: paid.iuv, iur: 'IUR-0001', amount: '40.00' },
        { iuv: mismatch.iuv, iur: 'IUR-0002', amount: '9.99' },
        { iuv: '07000000009999901', iur: 'IUR-0003', amount: '5.00' },
        { iuv: cancelled.iuv, iur: 'IUR-0004', amount: '7.00' },
        { iuv: paid.iuv, iur: 'IUR-0005', amount: '1.00', date: 'yesterday' },
      ],
      total: '62.99',
    });
    const first = await reconcile(file);
    expect(first.errors).toBeUndefined();
    const report = first.data!.reconcilePagopaFlow;
    expect(report.paidCount).toBe(1);
    expect(report.lines.map((l) => l.outcome)).toEqual([
      'PAID',
      'AMOUNT_MISMATCH',
      'UNMATCHED',
      'NOT_PAYABLE',
      'BAD_LINE',
    ]);
    expect(report.lines[1]!.expectedCents).toBe(1000);
    const after = await suite.run<{ pagopaNotice: Notice }>(ONE, { id: paid.id }, operatorA);
    expect(after.data!.pagopaNotice).toMatchObject({
      status: 'PAID',
      paidAt: '2026-12-04',
      iur: 'IUR-0001',
      psp: 'Banca di Prova S.p.A.',
    });
    const still = await suite.run<{ pagopaNotice: Notice }>(ONE, { id: mismatch.id }, operatorA);
    expect(still.data!.pagopaNotice.status).toBe('UNPAID');

    const snapshot = await suite.sql(`select * from payments.pagopa_notice order by id`);
    const again = await reconcile(file);
    expect(again.data!.reconcilePagopaFlow.paidCount).toBe(0);
    expect(again.data!.reconcilePagopaFlow.lines[0]!.outcome).toBe('ALREADY_PAID');
    expect(await suite.sql(`select * from payments.pagopa_notice order by id`)).toEqual(snapshot);
  });

  it('refuses a malformed file or another creditor’s flow whole, changing nothing', async () => {
    const notice = await issue({ amountCents: 1200 });
    const good = {
      creditorFiscalCode: '80002190827',
      lines: [{ iuv: notice.iuv, iur: 'IUR-9', amount: '12.00' }],
    };
    const snapshot = await suite.sql(`select * from payments.pagopa_notice order by id`);
    for (const file of [
      '<pay_i:FlussoRiversamento',
      sampleFlow({ ...good, count: 3 }),
      sampleFlow({ ...good, total: '99.00' }),
      sampleFlow({ ...good, creditorFiscalCode: '80012000826' }),
    ]) {
      const result = await reconcile(file);
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect([...new Set(errorFields(result))]).toEqual(['xml']);
    }
    expect(errorCode(await reconcile(sampleFlow(good), COMUNE_A, operatorB))).toBe('FORBIDDEN');
    expect(await suite.sql(`select * from payments.pagopa_notice order by id`)).toEqual(snapshot);
  });
});
