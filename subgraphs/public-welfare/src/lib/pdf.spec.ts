import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  RANKING_ROWS_PER_PAGE,
  formatEuro,
  formatRomeDateTime,
  pdfSafeText,
  renderRankingPdf,
  renderReceiptPdf,
  type RankingPdfData,
  type ReceiptPdfData,
} from './pdf.js';

// A small reader for what pdfkit writes (`N 0 obj`, a dictionary, an optional stream of
// /Length bytes, `endobj`): enough to find the pages in order and the text each one shows.

interface PdfObject {
  dict: string;
  stream?: Buffer;
}

function parseObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const header = /(\d+) 0 obj\n/g;
  let match: RegExpExecArray | null;
  while ((match = header.exec(text))) {
    const start = header.lastIndex;
    const endAt = text.indexOf('\nendobj', start);
    const inside = text.slice(start, endAt).indexOf('\nstream\n');
    const streamAt = inside === -1 ? -1 : start + inside;
    if (streamAt !== -1) {
      const dict = text.slice(start, streamAt);
      const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
      const from = streamAt + '\nstream\n'.length;
      let stream = pdf.subarray(from, from + length);
      if (dict.includes('/FlateDecode')) stream = inflateSync(stream);
      objects.set(Number(match[1]), { dict, stream });
      header.lastIndex = from + length;
    } else {
      objects.set(Number(match[1]), { dict: text.slice(start, endAt) });
      header.lastIndex = endAt;
    }
  }
  return objects;
}

/** WinAnsi bytes 0x80..0x9F that are not Latin-1. */
const WIN_ANSI: Record<number, string> = {
  0x80: '€',
  0x85: '…',
  0x91: '‘',
  0x92: '’',
  0x93: '“',
  0x94: '”',
  0x96: '–',
  0x97: '—',
};

/** The text a content stream shows: one line per TJ operation (pdfkit writes one per line). */
function contentText(stream: Buffer): string[] {
  const lines: string[] = [];
  for (const [, array = ''] of stream.toString('latin1').matchAll(/\[([^\]]*)\]\s*TJ/g)) {
    let line = '';
    for (const [, hex = ''] of array.matchAll(/<([0-9a-fA-F]*)>/g)) {
      for (let i = 0; i < hex.length; i += 2) {
        const code = parseInt(hex.slice(i, i + 2), 16);
        line += WIN_ANSI[code] ?? String.fromCharCode(code);
      }
    }
    lines.push(line);
  }
  return lines;
}

function ref(dict: string, key: string): number {
  const id = new RegExp(`/${key} (\\d+) 0 R`).exec(dict)?.[1];
  if (!id) throw new Error(`no /${key} in ${dict}`);
  return Number(id);
}

/** A PDF string value (`(text)` or UTF-16BE `<feff…>`), direct or in an object of its own. */
function pdfString(read: ReadPdf, dict: string, key: string): string | undefined {
  const indirect = new RegExp(`/${key} (\\d+) 0 R`).exec(dict)?.[1];
  const value = indirect
    ? (read.objects.get(Number(indirect))?.dict ?? '')
    : (new RegExp(`/${key} ((?:\\((?:\\\\.|[^\\\\)])*\\))|<[0-9a-fA-F]*>)`).exec(dict)?.[1] ?? '');
  const literal = /^\(((?:\\.|[^\\)])*)\)$/.exec(value.trim())?.[1];
  if (literal !== undefined) return literal.replace(/\\(.)/g, '$1');
  const hex = /^<([0-9a-fA-F]+)>$/.exec(value.trim())?.[1];
  if (!hex) return undefined;
  const bytes = Buffer.from(hex, 'hex');
  return bytes.subarray(2).swap16().toString('utf16le');
}

interface ReadPdf {
  version: string;
  catalog: string;
  info: string;
  /** Each page's lines of text, in page order. */
  pages: string[][];
  /** The /Count of the page tree. */
  count: number;
  objects: Map<number, PdfObject>;
}

function readPdf(pdf: Buffer): ReadPdf {
  const objects = parseObjects(pdf);
  const trailer = pdf.toString('latin1', pdf.lastIndexOf('trailer'));
  const catalog = objects.get(ref(trailer, 'Root'))?.dict ?? '';
  const info = objects.get(ref(trailer, 'Info'))?.dict ?? '';
  const tree = objects.get(ref(catalog, 'Pages'))?.dict ?? '';
  const kids = [...(/\/Kids \[([^\]]*)\]/.exec(tree)?.[1] ?? '').matchAll(/(\d+) 0 R/g)].map((m) =>
    Number(m[1]),
  );
  const pages = kids.map((id) => {
    const page = objects.get(id)?.dict ?? '';
    expect(page).toMatch(/\/Type \/Page\b/);
    return contentText(objects.get(ref(page, 'Contents'))?.stream ?? Buffer.alloc(0));
  });
  return {
    version: pdf.subarray(0, 8).toString('latin1'),
    catalog,
    info,
    pages,
    count: Number(/\/Count (\d+)/.exec(tree)?.[1]),
    objects,
  };
}

/** All the text as one line, spaces (no-break ones too) collapsed. */
const flat = (value: string) => value.replace(/\s+/g, ' ').trim();
const allText = (read: ReadPdf) => flat(read.pages.flat().join(' '));

const SHA_A = 'a'.repeat(8) + '0123456789abcdef'.repeat(3) + 'f'.repeat(8);
const SHA_B = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

const RECEIPT: ReceiptPdfData = {
  comuneName: 'Comune di Balestrate',
  campaignTitle: 'Buoni spesa per le famiglie 2026',
  protocolNumber: 'BAL-2026-000042',
  // 08:30 UTC in June is 10:30 in Rome (summer time).
  submittedAt: new Date('2026-06-15T08:30:00Z'),
  applicantName: 'Mario Rossi',
  applicantFiscalCode: 'RSSMRA80A01H501U',
  onBehalf: true,
  householdCode: 'F000123',
  checks: [
    {
      code: 'RESIDENCY',
      passed: true,
      messageIt: 'Nucleo residente nel Comune.',
      messageEn: 'Household resident in the Comune.',
    },
    {
      code: 'ISEE_MAX',
      passed: false,
      messageIt: 'ISEE oltre la soglia del bando.',
      messageEn: 'ISEE above the campaign threshold.',
    },
  ],
  documents: [
    { code: 'ID_DOCUMENT', fileName: 'carta-identita.pdf', sha256: SHA_A },
    { code: 'ISEE_CERT', fileName: 'attestazione-isee.pdf', sha256: SHA_B },
  ],
  declarations: [
    { code: 'TRUTHFUL', textIt: 'Dichiaro che le informazioni fornite sono veritiere.' },
    { code: 'PRIVACY', textIt: 'Ho letto l’informativa sul trattamento dei dati personali.' },
  ],
  amountCents: 123456,
};

describe('formatting', () => {
  it('writes euro the Italian way and times in Rome across daylight saving', () => {
    expect(formatEuro(123456)).toBe('1234,56\u00a0€');
    expect(formatEuro(12345678)).toBe('123.456,78\u00a0€');
    expect(formatEuro(5)).toBe('0,05\u00a0€');
    expect(formatRomeDateTime(new Date('2026-06-15T08:30:00Z'))).toBe('15/06/2026, 10:30');
    expect(formatRomeDateTime(new Date('2026-01-15T08:30:00Z'))).toBe('15/01/2026, 09:30');
    // The night summer time ends: 00:30 UTC is 02:30 CEST, 01:30 UTC is 02:30 CET.
    expect(formatRomeDateTime(new Date('2026-10-25T00:30:00Z'))).toBe('25/10/2026, 02:30');
    expect(formatRomeDateTime(new Date('2026-10-25T01:30:00Z'))).toBe('25/10/2026, 02:30');
    expect(formatRomeDateTime(new Date('2026-03-29T01:30:00Z'))).toBe('29/03/2026, 03:30');
  });

  it('keeps what the standard fonts can show and replaces the rest', () => {
    expect(pdfSafeText('Niccolò D’Alì — 10 €')).toBe('Niccolò D’Alì — 10 €');
    expect(pdfSafeText('Ştefan Dvořák')).toBe('Stefan Dvorák');
    expect(pdfSafeText('Łukasz 李')).toBe('?ukasz ?');
    expect(pdfSafeText('a\u202fb\tc')).toBe('a\u00a0b c');
  });
});

/** What the receipt of RECEIPT shows, every field and label (Italian and English). */
const RECEIPT_TEXT = [
  'Ricevuta di presentazione della domanda',
  'Application receipt',
  'Comune di Balestrate',
  'Buoni spesa per le famiglie 2026',
  'Numero di protocollo',
  'Protocol number',
  'BAL-2026-000042',
  'Data e ora di presentazione',
  '15/06/2026, 10:30',
  'Mario Rossi',
  'RSSMRA80A01H501U',
  'Presentata per conto del richiedente',
  'Sì / Yes',
  'F000123',
  'Importo richiesto',
  flat(formatEuro(123456)),
  'RESIDENCY',
  'Nucleo residente nel Comune.',
  'Household resident in the Comune.',
  'ISEE_MAX',
  'ISEE oltre la soglia del bando.',
  'ISEE above the campaign threshold.',
  'ID_DOCUMENT',
  'carta-identita.pdf',
  SHA_A,
  'ISEE_CERT',
  'attestazione-isee.pdf',
  SHA_B,
  'TRUTHFUL',
  'Dichiaro che le informazioni fornite sono veritiere.',
  'PRIVACY',
  'Ho letto l’informativa sul trattamento dei dati personali.',
  'Pagina 1 di 1 / Page 1 of 1',
];

describe('renderReceiptPdf', () => {
  it('writes a tagged PDF 1.7 with Italian metadata and every field of the receipt', async () => {
    const pdf = await renderReceiptPdf(RECEIPT);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const read = readPdf(pdf);
    expect(read.version).toBe('%PDF-1.7');
    expect(pdfString(read, read.info, 'Author')).toBe('Comune di Balestrate');
    expect(pdfString(read, read.info, 'Title')).toBe(
      'Ricevuta di presentazione della domanda BAL-2026-000042',
    );
    expect(pdfString(read, read.catalog, 'Lang')).toBe('it-IT');
    expect(read.catalog).toMatch(/\/StructTreeRoot \d+ 0 R/);
    const markInfo = read.objects.get(ref(read.catalog, 'MarkInfo'))?.dict;
    expect(markInfo).toMatch(/\/Marked true/);
    expect(read.count).toBe(read.pages.length);

    const text = allText(read);
    for (const expected of RECEIPT_TEXT) {
      expect(text, expected).toContain(expected);
    }
    // Each check with its own result, in order.
    expect(text).toMatch(/RESIDENCY Superata Passed Nucleo/);
    expect(text).toMatch(/ISEE_MAX Non superata Failed ISEE oltre/);
  });

  it('says what is missing rather than leaving it blank', async () => {
    const read = readPdf(
      await renderReceiptPdf({
        ...RECEIPT,
        applicantName: null,
        householdCode: null,
        amountCents: null,
        onBehalf: false,
        checks: [],
        documents: [],
        declarations: [],
      }),
    );
    const text = allText(read);
    expect(text).toMatch(/Richiedente Applicant Non indicato \/ Not given/);
    expect(text).toMatch(/Codice famiglia Household code Non indicato \/ Not given/);
    expect(text).toContain('Da determinare / To be determined');
    expect(text).toContain('No / No');
    expect(text).toContain('Nessun documento allegato. / No documents attached.');
    expect(text).not.toContain('Mario Rossi');
  });

  it('continues on more pages when there are many documents, the header repeated', async () => {
    const documents = Array.from({ length: 80 }, (_, i) => ({
      code: `DOC_${i}`,
      fileName: `allegato-${i}.pdf`,
      sha256: SHA_B,
    }));
    const read = readPdf(await renderReceiptPdf({ ...RECEIPT, documents }));
    expect(read.pages.length).toBeGreaterThan(1);
    const text = allText(read);
    for (const d of documents) expect(text).toContain(`${d.code} ${d.fileName} ${SHA_B}`);
    const total = read.pages.length;
    read.pages.forEach((lines, i) => {
      expect(flat(lines.join(' '))).toContain(
        `Pagina ${i + 1} di ${total} / Page ${i + 1} of ${total}`,
      );
    });
    // The documents table starts on page 1 or 2 and its header comes back on the next page.
    const withHeader = read.pages.filter((lines) => lines.includes('Impronta SHA-256'));
    expect(withHeader.length).toBeGreaterThan(1);
  });
});

describe('renderRankingPdf', () => {
  const ROWS = 2_000;
  const BUDGET = 150_000_00;
  const data: RankingPdfData = {
    comuneName: 'Comune di Balestrate',
    campaignTitle: 'Contributo affitti 2026',
    budgetCents: BUDGET,
    fundedCents: 149_850_00,
    rankedAt: new Date('2026-02-01T11:00:00Z'),
    rows: Array.from({ length: ROWS }, (_, i) => ({
      rank: i + 1,
      protocolNumber: `BAL-2026-${String(i + 1).padStart(6, '0')}`,
      iseeCents: i % 10 === 9 ? null : 250_000 + i * 1_000,
      size: 1 + (i % 6),
      minors: i % 3,
      amountCents: 150_00,
      funded: i < 999,
    })),
  };

  it('paginates 2,000 rows with the header on every page and every row once, in order', async () => {
    const pdf = await renderRankingPdf(data);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const read = readPdf(pdf);
    expect(read.version).toBe('%PDF-1.7');
    expect(pdfString(read, read.info, 'Author')).toBe('Comune di Balestrate');
    expect(pdfString(read, read.info, 'Title')).toBe('Graduatoria - Contributo affitti 2026');
    expect(pdfString(read, read.catalog, 'Lang')).toBe('it-IT');

    const total = read.pages.length;
    expect(read.count).toBe(total);
    const perPage = read.pages.map((lines) =>
      lines.filter((l) => /^BAL-2026-\d{6}$/.test(l)).map((l) => Number(l.slice(-6))),
    );
    // Every row once, in rank order, across the pages.
    expect(perPage.flat()).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));
    // Full pages after the first, the rest on the last: so the page count is the right one.
    const first = perPage[0]!.length;
    expect(first).toBeGreaterThan(10);
    expect(first).toBeLessThan(RANKING_ROWS_PER_PAGE);
    for (const rows of perPage.slice(1, -1)) expect(rows.length).toBe(RANKING_ROWS_PER_PAGE);
    expect(perPage.at(-1)!.length).toBeGreaterThan(0);
    expect(total).toBe(1 + Math.ceil((ROWS - first) / RANKING_ROWS_PER_PAGE));
    expect(total).toBeGreaterThan(30);

    read.pages.forEach((lines, i) => {
      const text = flat(lines.join(' '));
      expect(text).toContain(`Pagina ${i + 1} di ${total} / Page ${i + 1} of ${total}`);
      expect(lines).toContain('Protocollo');
      expect(lines).toContain('Protocol number');
      expect(lines).toContain('Esito');
    });

    const lines = read.pages.flat();
    expect(lines.filter((l) => l === 'Finanziata')).toHaveLength(999);
    expect(lines.filter((l) => l === 'Idonea non finanziata')).toHaveLength(ROWS - 999);
    const text = allText(read);
    expect(text).toContain('Contributo affitti 2026');
    expect(text).toContain('01/02/2026, 12:00');
    expect(text).toContain(flat(`Stanziamento Budget ${formatEuro(BUDGET)}`));
    expect(text).toContain(flat(`Importo finanziato Amount funded ${formatEuro(149_850_00)}`));
    expect(text).toContain('2000 (999 finanziate / funded)');
    // The first row in full: rank, protocol, ISEE, size, minors, amount, outcome.
    expect(text).toContain(
      flat(`1 BAL-2026-000001 ${formatEuro(250_000)} 1 0 ${formatEuro(150_00)} Finanziata`),
    );
    // A row without ISEE, not funded.
    expect(text).toContain(flat(`1000 BAL-2026-001000 - 4 0 ${formatEuro(150_00)} Idonea`));
  });

  it('renders an empty ranking on one page', async () => {
    const read = readPdf(await renderRankingPdf({ ...data, rows: [], fundedCents: 0 }));
    expect(read.pages).toHaveLength(1);
    expect(allText(read)).toContain('Nessuna domanda in graduatoria. / No ranked applications.');
  });
});
