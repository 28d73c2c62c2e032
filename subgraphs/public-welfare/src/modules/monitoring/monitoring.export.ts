import { csvFile, type CsvValue } from '@welfare/kit/csv';
import type ExcelJS from 'exceljs';
import type { CampaignDashboard } from './monitoring.service.js';

/** Italian names of the shop categories, for the exports. */
export const CATEGORY_IT: Record<string, string> = {
  FOOD: 'Alimentari',
  PHARMACY: 'Farmacia',
  HYGIENE: 'Igiene e casa',
  CLOTHING: 'Abbigliamento',
  SCHOOL: 'Materiale scolastico',
  ALCOHOL: 'Alcolici',
  TOBACCO: 'Tabacchi',
  GAMBLING: 'Giochi e scommesse',
  PHONE_TOPUP: 'Ricariche telefoniche',
  OTHER: 'Altro',
};

const STATUS_IT: Record<string, string> = {
  ACCREDITED: 'Accreditato',
  SUSPENDED: 'Sospeso',
  PENDING: 'In attesa',
};

/** Cents as an Italian decimal (comma, no grouping), for CSV. */
export function euroText(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

/** An instant as Italian date and time in Rome, e.g. `24/11/2026 14:05:09`. */
function romeDateTime(at: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Rome',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** `YYYY-MM-DD` as `DD/MM/YYYY`. */
function italianDay(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

/** The summary as (label, value) pairs; `money` marks amounts in cents. */
function summaryRows(d: CampaignDashboard): { label: string; value: number; money: boolean }[] {
  return [
    { label: 'Budget', value: d.budgetCents, money: true },
    { label: 'Impegnato (domande accolte)', value: d.committedCents, money: true },
    { label: 'Domande accolte', value: d.approvedApplications, money: false },
    { label: 'Accreditato sulle carte', value: d.creditedCents, money: true },
    { label: 'Speso negli esercizi', value: d.spentCents, money: true },
    { label: 'Speso in servizi del catalogo', value: d.servicesCents, money: true },
    { label: 'Restituito al fondo', value: d.returnedCents, money: true },
    { label: 'Non speso (credito sulle carte)', value: d.unspentCents, money: true },
    { label: 'Beneficiari ricaricati', value: d.beneficiariesCredited, money: false },
    { label: 'Carte con credito', value: d.cardsWithCredit, money: false },
    { label: 'Beneficiari con credito', value: d.beneficiariesWithCredit, money: false },
    { label: 'Pagamenti', value: d.payments, money: false },
    { label: 'Pagamenti annullati', value: d.voidedPayments, money: false },
  ];
}

/** Italian names of the kinds of funding source, for the exports. */
const SOURCE_KIND_IT: Record<string, string> = {
  STATE: 'Stato',
  REGION: 'Regione',
  COMUNE: 'Comune',
  EU: 'Unione europea',
  DONATION: 'Donazioni',
  OTHER: 'Altro',
};

/** How the by-source figures are split, in Italian, for the exports. */
const SOURCE_ALLOCATION_IT: Record<CampaignDashboard['sourceAllocation'], string> = {
  PRO_RATA: 'ripartizione in proporzione agli importi delle fonti',
  PRIORITY: 'ripartizione in ordine di priorità delle fonti',
};

/** The by-source section (after the others, only when the campaign declares sources). */
function sourceRows(d: CampaignDashboard): CsvValue[][] {
  if (d.bySource.length === 0) return [];
  return [
    [],
    ['Per fonte di finanziamento', SOURCE_ALLOCATION_IT[d.sourceAllocation]],
    [
      'tipo',
      'fonte',
      'importo_fonte_euro',
      'budget_euro',
      'impegnato_euro',
      'accreditato_euro',
      'speso_euro',
      'residuo_euro',
      'restituito_euro',
    ],
    ...d.bySource.map((x) => [
      SOURCE_KIND_IT[x.kind] ?? x.kind,
      x.name,
      euroText(x.amountCents),
      euroText(x.budgetCents),
      euroText(x.committedCents),
      euroText(x.creditedCents),
      euroText(x.spentCents),
      euroText(x.remainingCents),
      euroText(x.returnedCents),
    ]),
  ];
}

/**
 * The whole dashboard as one CSV file in the Italian Excel dialect (`;`, decimal comma, CRLF,
 * UTF-8 with BOM): four sections, each a title line, a header line and its rows, separated by an
 * empty line: Riepilogo (voce; valore), Per esercente, Per categoria, Per giorno, and Per fonte di
 * finanziamento when the campaign declares its sources.
 */
export function dashboardCsv(d: CampaignDashboard): Buffer {
  const rows: CsvValue[][] = [
    ['Cruscotto della misura', d.campaignTitle],
    ['Dati al', romeDateTime(d.generatedAt)],
    [],
    ['Riepilogo'],
    ['voce', 'valore'],
    ...summaryRows(d).map((r) => [r.label, r.money ? euroText(r.value) : r.value]),
    [],
    ['Per esercente'],
    ['esercente', 'stato', 'pagamenti', 'importo_euro'],
    ...d.byShop.map((s) => [
      s.businessName,
      STATUS_IT[s.status] ?? s.status,
      s.payments,
      euroText(s.amountCents),
    ]),
    [],
    ['Per categoria'],
    ['categoria', 'pagamenti', 'importo_euro'],
    ...d.byCategory.map((c) => [
      CATEGORY_IT[c.category] ?? c.category,
      c.payments,
      euroText(c.amountCents),
    ]),
    [],
    ['Per giorno'],
    ['data', 'pagamenti', 'speso_euro', 'accreditato_euro', 'restituito_euro'],
    ...d.byDay.map((x) => [
      italianDay(x.date),
      x.payments,
      euroText(x.amountCents),
      euroText(x.creditedCents),
      euroText(x.returnedCents),
    ]),
    ...sourceRows(d),
  ];
  return csvFile(rows);
}

/** Euro with two decimals and the euro sign (Excel applies the reader's separators). */
const EURO_FORMAT = '#,##0.00 [$€-410];-#,##0.00 [$€-410]';

function table(
  sheet: ExcelJS.Worksheet,
  columns: { header: string; key: string; width: number; money?: boolean }[],
  rows: Record<string, string | number | Date>[],
) {
  sheet.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  for (const row of rows) {
    const values: Record<string, string | number | Date> = {};
    for (const c of columns) {
      const v = row[c.key]!;
      values[c.key] = c.money && typeof v === 'number' ? v / 100 : v;
    }
    sheet.addRow(values);
  }
  for (const c of columns) if (c.money) sheet.getColumn(c.key).numFmt = EURO_FORMAT;
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
}

/**
 * The dashboard as an Excel workbook: one sheet per table (Riepilogo, Per esercente, Per categoria,
 * Per giorno), Italian headers in bold, amounts as numbers in euro with a currency format.
 */
export async function dashboardXlsx(d: CampaignDashboard): Promise<Buffer> {
  // Loaded when a workbook is asked for: exceljs is large, and a subgraph starts faster without.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  workbook.creator = 'Welfare Territoriale';
  workbook.created = d.generatedAt;
  workbook.title = `Cruscotto – ${d.campaignTitle}`;

  const summary = workbook.addWorksheet('Riepilogo');
  summary.columns = [
    { header: 'Voce', key: 'label', width: 36 },
    { header: 'Valore', key: 'value', width: 20 },
  ];
  summary.addRow({ label: 'Misura', value: d.campaignTitle });
  summary.addRow({ label: 'Dati al', value: romeDateTime(d.generatedAt) });
  for (const r of summaryRows(d)) {
    const row = summary.addRow({ label: r.label, value: r.money ? r.value / 100 : r.value });
    if (r.money) row.getCell('value').numFmt = EURO_FORMAT;
  }
  summary.getRow(1).font = { bold: true };
  summary.views = [{ state: 'frozen', ySplit: 1 }];

  table(
    workbook.addWorksheet('Per esercente'),
    [
      { header: 'Esercente', key: 'name', width: 40 },
      { header: 'Stato', key: 'status', width: 14 },
      { header: 'Pagamenti', key: 'payments', width: 12 },
      { header: 'Importo', key: 'amount', width: 16, money: true },
    ],
    d.byShop.map((s) => ({
      name: s.businessName,
      status: STATUS_IT[s.status] ?? s.status,
      payments: s.payments,
      amount: s.amountCents,
    })),
  );
  table(
    workbook.addWorksheet('Per categoria'),
    [
      { header: 'Categoria', key: 'category', width: 28 },
      { header: 'Pagamenti', key: 'payments', width: 12 },
      { header: 'Importo', key: 'amount', width: 16, money: true },
    ],
    d.byCategory.map((c) => ({
      category: CATEGORY_IT[c.category] ?? c.category,
      payments: c.payments,
      amount: c.amountCents,
    })),
  );
  const days = workbook.addWorksheet('Per giorno');
  table(
    days,
    [
      { header: 'Data', key: 'date', width: 12 },
      { header: 'Pagamenti', key: 'payments', width: 12 },
      { header: 'Speso', key: 'spent', width: 16, money: true },
      { header: 'Accreditato', key: 'credited', width: 16, money: true },
      { header: 'Restituito', key: 'returned', width: 16, money: true },
    ],
    d.byDay.map((x) => ({
      date: new Date(`${x.date}T00:00:00Z`),
      payments: x.payments,
      spent: x.amountCents,
      credited: x.creditedCents,
      returned: x.returnedCents,
    })),
  );
  days.getColumn('date').numFmt = 'dd/mm/yyyy';
  if (d.bySource.length > 0)
    table(
      workbook.addWorksheet('Per fonte'),
      [
        { header: 'Tipo', key: 'kind', width: 16 },
        { header: 'Fonte', key: 'name', width: 40 },
        { header: 'Importo della fonte', key: 'amount', width: 18, money: true },
        { header: 'Budget', key: 'budget', width: 16, money: true },
        { header: 'Impegnato', key: 'committed', width: 16, money: true },
        { header: 'Accreditato', key: 'credited', width: 16, money: true },
        { header: 'Speso', key: 'spent', width: 16, money: true },
        { header: 'Residuo', key: 'remaining', width: 16, money: true },
        { header: 'Restituito', key: 'returned', width: 16, money: true },
      ],
      d.bySource.map((x) => ({
        kind: SOURCE_KIND_IT[x.kind] ?? x.kind,
        name: x.name,
        amount: x.amountCents,
        budget: x.budgetCents,
        committed: x.committedCents,
        credited: x.creditedCents,
        spent: x.spentCents,
        remaining: x.remainingCents,
        returned: x.returnedCents,
      })),
    );
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
