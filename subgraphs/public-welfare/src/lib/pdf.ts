// PDF documents of public welfare: the application receipt and the ranking. Plain data in,
// bytes out: no database, no GraphQL. pdfkit with its standard Helvetica fonts (no font files),
// PDF 1.7, tagged (headings, paragraphs and tables in the structure tree, page furniture marked
// as artifacts), language it-IT with the English secondary text marked as English.
import type PDFDocument from 'pdfkit';

export interface ReceiptPdfData {
  comuneName: string;
  campaignTitle: string;
  protocolNumber: string;
  submittedAt: Date;
  applicantName: string | null;
  applicantFiscalCode: string;
  onBehalf: boolean;
  householdCode: string | null;
  checks: { code: string; passed: boolean; messageIt: string; messageEn: string }[];
  documents: { code: string; fileName: string; sha256: string }[];
  declarations: { code: string; textIt: string }[];
  amountCents: number | null;
}

export interface RankingPdfData {
  comuneName: string;
  campaignTitle: string;
  budgetCents: number;
  fundedCents: number;
  rankedAt: Date;
  rows: {
    rank: number;
    protocolNumber: string;
    iseeCents: number | null;
    size: number;
    minors: number;
    amountCents: number;
    funded: boolean;
  }[];
}

// A4 in points, and the layout every document shares.
const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const MARGIN = { top: 56, bottom: 64, left: 50, right: 50 } as const;
const CONTENT_WIDTH = PAGE_WIDTH - MARGIN.left - MARGIN.right;
/** Lowest y a line of content may reach; the footer lives below it. */
const CONTENT_BOTTOM = PAGE_HEIGHT - MARGIN.bottom;
const FOOTER_Y = PAGE_HEIGHT - 44;

const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const TEXT = '#1a1a1a';
// 7.0:1 on white: secondary text stays readable (WCAG AA asks 4.5:1).
const SECONDARY = '#4d4d4d';
const RULE = '#8c8c8c';

const ENGLISH = 'en-GB';

/** Ranking table geometry: fixed heights, so a page holds a known number of rows. */
const RANKING_HEADER_HEIGHT = 28;
const RANKING_ROW_HEIGHT = 15;
/** Rows on every ranking page after the first (the first also carries the title and totals). */
export const RANKING_ROWS_PER_PAGE = Math.floor(
  (CONTENT_BOTTOM - MARGIN.top - RANKING_HEADER_HEIGHT) / RANKING_ROW_HEIGHT,
);

// ---------------------------------------------------------------------------------------------
// Text helpers

/** WinAnsi (the standard fonts' encoding) beyond Latin-1, by Unicode code point. */
const WIN_ANSI_EXTRA = new Set([
  0x0152, 0x0153, 0x0160, 0x0161, 0x0178, 0x017d, 0x017e, 0x0192, 0x02c6, 0x02dc, 0x2013, 0x2014,
  0x2018, 0x2019, 0x201a, 0x201c, 0x201d, 0x201e, 0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2039,
  0x203a, 0x20ac, 0x2122,
]);

function encodable(code: number): boolean {
  return (
    (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(code)
  );
}

/**
 * Text the standard fonts can show: WinAnsi characters as they are, other letters without their
 * accents (`ł` stays `?`, `Ș` becomes `S`), narrow and figure spaces as no-break spaces, control
 * characters as spaces. pdfkit would otherwise write a broken string for a character outside
 * WinAnsi.
 */
export function pdfSafeText(value: string): string {
  let out = '';
  for (const char of value.normalize('NFC')) {
    const code = char.codePointAt(0) ?? 0x3f;
    if (encodable(code)) out += char;
    else if (code === 0x202f || code === 0x2007 || code === 0x2009) out += '\u00a0';
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += ' ';
    else {
      const base = char.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      out += base !== '' && [...base].every((c) => encodable(c.codePointAt(0) ?? 0)) ? base : '?';
    }
  }
  return out;
}

const EURO = new Intl.NumberFormat('it-IT', { style: 'currency', currency: 'EUR' });
const INTEGER = new Intl.NumberFormat('it-IT', { maximumFractionDigits: 0 });
const DATE_TIME = new Intl.DateTimeFormat('it-IT', {
  timeZone: 'Europe/Rome',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Euro cents as Italians read an amount: `1.234,56 €`. */
export function formatEuro(cents: number): string {
  return pdfSafeText(EURO.format(cents / 100));
}

/** A moment as a date and time in Italy (Europe/Rome, daylight saving included). */
export function formatRomeDateTime(date: Date): string {
  return pdfSafeText(DATE_TIME.format(date));
}

// ---------------------------------------------------------------------------------------------
// The document and its structure

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

interface TextStyle {
  font?: string;
  size?: number;
  color?: string;
  align?: 'left' | 'right' | 'center';
}

/**
 * pdfkit, loaded when a PDF is first asked for: it is large, and a subgraph starts faster without.
 */
export async function loadPdfKit(): Promise<typeof PDFDocument> {
  return (await import('pdfkit')).default;
}

/** A tagged A4 document with helpers that place text and keep the structure tree in step. */
class Writer {
  readonly doc: Doc;
  readonly root: Struct;
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<Buffer>;

  constructor(PdfKit: typeof PDFDocument, title: string, author: string, subject: string) {
    this.doc = new PdfKit({
      size: 'A4',
      margins: { ...MARGIN },
      pdfVersion: '1.7',
      tagged: true,
      lang: 'it-IT',
      displayTitle: true,
      bufferPages: true,
      font: REGULAR,
      info: {
        Title: pdfSafeText(title),
        Author: pdfSafeText(author),
        Subject: pdfSafeText(subject),
        Creator: 'Welfare Territoriale',
      },
    });
    this.done = new Promise<Buffer>((resolve, reject) => {
      this.doc.on('data', (chunk: Buffer) => this.chunks.push(chunk));
      this.doc.once('end', () => resolve(Buffer.concat(this.chunks)));
      this.doc.once('error', reject);
    });
    this.root = this.doc.struct('Document');
    this.doc.addStructure(this.root);
  }

  private style(style: TextStyle): void {
    this.doc
      .font(style.font ?? REGULAR)
      .fontSize(style.size ?? 10)
      .fillColor(style.color ?? TEXT);
  }

  /** Height of a block of text at a width, in a style. */
  height(text: string, width: number, style: TextStyle): number {
    this.style(style);
    return this.doc.heightOfString(pdfSafeText(text), { width });
  }

  /** A tagged block of text at (x, y), `width` wide; returns its height. */
  block(
    parent: Struct,
    type: string,
    text: string,
    at: { x: number; y: number; width: number },
    style: TextStyle,
    lang?: string,
  ): number {
    const safe = pdfSafeText(text);
    const height = this.height(safe, at.width, style);
    const element = this.doc.struct(type, lang ? { lang } : {}, () => {
      this.style(style);
      // The measured height as the box: pdfkit never starts a page on its own; callers do.
      this.doc.text(safe, at.x, at.y, {
        width: at.width,
        height: height + 2,
        align: style.align ?? 'left',
      });
    });
    parent.add(element);
    return height;
  }

  /** A paragraph in the flow (full width), advancing the cursor; starts a page when needed. */
  paragraph(type: string, text: string, style: TextStyle, gap = 4, lang?: string): void {
    const height = this.height(text, CONTENT_WIDTH, style);
    this.ensure(height);
    const y = this.doc.y;
    this.block(this.root, type, text, { x: MARGIN.left, y, width: CONTENT_WIDTH }, style, lang);
    this.doc.y = y + height + gap;
  }

  /** A heading in Italian with its English translation beneath, kept on one page with `keep`. */
  heading(type: 'H1' | 'H2', it: string, en: string, keep = 0): void {
    const itStyle: TextStyle = { font: BOLD, size: type === 'H1' ? 17 : 12.5 };
    const enStyle: TextStyle = { size: type === 'H1' ? 12 : 9.5, color: SECONDARY };
    const height =
      this.height(it, CONTENT_WIDTH, itStyle) + this.height(en, CONTENT_WIDTH, enStyle) + 8;
    this.ensure(height + keep);
    if (type === 'H2') this.doc.y += 6;
    const heading = this.doc.struct(type);
    this.root.add(heading);
    let y = this.doc.y;
    y += this.block(heading, 'Span', it, { x: MARGIN.left, y, width: CONTENT_WIDTH }, itStyle);
    y += 1;
    y += this.block(
      heading,
      'Span',
      en,
      { x: MARGIN.left, y, width: CONTENT_WIDTH },
      enStyle,
      ENGLISH,
    );
    heading.end();
    this.doc.y = y + 6;
  }

  /** A thin horizontal line (an artifact: not read aloud). */
  rule(y: number, x1 = MARGIN.left, x2 = PAGE_WIDTH - MARGIN.right): void {
    this.doc.markContent('Artifact', { type: 'Layout' });
    this.doc.save().moveTo(x1, y).lineTo(x2, y).lineWidth(0.6).strokeColor(RULE).stroke().restore();
    this.doc.endMarkedContent();
  }

  /** Starts a new page unless `height` more points fit on this one. True when it did. */
  ensure(height: number): boolean {
    if (this.doc.y + height <= CONTENT_BOTTOM) return false;
    this.newPage();
    return true;
  }

  newPage(): void {
    this.doc.addPage();
    this.doc.y = MARGIN.top;
  }

  /** Writes the footer on every page (`left` text, and page X of Y), ends the document. */
  finish(left: string): Promise<Buffer> {
    this.root.end();
    const range = this.doc.bufferedPageRange();
    const total = range.count;
    for (let i = range.start; i < range.start + total; i++) {
      this.doc.switchToPage(i);
      // Text below the bottom margin would make pdfkit start a page: lift the margin meanwhile.
      const bottom = this.doc.page.margins.bottom;
      this.doc.page.margins.bottom = 0;
      this.rule(FOOTER_Y - 6);
      this.doc.markContent('Artifact', { type: 'Pagination' });
      this.style({ size: 8, color: SECONDARY });
      const n = i - range.start + 1;
      this.doc.text(pdfSafeText(left), MARGIN.left, FOOTER_Y, {
        width: CONTENT_WIDTH * 0.6,
        lineBreak: false,
        ellipsis: true,
        height: 10,
      });
      this.doc.text(
        `Pagina ${n} di ${total} / Page ${n} of ${total}`,
        MARGIN.left + CONTENT_WIDTH * 0.6,
        FOOTER_Y,
        { width: CONTENT_WIDTH * 0.4, align: 'right', lineBreak: false },
      );
      this.doc.endMarkedContent();
      this.doc.page.margins.bottom = bottom;
    }
    this.doc.end();
    return this.done;
  }
}

/** One column of a table: Italian and English header, width, alignment. */
interface Column {
  it: string;
  en: string;
  width: number;
  align?: 'left' | 'right' | 'center';
}

/** One cell: Italian (or only) text, optionally English beneath. */
interface Cell {
  text: string;
  en?: string;
  style?: TextStyle;
}

const CELL_PAD = 3;

/** A header cell's scope (pdfkit 0.20 supports it; its type definitions, for 0.17, do not). */
function headerScope(scope: 'Row' | 'Column'): PDFKit.Mixins.StructureElementOptions {
  return { scope } as PDFKit.Mixins.StructureElementOptions;
}

/**
 * A tagged table with a bilingual header row repeated on every page it spans; rows of variable
 * height (the tallest cell), never split across pages.
 */
class Table {
  private readonly table: Struct;
  private readonly headerHeight: number;

  constructor(
    private readonly w: Writer,
    private readonly columns: Column[],
    private readonly bodySize = 9,
    fixedHeaderHeight?: number,
  ) {
    this.table = w.doc.struct('Table');
    w.root.add(this.table);
    this.headerHeight =
      fixedHeaderHeight ??
      Math.max(
        ...columns.map(
          (c) =>
            w.height(c.it, c.width - 2 * CELL_PAD, { font: BOLD, size: 8.5 }) +
            w.height(c.en, c.width - 2 * CELL_PAD, { size: 7.5 }),
        ),
      ) +
        2 * CELL_PAD +
        1;
  }

  private header(): void {
    const { doc } = this.w;
    const row = doc.struct('TR');
    this.table.add(row);
    let x = MARGIN.left;
    const y = doc.y;
    for (const column of this.columns) {
      const th = doc.struct('TH', headerScope('Column'));
      row.add(th);
      const width = column.width - 2 * CELL_PAD;
      const align = column.align ?? 'left';
      const itHeight = this.w.block(
        th,
        'Span',
        column.it,
        { x: x + CELL_PAD, y: y + CELL_PAD, width },
        { font: BOLD, size: 8.5, align },
      );
      this.w.block(
        th,
        'Span',
        column.en,
        { x: x + CELL_PAD, y: y + CELL_PAD + itHeight, width },
        { size: 7.5, color: SECONDARY, align },
        ENGLISH,
      );
      th.end();
      x += column.width;
    }
    row.end();
    this.w.rule(y + this.headerHeight - 1, MARGIN.left, x);
    doc.y = y + this.headerHeight;
  }

  /** Height of a row of cells. */
  private rowHeight(cells: Cell[]): number {
    let height = 0;
    cells.forEach((cell, i) => {
      const width = (this.columns[i]?.width ?? 0) - 2 * CELL_PAD;
      let h = this.w.height(cell.text, width, { size: this.bodySize, ...cell.style });
      if (cell.en) h += this.w.height(cell.en, width, { size: this.bodySize - 1 });
      height = Math.max(height, h);
    });
    return height + 2 * CELL_PAD;
  }

  /** Starts the table: the header, on a new page unless it and `firstRow` fit here. */
  start(firstRow?: Cell[]): this {
    this.w.ensure(this.headerHeight + (firstRow ? this.rowHeight(firstRow) : 0));
    this.header();
    return this;
  }

  /** Adds a row at the cursor; on a new page (with the header again) when it does not fit. */
  row(cells: Cell[], fixedHeight?: number): void {
    const { doc } = this.w;
    const height = fixedHeight ?? this.rowHeight(cells);
    if (doc.y + height > CONTENT_BOTTOM) {
      this.w.newPage();
      this.header();
    }
    const tr = doc.struct('TR');
    this.table.add(tr);
    const y = doc.y;
    let x = MARGIN.left;
    cells.forEach((cell, i) => {
      const column = this.columns[i]!;
      const width = column.width - 2 * CELL_PAD;
      const align = column.align ?? 'left';
      const td = doc.struct('TD');
      tr.add(td);
      const h = this.w.block(
        td,
        'Span',
        cell.text,
        { x: x + CELL_PAD, y: y + CELL_PAD, width },
        { size: this.bodySize, align, ...cell.style },
      );
      if (cell.en) {
        this.w.block(
          td,
          'Span',
          cell.en,
          { x: x + CELL_PAD, y: y + CELL_PAD + h, width },
          { size: this.bodySize - 1, color: SECONDARY, align },
          ENGLISH,
        );
      }
      td.end();
      x += column.width;
    });
    tr.end();
    doc.y = y + height;
  }

  end(): void {
    this.table.end();
    this.w.doc.y += 8;
  }
}

/** A two-column table of labelled values: Italian label, English beneath, then the value. */
function details(w: Writer, rows: { it: string; en: string; value: string }[]): void {
  const labelWidth = 190;
  const valueWidth = CONTENT_WIDTH - labelWidth;
  const { doc } = w;
  const table = doc.struct('Table');
  w.root.add(table);
  for (const row of rows) {
    const labelHeight =
      w.height(row.it, labelWidth - 8, { font: BOLD, size: 9.5 }) +
      w.height(row.en, labelWidth - 8, { size: 8 });
    const valueHeight = w.height(row.value, valueWidth, { size: 10.5 });
    const height = Math.max(labelHeight, valueHeight) + 7;
    w.ensure(height);
    const y = doc.y;
    const tr = doc.struct('TR');
    table.add(tr);
    const th = doc.struct('TH', headerScope('Row'));
    tr.add(th);
    const h = w.block(
      th,
      'Span',
      row.it,
      { x: MARGIN.left, y, width: labelWidth - 8 },
      { font: BOLD, size: 9.5 },
    );
    w.block(
      th,
      'Span',
      row.en,
      { x: MARGIN.left, y: y + h, width: labelWidth - 8 },
      { size: 8, color: SECONDARY },
      ENGLISH,
    );
    th.end();
    const td = doc.struct('TD');
    tr.add(td);
    w.block(
      td,
      'Span',
      row.value,
      { x: MARGIN.left + labelWidth, y, width: valueWidth },
      {
        size: 10.5,
      },
    );
    td.end();
    tr.end();
    doc.y = y + height;
  }
  table.end();
  doc.y += 4;
}

// ---------------------------------------------------------------------------------------------
// The receipt

const NOT_GIVEN = 'Non indicato / Not given';

/**
 * The receipt a citizen (or whoever applied on their behalf) gets once an application is
 * submitted: what was submitted, when (Italian time), under which protocol number, the checks
 * made at submission, the documents with their SHA-256 and the declarations made.
 */
export async function renderReceiptPdf(data: ReceiptPdfData): Promise<Buffer> {
  const w = new Writer(
    await loadPdfKit(),
    `Ricevuta di presentazione della domanda ${data.protocolNumber}`,
    data.comuneName,
    `${data.campaignTitle} - Application receipt`,
  );
  w.paragraph('P', data.comuneName, { font: BOLD, size: 11 }, 10);
  w.heading('H1', 'Ricevuta di presentazione della domanda', 'Application receipt');
  w.rule(w.doc.y - 2);
  w.doc.y += 8;

  receiptDetails(w, data);
  receiptChecks(w, data.checks);
  receiptDocuments(w, data.documents);
  receiptDeclarations(w, data.declarations);
  w.doc.y += 6;
  w.paragraph(
    'P',
    'La presente ricevuta attesta la presentazione della domanda; l’esito dipende dall’istruttoria del Comune.',
    { size: 9 },
    1,
  );
  w.paragraph(
    'P',
    'This receipt certifies that the application was submitted; the outcome depends on the Comune’s review.',
    { size: 8.5, color: SECONDARY },
    4,
    ENGLISH,
  );
  return w.finish(`${data.comuneName} · ${data.protocolNumber}`);
}

/** The receipt's details: the Comune, the campaign, the protocol, the applicant, the amount. */
function receiptDetails(w: Writer, data: ReceiptPdfData): void {
  details(w, [
    { it: 'Comune', en: 'Municipality', value: data.comuneName },
    { it: 'Bando', en: 'Campaign', value: data.campaignTitle },
    { it: 'Numero di protocollo', en: 'Protocol number', value: data.protocolNumber },
    {
      it: 'Data e ora di presentazione',
      en: 'Submitted at (Italian time)',
      value: formatRomeDateTime(data.submittedAt),
    },
    { it: 'Richiedente', en: 'Applicant', value: data.applicantName ?? NOT_GIVEN },
    { it: 'Codice fiscale', en: 'Tax code', value: data.applicantFiscalCode },
    {
      it: 'Presentata per conto del richiedente',
      en: 'Submitted on behalf of the applicant',
      value: data.onBehalf ? 'Sì / Yes' : 'No / No',
    },
    { it: 'Codice famiglia', en: 'Household code', value: data.householdCode ?? NOT_GIVEN },
    {
      it: 'Importo richiesto',
      en: 'Amount applied for',
      value:
        data.amountCents === null
          ? 'Da determinare / To be determined'
          : formatEuro(data.amountCents),
    },
  ]);
}

/** The checks made at submission, as a table. */
function receiptChecks(w: Writer, checks: ReceiptPdfData['checks']): void {
  w.heading('H2', 'Verifiche alla presentazione', 'Checks at submission', 30);
  if (checks.length === 0) {
    w.paragraph('P', 'Nessuna verifica. / No checks.', { size: 9.5 });
  } else {
    const table = new Table(w, [
      { it: 'Codice', en: 'Code', width: 95 },
      { it: 'Esito', en: 'Result', width: 90 },
      { it: 'Dettaglio', en: 'Detail', width: CONTENT_WIDTH - 185 },
    ]).start();
    for (const check of checks) {
      table.row([
        { text: check.code },
        check.passed
          ? { text: 'Superata', en: 'Passed', style: { font: BOLD } }
          : { text: 'Non superata', en: 'Failed', style: { font: BOLD } },
        { text: check.messageIt, en: check.messageEn },
      ]);
    }
    table.end();
  }
}

/** The attached documents with their SHA-256, as a table. */
function receiptDocuments(w: Writer, documents: ReceiptPdfData['documents']): void {
  w.heading('H2', 'Documenti allegati', 'Attached documents', 30);
  if (documents.length === 0) {
    w.paragraph('P', 'Nessun documento allegato. / No documents attached.', { size: 9.5 });
  } else {
    const table = new Table(w, [
      { it: 'Tipo', en: 'Type', width: 80 },
      { it: 'File', en: 'File', width: 150 },
      { it: 'Impronta SHA-256', en: 'SHA-256 fingerprint', width: CONTENT_WIDTH - 230 },
    ]).start();
    for (const document of documents) {
      table.row([
        { text: document.code },
        { text: document.fileName },
        { text: document.sha256.toLowerCase(), style: { size: 6.8 } },
      ]);
    }
    table.end();
  }
}

/** The declarations made, as a table. */
function receiptDeclarations(w: Writer, declarations: ReceiptPdfData['declarations']): void {
  w.heading('H2', 'Dichiarazioni rese', 'Declarations made', 30);
  if (declarations.length === 0) {
    w.paragraph('P', 'Nessuna dichiarazione. / No declarations.', { size: 9.5 });
  } else {
    const table = new Table(w, [
      { it: 'Codice', en: 'Code', width: 95 },
      { it: 'Testo', en: 'Text', width: CONTENT_WIDTH - 95 },
    ]).start();
    for (const declaration of declarations) {
      table.row([{ text: declaration.code }, { text: declaration.textIt }]);
    }
    table.end();
  }
}

// ---------------------------------------------------------------------------------------------
// The ranking

const FUNDED = 'Finanziata';
const NOT_FUNDED = 'Idonea non finanziata';

/** Table columns of the ranking (widths add up to the content width). */
const RANKING_COLUMNS: Column[] = [
  { it: 'Posizione', en: 'Rank', width: 50, align: 'right' },
  { it: 'Protocollo', en: 'Protocol number', width: 98 },
  { it: 'ISEE', en: 'ISEE', width: 72, align: 'right' },
  { it: 'Componenti', en: 'Members', width: 62, align: 'right' },
  { it: 'Minori', en: 'Minors', width: 42, align: 'right' },
  { it: 'Importo', en: 'Amount', width: 68, align: 'right' },
  { it: 'Esito', en: 'Outcome', width: CONTENT_WIDTH - 392 },
];

/**
 * A campaign's ranking, for publication: applications by protocol number only (no names), with
 * ISEE, household size, minors, the amount and whether it is funded, over as many pages as it
 * takes, the header repeated on each.
 */
export async function renderRankingPdf(data: RankingPdfData): Promise<Buffer> {
  const w = new Writer(
    await loadPdfKit(),
    `Graduatoria - ${data.campaignTitle}`,
    data.comuneName,
    `${data.campaignTitle} - Ranking`,
  );
  const funded = data.rows.filter((r) => r.funded).length;
  w.paragraph('P', data.comuneName, { font: BOLD, size: 11 }, 10);
  w.heading('H1', `Graduatoria: ${data.campaignTitle}`, `Ranking: ${data.campaignTitle}`);
  w.rule(w.doc.y - 2);
  w.doc.y += 8;
  details(w, [
    {
      it: 'Data della graduatoria',
      en: 'Ranked at (Italian time)',
      value: formatRomeDateTime(data.rankedAt),
    },
    { it: 'Stanziamento', en: 'Budget', value: formatEuro(data.budgetCents) },
    { it: 'Importo finanziato', en: 'Amount funded', value: formatEuro(data.fundedCents) },
    {
      it: 'Domande in graduatoria',
      en: 'Ranked applications',
      value: `${INTEGER.format(data.rows.length)} (${INTEGER.format(funded)} finanziate / funded)`,
    },
  ]);
  w.paragraph(
    'P',
    `Esito: «${FUNDED}» se la domanda rientra nello stanziamento, «${NOT_FUNDED}» se è ammessa ma lo stanziamento è esaurito. Le domande sono indicate solo con il numero di protocollo.`,
    { size: 8.5 },
    1,
  );
  w.paragraph(
    'P',
    `Outcome: “${FUNDED}” = funded; “${NOT_FUNDED}” = eligible, not funded (budget exhausted). Applications are identified by protocol number only.`,
    { size: 8, color: SECONDARY },
    8,
    ENGLISH,
  );

  const table = new Table(w, RANKING_COLUMNS, 8.5, RANKING_HEADER_HEIGHT);
  if (data.rows.length === 0) {
    w.paragraph('P', 'Nessuna domanda in graduatoria. / No ranked applications.', { size: 9.5 });
  } else {
    table.start();
    for (const row of data.rows) {
      table.row(
        [
          { text: String(row.rank) },
          { text: row.protocolNumber },
          { text: row.iseeCents === null ? '-' : formatEuro(row.iseeCents) },
          { text: String(row.size) },
          { text: String(row.minors) },
          { text: formatEuro(row.amountCents) },
          { text: row.funded ? FUNDED : NOT_FUNDED, style: row.funded ? { font: BOLD } : {} },
        ],
        RANKING_ROW_HEIGHT,
      );
    }
  }
  table.end();
  return w.finish(`${data.comuneName} · Graduatoria / Ranking`);
}
