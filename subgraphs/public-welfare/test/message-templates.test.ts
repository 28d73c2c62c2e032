import { describe, expect, it } from 'vitest';
import {
  MESSAGE_LANGUAGES,
  TEMPLATE_CODES,
  formatAmount,
  render,
  type MessageLanguage,
  type TemplateCode,
  type TemplateParams,
} from '../src/modules/messages/templates.js';

/*
 * Messages people read (issue 19, item 6): every template, rendered in each language with
 * representative data, is in that language only, in the formal register in Italian, shows no
 * internal code and writes dates as dd/mm/yyyy (no seconds).
 */

// Values the templates show as written (titles, shop names, the Comune's own words): taken out
// before the language checks, which are about the templates' own text.
const TITLE = 'Buoni libro 2026';
const SHOP = 'Cartoleria Bianchi';
const REASON = 'Copia leggibile del documento di identità del richiedente.';
const PATH = '/misure/5b1d0f0e-7a43-4c8e-9f4a-2f1c7d5e9a10';

/** A December afternoon (15:04:59 in Rome): the seconds must not show. */
const AT = new Date('2026-12-07T14:04:59Z');

/** Every template with representative data, each DECISION outcome and with/without optionals. */
const CASES: { [T in TemplateCode]: TemplateParams[T][] } = {
  APPLICATION_RECEIVED: [
    { protocolNumber: '2026/000123', campaignTitle: TITLE, submittedAt: AT, dueBy: '2027-01-06' },
    { protocolNumber: '2026/000124', campaignTitle: TITLE, submittedAt: AT, dueBy: null },
  ],
  INTEGRATION_REQUESTED: [{ protocolNumber: '2026/000123', campaignTitle: TITLE, reason: REASON }],
  DECISION: [
    {
      protocolNumber: '2026/000123',
      campaignTitle: TITLE,
      status: 'APPROVED',
      reason: null,
      amountCents: 123_456,
    },
    {
      protocolNumber: '2026/000123',
      campaignTitle: TITLE,
      status: 'APPROVED',
      reason: null,
      amountCents: null,
    },
    {
      protocolNumber: '2026/000123',
      campaignTitle: TITLE,
      status: 'ELIGIBLE_NOT_FUNDED',
      reason: null,
      amountCents: null,
    },
    {
      protocolNumber: '2026/000123',
      campaignTitle: TITLE,
      status: 'REJECTED',
      reason: REASON,
      amountCents: null,
    },
  ],
  INVITATION: [{ campaignTitle: TITLE, campaignPath: PATH, closesAt: AT }],
  PAYMENT: [{ shopName: SHOP, amountCents: 1_250, residualCents: 123_456, paidAt: AT }],
  CREDIT_EXPIRING: [{ campaignTitle: TITLE, availableCents: 123_456, spendingUntil: '2027-03-31' }],
  BENEFIT_REVOKED: [
    {
      protocolNumber: '2026/000123',
      campaignTitle: TITLE,
      reason: REASON,
      returnedCents: 123_456,
      spentCents: 1_250,
    },
  ],
};

/** Words and phrases only the Italian templates use (whole words, case-insensitive). */
const ITALIAN_MARKERS = [
  'gentile',
  'domanda',
  'ricevuta',
  'protocollo',
  'della',
  'stata',
  'il Comune',
  'Sua',
  'alle ore',
  'entro',
  'esito',
  'accolta',
  'idonea',
  'motivazione',
  'motivo',
  'integrazione',
  'portale',
  'misura',
  'pagamento',
  'carta',
  'credito',
  'residuo',
  'presso',
  'cordiali',
  'saluti',
];

/** Words and phrases only the English templates use. */
const ENGLISH_MARKERS = [
  'dear',
  'application',
  'received',
  'protocol',
  'your',
  'you',
  'the',
  'was',
  'has been',
  'outcome',
  'approved',
  'eligible',
  'reason',
  'information',
  'portal',
  'measure',
  'payment',
  'card',
  'credit',
  'remaining',
  'regards',
  'kind',
  'on',
  'at',
  'by',
];

/** The informal register ("tu") in Italian: pronouns, possessives and "tu" verb forms. */
const INFORMAL_ITALIAN = [
  'tu',
  'ti',
  'te',
  'tuo',
  'tua',
  'tuoi',
  'tue',
  'hai',
  'sei',
  'puoi',
  'devi',
  'vuoi',
  'accedi',
  'controlla',
  'apri',
  'vai',
  'trovi',
  'segui',
  'presenta',
  'completa',
  'riceverai',
  'ciao',
];

const OTHER_MARKERS: Record<MessageLanguage, string[]> = {
  it: ENGLISH_MARKERS,
  en: ITALIAN_MARKERS,
};

/** A whole-word, case-insensitive match of any of the phrases (letters incl. accented ones). */
function wordsFound(text: string, phrases: string[]): string[] {
  return phrases.filter((phrase) =>
    new RegExp(`(?<![\\p{L}])${phrase.replace(/ /g, '\\s+')}(?![\\p{L}])`, 'iu').test(text),
  );
}

/**
 * Internal codes: UPPER_SNAKE tokens, `CODE: VALUE` pairs such as `WINDOW: OK`, and enum values
 * such as `REJECTED` (any upper-case word of four letters or more but the acronym ISEE).
 */
const CODES = [
  /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/,
  /\b[A-Z]{2,}:\s*[A-Z]{2,}\b/,
  /\b(?!ISEE\b)[A-Z]{4,}\b/,
];
/** A two-digit year (07/12/26) and a time with seconds (15:04:59). */
const TWO_DIGIT_YEAR = /\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2}(?!\d)/;
const SECONDS = /\b\d{1,2}:\d{2}:\d{2}\b/;

function everyRendering() {
  return TEMPLATE_CODES.flatMap((template) =>
    (CASES[template] as TemplateParams[typeof template][]).flatMap((params, i) =>
      MESSAGE_LANGUAGES.map((language) => ({
        name: `${template}#${i} (${language})`,
        language,
        text: (() => {
          const { subject, body } = render(template, params, language);
          return `${subject}\n${body}`;
        })(),
      })),
    ),
  );
}

/** The template's own text: the values shown as written taken out. */
const ownText = (text: string) =>
  [TITLE, SHOP, REASON, PATH].reduce((t, value) => t.split(value).join(' '), text);

describe('message templates', () => {
  const renderings = everyRendering();

  it('cover every template in each language', () => {
    expect(Object.keys(CASES).sort()).toEqual([...TEMPLATE_CODES].sort());
    expect(renderings.length).toBe(2 * Object.values(CASES).flat().length);
  });

  it.each(renderings)('$name is in one language, with no internal code', ({ language, text }) => {
    expect(wordsFound(ownText(text), OTHER_MARKERS[language])).toEqual([]);
    for (const code of CODES) expect(text).not.toMatch(code);
    expect(text).not.toMatch(TWO_DIGIT_YEAR);
    expect(text).not.toMatch(SECONDS);
    expect(text).not.toContain('---');
  });

  it.each(renderings.filter((r) => r.language === 'it'))(
    '$name addresses the reader as "Lei", never "tu"',
    ({ text }) => {
      expect(wordsFound(ownText(text), INFORMAL_ITALIAN)).toEqual([]);
    },
  );

  it('the marker lists catch the other language and the informal register', () => {
    // A check that cannot fail proves nothing: each list finds what it is meant to find.
    expect(wordsFound('La sua domanda è stata ricevuta.', ENGLISH_MARKERS)).toEqual([]);
    expect(wordsFound('Your application was received.', ITALIAN_MARKERS)).toEqual([]);
    expect(wordsFound('La tua domanda', INFORMAL_ITALIAN)).toEqual(['tua']);
    expect(wordsFound('Accedi al portale e controlla', INFORMAL_ITALIAN)).toEqual([
      'accedi',
      'controlla',
    ]);
    expect(wordsFound('Application received / Domanda ricevuta', ITALIAN_MARKERS)).toEqual([
      'domanda',
      'ricevuta',
    ]);
    expect('Documenti: DOCUMENTO_IDENTITA').toMatch(CODES[0]!);
    expect('Controlli: WINDOW: OK').toMatch(CODES[1]!);
    expect('Esito: REJECTED').toMatch(CODES[2]!);
    expect('Attestazione ISEE').not.toMatch(CODES[2]!);
    expect('entro il 07/12/26').toMatch(TWO_DIGIT_YEAR);
    expect('alle 15:04:59').toMatch(SECONDS);
  });

  it('writes dates as dd/mm/yyyy and times as HH:mm in Rome, amounts as each language does', () => {
    const received = CASES.APPLICATION_RECEIVED[0]!;
    expect(render('APPLICATION_RECEIVED', received, 'it').body).toContain(
      'è stata ricevuta il 07/12/2026 alle ore 15:04 con il numero di protocollo 2026/000123.',
    );
    expect(render('APPLICATION_RECEIVED', received, 'it').body).toContain('entro il 06/01/2027.');
    expect(render('APPLICATION_RECEIVED', received, 'en').body).toContain(
      'was received on 07/12/2026 at 15:04 with protocol number 2026/000123.',
    );
    expect(render('APPLICATION_RECEIVED', received, 'en').body).toContain('by 06/01/2027.');
    // A summer instant: Rome is UTC+2.
    const summer = { ...CASES.PAYMENT[0]!, paidAt: new Date('2026-07-01T22:30:00Z') };
    expect(render('PAYMENT', summer, 'it').body).toContain('il 02/07/2026 alle ore 00:30');

    expect(formatAmount(123_456, 'it')).toBe('1.234,56\u00a0€');
    expect(formatAmount(123_456, 'en')).toBe('€1,234.56');
    expect(formatAmount(1_250, 'it')).toBe('12,50\u00a0€');
    const approved = CASES.DECISION[0]!;
    expect(render('DECISION', approved, 'it').body).toContain('per un importo di 1.234,56\u00a0€.');
    expect(render('DECISION', approved, 'en').body).toContain('for an amount of €1,234.56.');
    const expiring = CASES.CREDIT_EXPIRING[0]!;
    expect(render('CREDIT_EXPIRING', expiring, 'it').body).toContain(
      'sulla Sua carta restano 1.234,56\u00a0€ di «Buoni libro 2026», da spendere entro il 31/03/2027 compreso.',
    );
    expect(render('CREDIT_EXPIRING', expiring, 'en').subject).toBe(
      'The credit on your card expires on 31/03/2027',
    );
    const revoked = CASES.BENEFIT_REVOKED[0]!;
    expect(render('BENEFIT_REVOKED', revoked, 'it').body).toContain(
      'Il credito non ancora speso, 1.234,56\u00a0€, è stato tolto dalla Sua carta e torna al Comune. Lei aveva già speso 12,50\u00a0€.',
    );
    expect(render('BENEFIT_REVOKED', revoked, 'en').body).toContain(
      'The credit not yet spent, €1,234.56, has been taken off your card and returns to the Comune. You had already spent €12.50.',
    );
  });

  it('names each decision in words in the subject', () => {
    const subjects = CASES.DECISION.map((p) => [
      render('DECISION', p, 'it').subject,
      render('DECISION', p, 'en').subject,
    ]);
    expect(subjects[0]).toEqual([
      'Esito della domanda 2026/000123: accolta',
      'Decision on application 2026/000123: approved',
    ]);
    expect(subjects[2]).toEqual([
      'Esito della domanda 2026/000123: idonea, non finanziata',
      'Decision on application 2026/000123: eligible, not funded',
    ]);
    expect(subjects[3]).toEqual([
      'Esito della domanda 2026/000123: non accolta',
      'Decision on application 2026/000123: not approved',
    ]);
  });
});
