import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { romeToday } from '@welfare/kit/dates';
import type { Suite } from '@welfare/kit/test-suite';
import { payrollCsv, payrollXlsx } from '../src/modules/payroll/payroll.export.js';
import { fringeTaxation } from '../src/modules/payroll/payroll.service.js';
import { AccountKind, accountCodes, book, owners } from '../src/modules/ledger/ledger.js';
import type { Services } from '../src/services.js';
import { COMUNE, HR_A, HR_B, filing, seed } from './claim-fixtures.js';
import { ADMIN, ANONYMOUS, ORG_A, errorCode, errorFields, setupSuite } from './helpers.js';

let suite: Suite<Services>;
beforeAll(async () => {
  suite = await setupSuite('payroll');
});
afterAll(() => suite.close());

const MONTH = romeToday().slice(0, 7);
const PAYROLL = `query ($e: ID!, $m: String!) { employerWelfarePayroll(employerId: $e, month: $m) {
  month capSource rows { fiscalCode familyName reimbursementsCents reimbursementsCount fringeBenefitsCents
    fringeBenefitsYearCents fringeBenefitCapCents fringeBenefitsTaxableCents fringeBenefitsNonTaxableCents
    nonTaxableCents taxableCents capExceeded } } }`;

/** A fringe benefit granted from an employee's credit (as the fringe module will: employee → payroll). */
async function grantFringe(planId: string, account: string, amount: number) {
  const em = suite.orm.em.fork();
  const payroll = await book.openAccountId(em, {
    code: accountCodes.payroll(planId),
    kind: AccountKind.PAYROLL,
    hot: true,
    owner: owners.plan(planId),
  });
  await book.transfer(em, {
    id: randomUUID(),
    debit: account,
    credit: payroll,
    amount,
    code: 'FRINGE_BENEFIT',
  });
}

describe('fringeTaxation', () => {
  it('nothing taxable within the cap; the whole year once crossed; each month after', () => {
    expect(fringeTaxation(0, 50_000, 100_000)).toEqual({ taxable: 0, nonTaxable: 50_000 });
    expect(fringeTaxation(50_000, 50_000, 100_000)).toEqual({ taxable: 0, nonTaxable: 50_000 });
    expect(fringeTaxation(80_000, 30_000, 100_000)).toEqual({ taxable: 110_000, nonTaxable: 0 });
    expect(fringeTaxation(110_000, 10_000, 100_000)).toEqual({ taxable: 10_000, nonTaxable: 0 });
  });
});

describe('employerWelfarePayroll', () => {
  it('per employee: reimbursements approved in the month, fringe benefits against the cap', async () => {
    const anna = await seed(suite, 'BNCNNA80A41F205F', 300_000, undefined, 0);
    const bruno = await seed(suite, 'VRDBRN75B12F205L', 300_000, undefined, 2);
    const carla = await seed(suite, 'NRICRL90C50F205S', 50_000, undefined, 0);
    // Anna: two claims approved, one rejected, one waiting; 1.200 € of fringe benefits (over 1.000).
    for (const amount of ['100', '20,50', '30', '40']) {
      await suite.services.claims.file(
        suite.orm.em.fork(),
        anna.employee,
        filing(anna.planId, { amount }),
      );
    }
    const { items } = await suite.services.claims.queue(suite.orm.em.fork(), HR_A, ORG_A, {
      first: 200,
    });
    const annas = items.filter((c) => c.claim.employeeId === anna.employeeId);
    await suite.services.claims.approve(suite.orm.em.fork(), HR_A, annas[0]!.claim.id);
    await suite.services.claims.approve(suite.orm.em.fork(), HR_A, annas[1]!.claim.id);
    await suite.services.claims.reject(
      suite.orm.em.fork(),
      HR_A,
      annas[2]!.claim.id,
      'Non rimborsabile',
    );
    await grantFringe(anna.planId, anna.account, 70_000);
    await grantFringe(anna.planId, anna.account, 50_000);
    // Bruno (dependent children, cap 2.000 €): 1.500 € of fringe benefits, within the cap.
    await grantFringe(bruno.planId, bruno.account, 150_000);
    // Carla: nothing paid this month: not in the export.
    await suite.services.claims.file(suite.orm.em.fork(), carla.employee, filing(carla.planId));

    const result = await suite.run(PAYROLL, { e: ORG_A, m: MONTH }, HR_A);
    expect(result.errors).toBeUndefined();
    const month = result.data?.employerWelfarePayroll as { rows: unknown[]; capSource: string };
    expect(month.capSource).toContain('207');
    expect(month.rows).toEqual([
      {
        fiscalCode: 'BNCNNA80A41F205F',
        familyName: 'Rossi BNC',
        reimbursementsCents: 12_050,
        reimbursementsCount: 2,
        fringeBenefitsCents: 120_000,
        fringeBenefitsYearCents: 120_000,
        fringeBenefitCapCents: 100_000,
        fringeBenefitsTaxableCents: 120_000,
        fringeBenefitsNonTaxableCents: 0,
        nonTaxableCents: 12_050,
        taxableCents: 120_000,
        capExceeded: true,
      },
      {
        fiscalCode: 'VRDBRN75B12F205L',
        familyName: 'Rossi VRD',
        reimbursementsCents: 0,
        reimbursementsCount: 0,
        fringeBenefitsCents: 150_000,
        fringeBenefitsYearCents: 150_000,
        fringeBenefitCapCents: 200_000,
        fringeBenefitsTaxableCents: 0,
        fringeBenefitsNonTaxableCents: 150_000,
        nonTaxableCents: 150_000,
        taxableCents: 0,
        capExceeded: false,
      },
    ]);

    // An earlier month has none of it.
    const [y, m] = MONTH.split('-').map(Number) as [number, number];
    const before = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
    const empty = await suite.run(PAYROLL, { e: ORG_A, m: before }, HR_A);
    expect((empty.data?.employerWelfarePayroll as { rows: unknown[] }).rows).toEqual([]);

    // The files: CSV in the Italian Excel dialect, and Excel with amounts as numbers.
    const data = await suite.services.payroll.month(suite.orm.em.fork(), HR_A, ORG_A, MONTH);
    const csv = payrollCsv(data);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'Codice fiscale;Cognome;Nome;Categoria;Rimborsi (n.);Rimborsi pagati;Fringe benefit del mese;Fringe benefit da inizio anno;Soglia fringe benefit;Soglia superata;Fringe benefit imponibili;Fringe benefit non imponibili;Totale non imponibile;Totale imponibile',
    );
    expect(lines[1]).toBe(
      'BNCNNA80A41F205F;Rossi BNC;Mario;IMPIEGATI;2;120,50;1200,00;1200,00;1000,00;sì;1200,00;0,00;120,50;1200,00',
    );
    const workbook = new ExcelJS.Workbook();
    const xlsx = await payrollXlsx(data);
    await workbook.xlsx.load(
      xlsx.buffer.slice(xlsx.byteOffset, xlsx.byteOffset + xlsx.byteLength) as ArrayBuffer,
    );
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('Codice fiscale');
    expect(sheet.getRow(2).getCell(1).value).toBe('BNCNNA80A41F205F');
    expect(sheet.getRow(2).getCell(6).value).toBe(120.5);
    expect(sheet.getRow(3).getCell(13).value).toBe(1500);
    expect(sheet.rowCount).toBe(3);
  });

  it('the employer’s HR only; a malformed month is a field error', async () => {
    for (const caller of [HR_B, COMUNE, ADMIN]) {
      expect(errorCode(await suite.run(PAYROLL, { e: ORG_A, m: MONTH }, caller))).toBe('FORBIDDEN');
    }
    const employee = (await seed(suite, 'GRGLRA85D50F205X', 1_000)).employee;
    expect(errorCode(await suite.run(PAYROLL, { e: ORG_A, m: MONTH }, employee))).toBe('FORBIDDEN');
    expect(errorCode(await suite.run(PAYROLL, { e: ORG_A, m: MONTH }, ANONYMOUS))).toBe(
      'UNAUTHENTICATED',
    );
    for (const m of ['2026-13', '26-01', 'dicembre']) {
      expect(errorFields(await suite.run(PAYROLL, { e: ORG_A, m }, HR_A))).toEqual(['month']);
    }
  });
});
