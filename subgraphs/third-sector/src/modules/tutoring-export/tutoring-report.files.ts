// The tutoring hours report as files: CSV (one line per lesson, then the totals) and PDF
// (pdfkit with its standard fonts, tagged, language it-IT). Plain data in, bytes out.
import { csvText, type CsvValue } from '@welfare/kit/csv';
import type { TutoringReport } from '../tutoring-report/tutoring-report.service.js';

const ROME_DATE = new Intl.DateTimeFormat('it-IT', {
  timeZone: 'Europe/Rome',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});
const ROME_TIME = new Intl.DateTimeFormat('it-IT', {
  timeZone: 'Europe/Rome',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Minutes as hours with up to two decimals, Italian style (`1,5`). */
export function hours(minutes: number): string {
  return (Math.round((minutes / 60) * 100) / 100).toString().replace('.', ',');
}

/**
 * The report as CSV (semicolon separated, as Italian spreadsheets expect; UTF-8 with BOM):
 * a header, one line per lesson, a TOTALE line.
 */
export function reportCsv(report: TutoringReport): string {
  const header = [
    'data',
    'inizio',
    'fine',
    'stato',
    'tutor',
    'stanza',
    'minuti',
    'posti_occupati',
    'presenti',
    'assenti',
    'giustificati',
    'svolta',
    'ore_tutor_conteggiate',
  ];
  const rows: CsvValue[][] = [header];
  for (const l of report.lessons) {
    rows.push([
      ROME_DATE.format(l.startsAt),
      ROME_TIME.format(l.startsAt),
      ROME_TIME.format(l.endsAt),
      l.status === 'PLANNED' ? 'PROGRAMMATA' : 'ANNULLATA',
      l.tutorName,
      l.roomName,
      l.minutes,
      l.seated,
      l.present,
      l.absent,
      l.justified,
      l.held ? 'SI' : 'NO',
      l.held ? hours(l.minutes) : '0',
    ]);
  }
  rows.push([
    'TOTALE',
    '',
    '',
    `${report.lessonsHeld} svolte su ${report.lessonsPlanned}`,
    '',
    '',
    report.tutorMinutesDelivered,
    '',
    hours(report.pupilMinutesPresent),
    hours(report.pupilMinutesAbsent),
    hours(report.pupilMinutesJustified),
    report.lessonsHeld,
    hours(report.tutorMinutesDelivered),
  ]);
  rows.push([
    'MONTE_ORE',
    hours(report.budgetMinutes),
    'PROGRAMMATE',
    hours(report.plannedMinutes),
    'USATE',
    hours(report.usedMinutes),
    'RESIDUE',
    hours(report.remainingMinutes),
  ]);
  return csvText(rows, { bom: true });
}

/** Text the standard fonts can show (WinAnsi); other characters lose accents or become `?`. */
function safe(value: string): string {
  return [...value.normalize('NFC')]
    .map((c) => {
      const code = c.codePointAt(0) ?? 0x3f;
      if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff)) return c;
      if (code === 0x2013 || code === 0x2019 || code === 0x2014) return c;
      const base = c.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      return /^[\x20-\x7e]+$/.test(base) ? base : '?';
    })
    .join('');
}

/** The report as a tagged PDF (A4): title, figures, per tutor, per lesson. */
export async function reportPdf(report: TutoringReport, generatedAt: Date): Promise<Buffer> {
  // Loaded when a PDF is asked for: pdfkit is large, and the subgraph starts faster without.
  const { default: PdfKit } = await import('pdfkit');
  const doc = new PdfKit({
    size: 'A4',
    margins: { top: 56, bottom: 64, left: 50, right: 50 },
    pdfVersion: '1.7',
    tagged: true,
    lang: 'it-IT',
    displayTitle: true,
    font: 'Helvetica',
    info: {
      Title: safe(`Rendiconto ore – ${report.programme.title}`),
      Author: 'Welfare Territoriale',
      Subject: 'Tutoraggio: rendiconto delle ore per programma e finanziatore',
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
  const add = (type: string, text: string, font = 'Helvetica', size = 10) => {
    root.add(
      doc.struct(type, {}, () => {
        doc.font(font).fontSize(size).fillColor('#1a1a1a').text(safe(text));
      }),
    );
  };
  const p = report.programme;
  add('H1', `Rendiconto ore – ${p.title}`, 'Helvetica-Bold', 16);
  add(
    'P',
    `Periodo ${p.startsOn} – ${p.endsOn}. Finanziatore: Comune (${p.comuneId}). Ente gestore: ${p.providerId}. Generato il ${ROME_DATE.format(generatedAt)} alle ${ROME_TIME.format(generatedAt)}.`,
  );
  doc.moveDown();
  add('H2', 'Riepilogo', 'Helvetica-Bold', 13);
  const figures: [string, string][] = [
    ['Monte ore finanziato', hours(report.budgetMinutes)],
    ['Ore programmate', hours(report.plannedMinutes)],
    ['Ore usate (lezioni svolte)', hours(report.usedMinutes)],
    ['Ore residue da programmare', hours(report.remainingMinutes)],
    ['Lezioni programmate', String(report.lessonsPlanned)],
    ['Lezioni svolte (almeno un presente)', String(report.lessonsHeld)],
    ['Ore tutor erogate', hours(report.tutorMinutesDelivered)],
    ['Ore alunno presenti', hours(report.pupilMinutesPresent)],
    ['Ore alunno assenti', hours(report.pupilMinutesAbsent)],
    ['Ore alunno giustificate', hours(report.pupilMinutesJustified)],
  ];
  for (const [label, value] of figures) add('P', `${label}: ${value}`);
  doc.moveDown();
  add('H2', 'Per tutor', 'Helvetica-Bold', 13);
  if (report.tutors.length === 0) add('P', 'Nessun tutor.');
  for (const t of report.tutors) {
    add('P', `${t.tutorName}: ${t.lessonsHeld} lezioni svolte, ${hours(t.minutesDelivered)} ore`);
  }
  doc.moveDown();
  add('H2', 'Lezioni', 'Helvetica-Bold', 13);
  if (report.lessons.length === 0) add('P', 'Nessuna lezione.');
  for (const l of report.lessons) {
    add(
      'P',
      `${ROME_DATE.format(l.startsAt)} ${ROME_TIME.format(l.startsAt)}–${ROME_TIME.format(l.endsAt)} · ${l.tutorName} · ${l.roomName} · ${
        l.status === 'PLANNED'
          ? `presenti ${l.present}, assenti ${l.absent}, giustificati ${l.justified}${l.held ? ' · svolta' : ''}`
          : 'annullata'
      }`,
      'Helvetica',
      9,
    );
  }
  root.end();
  doc.end();
  return done;
}
