import { csvFile, type CsvValue } from '@welfare/kit/csv';
import type { PayrollMonth, PayrollRow } from './payroll.service.js';

/** Cents as euro with a decimal comma and no grouping (`1234,50`), as Italian Excel reads them. */
export function euroText(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

/** The columns of the export: header (Italian), and the row's value (money in cents). */
const COLUMNS: {
  header: string;
  width: number;
  money?: boolean;
  value: (r: PayrollRow) => CsvValue;
}[] = [
  { header: 'Codice fiscale', width: 20, value: (r) => r.fiscalCode },
  { header: 'Cognome', width: 20, value: (r) => r.familyName },
  { header: 'Nome', width: 20, value: (r) => r.givenName },
  { header: 'Categoria', width: 14, value: (r) => r.categoryCode },
  { header: 'Rimborsi (n.)', width: 12, value: (r) => r.reimbursementsCount },
  { header: 'Rimborsi pagati', width: 16, money: true, value: (r) => r.reimbursementsCents },
  {
    header: 'Fringe benefit del mese',
    width: 18,
    money: true,
    value: (r) => r.fringeBenefitsCents,
  },
  {
    header: 'Fringe benefit da inizio anno',
    width: 22,
    money: true,
    value: (r) => r.fringeBenefitsYearCents,
  },
  {
    header: 'Soglia fringe benefit',
    width: 18,
    money: true,
    value: (r) => r.fringeBenefitCapCents,
  },
  { header: 'Soglia superata', width: 14, value: (r) => (r.capExceeded ? 'sì' : 'no') },
  {
    header: 'Fringe benefit imponibili',
    width: 20,
    money: true,
    value: (r) => r.fringeBenefitsTaxableCents,
  },
  {
    header: 'Fringe benefit non imponibili',
    width: 22,
    money: true,
    value: (r) => r.fringeBenefitsNonTaxableCents,
  },
  { header: 'Totale non imponibile', width: 18, money: true, value: (r) => r.nonTaxableCents },
  { header: 'Totale imponibile', width: 18, money: true, value: (r) => r.taxableCents },
];

/** The file name of a month's export (`cedolino-welfare-2026-12.csv`). */
export function payrollFileName(month: string, extension: 'csv' | 'xlsx'): string {
  return `cedolino-welfare-${month}.${extension}`;
}

/**
 * The month's export as CSV in the Italian Excel dialect (the kit's writer: `;`, CRLF, UTF-8 BOM),
 * amounts in euro with a decimal comma; one row per employee.
 */
export function payrollCsv(p: PayrollMonth): Buffer {
  return csvFile([
    COLUMNS.map((c) => c.header),
    ...p.rows.map((r) =>
      COLUMNS.map((c) => {
        const v = c.value(r);
        return c.money && typeof v === 'number' ? euroText(v) : v;
      }),
    ),
  ]);
}

/** Euro with two decimals and the euro sign (Excel applies the reader's separators). */
const EURO_FORMAT = '#,##0.00 [$€-410];-#,##0.00 [$€-410]';

/** The month's export as an Excel workbook: one sheet, amounts as numbers in euro. */
export async function payrollXlsx(p: PayrollMonth): Promise<Buffer> {
  // Loaded when a workbook is asked for: exceljs is large, and the subgraph starts faster without.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  workbook.creator = 'Welfare Territoriale';
  workbook.title = `Cedolino welfare ${p.month}`;
  const sheet = workbook.addWorksheet(`Cedolino ${p.month}`);
  sheet.columns = COLUMNS.map((c, i) => ({ header: c.header, key: `c${i}`, width: c.width }));
  for (const r of p.rows) {
    sheet.addRow(
      Object.fromEntries(
        COLUMNS.map((c, i) => {
          const v = c.value(r);
          return [`c${i}`, c.money && typeof v === 'number' ? v / 100 : v];
        }),
      ),
    );
  }
  COLUMNS.forEach((c, i) => {
    if (c.money) sheet.getColumn(`c${i}`).numFmt = EURO_FORMAT;
  });
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  const notes = workbook.addWorksheet('Note');
  notes.addRow(['Mese', p.month]);
  notes.addRow(['Soglia fringe benefit', p.capSource]);
  notes.addRow([
    'Rimborsi',
    'Rimborsi di spese documentate (art. 51 c. 2 lett. d-bis, f-bis, f-ter TUIR): non imponibili.',
  ]);
  notes.addRow([
    'Fringe benefit',
    'Non imponibili entro la soglia; superata la soglia, l’intero importo dell’anno è imponibile (conguaglio nel mese del superamento).',
  ]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
