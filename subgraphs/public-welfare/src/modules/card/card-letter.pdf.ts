// The card letter: one A4 page per card with the holder's codice fiscale, the card number, the
// one-time PIN, the QR code and the instructions (Italian, then English). Plain data in, bytes
// out. Like the other documents (`src/lib/pdf.ts`): pdfkit with the standard Helvetica fonts,
// PDF 1.7, tagged (headings, paragraphs, a table and the QR code as a figure with its alternate
// text), language it-IT with the English text marked as English.
import { formatRomeDateTime, loadPdfKit, pdfSafeText } from '../../lib/pdf.js';
import { formatCardNumber } from './card-codes.js';

export interface CardLetter {
  fiscalCode: string;
  number: string;
  pin: string;
  qrPayload: string;
  issuedAt: Date;
}

export interface CardLettersData {
  comuneName: string;
  /** The campaign the cards were issued for, if any (a card serves every campaign). */
  campaignTitle: string | null;
  /** True for replacement letters (says that the previous card no longer works). */
  replacement: boolean;
  letters: CardLetter[];
}

const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const MARGIN = 50;
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
const QR_SIZE = 150;
const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const TEXT = '#1a1a1a';
const SECONDARY = '#4d4d4d';
const ENGLISH = 'en-GB';

const INSTRUCTIONS_IT = [
  'Con questa carta paghi la spesa nei negozi accreditati dal Comune per le misure di cui sei beneficiario. Il credito viene caricato sulla carta dal Comune.',
  'Alla cassa mostra il codice QR di questa lettera (o della tua area personale), oppure comunica il tuo codice fiscale; poi digita il PIN. Non serve lo smartphone.',
  'Tieni segreto il PIN: non scriverlo sulla carta e non comunicarlo a nessuno, nemmeno al personale del negozio o del Comune.',
  'Dopo 5 PIN sbagliati la carta si blocca: per sbloccarla rivolgiti al Comune. In caso di smarrimento o furto chiedi subito al Comune di bloccarla.',
];

const INSTRUCTIONS_EN = [
  'Use this card to pay for your shopping at the shops the Comune has accredited for the measures you benefit from. The Comune loads the credit onto the card.',
  'At the till, show the QR code of this letter (or of your personal area), or give your codice fiscale (tax code); then type your PIN. No smartphone is needed.',
  'Keep your PIN secret: do not write it on the card and do not tell anyone, not even shop or Comune staff.',
  'After 5 wrong PINs the card is locked: ask the Comune to unlock it. If the card is lost or stolen, ask the Comune to block it at once.',
];

/** The letters of an issuance or a replacement, one page each. */
export async function renderCardLettersPdf(data: CardLettersData): Promise<Buffer> {
  const [{ default: QRCode }, PDFDocument] = await Promise.all([import('qrcode'), loadPdfKit()]);
  const qrImages = await Promise.all(
    data.letters.map((l) =>
      QRCode.toBuffer(l.qrPayload, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 6 }),
    ),
  );
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    pdfVersion: '1.7',
    tagged: true,
    lang: 'it-IT',
    displayTitle: true,
    autoFirstPage: false,
    font: REGULAR,
    info: {
      Title: pdfSafeText(
        data.replacement
          ? 'Carta sostitutiva - lettera al titolare'
          : 'Carte - lettere ai titolari',
      ),
      Author: pdfSafeText(data.comuneName),
      Subject: 'Card letters',
      Creator: 'Welfare Territoriale',
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.once('end', () => resolve(Buffer.concat(chunks)));
    doc.once('error', reject);
  });
  const root = doc.struct('Document');
  doc.addStructure(root);
  const letters = new LetterWriter(doc, root);
  data.letters.forEach((letter, index) => {
    doc.addPage();
    let y = letters.heading(data, MARGIN);
    y = letters.details(letter, qrImages[index]!, y);
    letters.instructions(y);
    letters.footer(data, index);
  });
  root.end();
  doc.end();
  return done;
}

/** A text block's place on the page. */
interface At {
  x: number;
  y: number;
  width: number;
}

/** A text block's style (Helvetica 10 pt in the text colour unless said). */
interface Style {
  font?: string;
  size?: number;
  color?: string;
}

/** Writes the parts of a letter's page into the document, tagged under its root. */
class LetterWriter {
  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly root: PDFKit.PDFStructureElement,
  ) {}

  /** A tagged block of text at (x, y); returns its height. */
  private block(
    parent: PDFKit.PDFStructureElement,
    type: string,
    text: string,
    at: At,
    style: Style,
    lang?: string,
  ): number {
    const doc = this.doc;
    const safe = pdfSafeText(text);
    doc
      .font(style.font ?? REGULAR)
      .fontSize(style.size ?? 10)
      .fillColor(style.color ?? TEXT);
    const height = doc.heightOfString(safe, { width: at.width });
    parent.add(
      doc.struct(type, lang ? { lang } : {}, () => {
        doc
          .font(style.font ?? REGULAR)
          .fontSize(style.size ?? 10)
          .fillColor(style.color ?? TEXT);
        doc.text(safe, at.x, at.y, { width: at.width, height: height + 2 });
      }),
    );
    return height;
  }

  /** A paragraph across the page at `y`; returns its height. */
  private paragraph(text: string, y: number, style: Style, lang?: string): number {
    return this.block(this.root, 'P', text, { x: MARGIN, y, width: CONTENT_WIDTH }, style, lang);
  }

  /**
   * The Comune, the title (Italian, then English), the campaign and, for a replacement, that the
   * previous card no longer works. Returns the `y` below.
   */
  heading(data: CardLettersData, top: number): number {
    let y = top;
    y += this.paragraph(data.comuneName, y, { font: BOLD, size: 11 }) + 12;
    const heading = this.doc.struct('H1');
    this.root.add(heading);
    y += this.block(
      heading,
      'Span',
      data.replacement ? 'La tua nuova carta' : 'La tua carta per gli acquisti',
      { x: MARGIN, y, width: CONTENT_WIDTH },
      { font: BOLD, size: 17 },
    );
    y += this.block(
      heading,
      'Span',
      data.replacement ? 'Your new card' : 'Your shopping card',
      { x: MARGIN, y: y + 1, width: CONTENT_WIDTH },
      { size: 12, color: SECONDARY },
      ENGLISH,
    );
    heading.end();
    y += 14;
    if (data.campaignTitle) {
      y +=
        this.paragraph(
          `Rilasciata per la misura / Issued for the measure: ${data.campaignTitle}`,
          y,
          { size: 9.5, color: SECONDARY },
        ) + 8;
    }
    if (data.replacement) {
      y +=
        this.paragraph(
          'Questa carta sostituisce la precedente, che non funziona più (numero, PIN e codice QR).',
          y,
          { size: 9.5 },
        ) + 2;
      y +=
        this.paragraph(
          'This card replaces the previous one, which no longer works (number, PIN and QR code).',
          y,
          { size: 9.5, color: SECONDARY },
          ENGLISH,
        ) + 8;
    }
    return y;
  }

  /** The details (a table) on the left, the QR code on the right. Returns the `y` below both. */
  details(letter: CardLetter, qrImage: Buffer, top: number): number {
    let y = top;
    const table = this.doc.struct('Table');
    this.root.add(table);
    const rows: { it: string; en: string; value: string; big?: boolean }[] = [
      { it: 'Codice fiscale del titolare', en: 'Holder’s tax code', value: letter.fiscalCode },
      { it: 'Numero della carta', en: 'Card number', value: formatCardNumber(letter.number) },
      { it: 'PIN', en: 'PIN', value: letter.pin, big: true },
      { it: 'Rilasciata il', en: 'Issued on', value: formatRomeDateTime(letter.issuedAt) },
    ];
    for (const row of rows) y += this.detailRow(table, row, y) + 10;
    table.end();
    const qrX = PAGE_WIDTH - MARGIN - QR_SIZE;
    this.root.add(
      this.doc.struct(
        'Figure',
        {
          alt: `Codice QR della carta ${formatCardNumber(letter.number)} / QR code of the card`,
        },
        () => {
          this.doc.image(qrImage, qrX, top, { width: QR_SIZE, height: QR_SIZE });
        },
      ),
    );
    return Math.max(y, top + QR_SIZE) + 18;
  }

  /** One row of the details: its label (Italian, then English) and its value. Returns its height. */
  private detailRow(
    table: PDFKit.PDFStructureElement,
    row: { it: string; en: string; value: string; big?: boolean },
    y: number,
  ): number {
    const labelWidth = 150;
    const valueWidth = CONTENT_WIDTH - QR_SIZE - 20 - labelWidth;
    const tr = this.doc.struct('TR');
    table.add(tr);
    const th = this.doc.struct('TH');
    tr.add(th);
    const h1 = this.block(
      th,
      'Span',
      row.it,
      { x: MARGIN, y, width: labelWidth - 8 },
      { font: BOLD, size: 9.5 },
    );
    const h2 = this.block(
      th,
      'Span',
      row.en,
      { x: MARGIN, y: y + h1, width: labelWidth - 8 },
      { size: 8, color: SECONDARY },
      ENGLISH,
    );
    th.end();
    const td = this.doc.struct('TD');
    tr.add(td);
    const hv = this.block(
      td,
      'Span',
      row.value,
      { x: MARGIN + labelWidth, y, width: valueWidth },
      row.big ? { font: BOLD, size: 20 } : { size: 11 },
    );
    td.end();
    tr.end();
    return Math.max(h1 + h2, hv);
  }

  /** How to use the card, in Italian then in English. Returns the `y` below. */
  instructions(top: number): number {
    let y = top;
    const itHeading = this.doc.struct('H2');
    this.root.add(itHeading);
    y +=
      this.block(
        itHeading,
        'Span',
        'Come si usa',
        { x: MARGIN, y, width: CONTENT_WIDTH },
        { font: BOLD, size: 12.5 },
      ) + 4;
    itHeading.end();
    for (const text of INSTRUCTIONS_IT) y += this.paragraph(`• ${text}`, y, { size: 10 }) + 4;
    y += 8;
    const enHeading = this.doc.struct('H2', { lang: ENGLISH });
    this.root.add(enHeading);
    y +=
      this.block(
        enHeading,
        'Span',
        'How to use it',
        { x: MARGIN, y, width: CONTENT_WIDTH },
        { font: BOLD, size: 12.5 },
        ENGLISH,
      ) + 4;
    enHeading.end();
    for (const text of INSTRUCTIONS_EN) {
      y += this.paragraph(`• ${text}`, y, { size: 10, color: SECONDARY }, ENGLISH) + 4;
    }
    return y;
  }

  /**
   * Page furniture: not read aloud. Text below the bottom margin would make pdfkit start a page:
   * lift the margin meanwhile.
   */
  footer(data: CardLettersData, index: number): void {
    const doc = this.doc;
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.markContent('Artifact', { type: 'Pagination' });
    doc.font(REGULAR).fontSize(8).fillColor(SECONDARY);
    doc.text(
      pdfSafeText(
        `${data.comuneName} · Lettera ${index + 1} di ${data.letters.length} / Letter ${index + 1} of ${data.letters.length}`,
      ),
      MARGIN,
      PAGE_HEIGHT - MARGIN - 4,
      { width: CONTENT_WIDTH, lineBreak: false, height: 10 },
    );
    doc.endMarkedContent();
    doc.page.margins.bottom = bottom;
  }
}
