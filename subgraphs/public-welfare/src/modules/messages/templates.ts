/** The languages a message is written in (one per message: the recipient's). */
export const MESSAGE_LANGUAGES = ['it', 'en'] as const;
export type MessageLanguage = (typeof MESSAGE_LANGUAGES)[number];

/** The language of a person who has not chosen one. */
export const DEFAULT_MESSAGE_LANGUAGE: MessageLanguage = 'it';

/** How a DECISION ends. */
type DecisionStatus = 'APPROVED' | 'REJECTED' | 'ELIGIBLE_NOT_FUNDED';

/**
 * Notifications the platform sends, with the values each one shows. Enum values are never shown:
 * the templates map them to words. Titles, shop names and reasons are shown as written.
 */
export interface TemplateParams {
  APPLICATION_RECEIVED: {
    protocolNumber: string;
    campaignTitle: string;
    submittedAt: Date;
    /** The day the decision is due (`yyyy-mm-dd`), null when none. */
    dueBy: string | null;
  };
  INTEGRATION_REQUESTED: { protocolNumber: string; campaignTitle: string; reason: string };
  DECISION: {
    protocolNumber: string;
    campaignTitle: string;
    status: DecisionStatus;
    reason: string | null;
    amountCents: number | null;
  };
  INVITATION: { campaignTitle: string; campaignPath: string; closesAt: Date };
  PAYMENT: { shopName: string; amountCents: number; residualCents: number; paidAt: Date };
  /** Credit left on a card for a campaign whose spending window ends on `spendingUntil` (a day). */
  CREDIT_EXPIRING: { campaignTitle: string; availableCents: number; spendingUntil: string };
  /**
   * A benefit revoked by the Comune (decadenza): the reason it gave, the unspent credit taken back
   * from the card and what had already been spent.
   */
  BENEFIT_REVOKED: {
    protocolNumber: string;
    campaignTitle: string;
    reason: string;
    returnedCents: number;
    spentCents: number;
  };
}
export type TemplateCode = keyof TemplateParams;

/** Every template (the template test renders each one in each language). */
export const TEMPLATE_CODES = [
  'APPLICATION_RECEIVED',
  'INTEGRATION_REQUESTED',
  'DECISION',
  'INVITATION',
  'PAYMENT',
  'CREDIT_EXPIRING',
  'BENEFIT_REVOKED',
] as const satisfies readonly TemplateCode[];

export interface Rendered {
  subject: string;
  /** In one language only. */
  body: string;
}

/** Dates and times are those of Rome, whatever the server's zone. */
const TIME_ZONE = 'Europe/Rome';

const MONEY: Record<MessageLanguage, Intl.NumberFormat> = {
  // `always`: Italian CLDR leaves four-digit amounts ungrouped ("1234,56 €"); the PA writes "1.234,56 €".
  it: new Intl.NumberFormat('it-IT', { style: 'currency', currency: 'EUR', useGrouping: 'always' }),
  en: new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' }),
};
const DAY = new Intl.DateTimeFormat('en-GB', {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  timeZone: TIME_ZONE,
});
const TIME = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: TIME_ZONE,
});

/** An amount in cents: `1.234,56 €` in Italian, `€1,234.56` in English. */
export function formatAmount(cents: number, language: MessageLanguage): string {
  return MONEY[language].format(cents / 100);
}

/** An instant's day in Rome, `dd/mm/yyyy` in both languages. */
function formatDay(at: Date): string {
  return DAY.format(at);
}

/** A calendar day (`yyyy-mm-dd`) as `dd/mm/yyyy`. */
function formatCalendarDay(day: string): string {
  const [year, month, date] = day.split('-');
  return `${date}/${month}/${year}`;
}

/** An instant's time in Rome, `HH:mm` (no seconds). */
function formatTime(at: Date): string {
  return TIME.format(at);
}

const OPENING: Record<MessageLanguage, string> = {
  it: 'Gentile cittadina, gentile cittadino,',
  en: 'Dear citizen,',
};

const SIGNATURE: Record<MessageLanguage, string> = {
  it: 'Cordiali saluti,\nil Comune',
  en: 'Kind regards,\nthe Comune',
};

/** The outcome of a decision, in words. */
const DECISION_OUTCOME: Record<DecisionStatus, Record<MessageLanguage, string>> = {
  APPROVED: { it: 'accolta', en: 'approved' },
  REJECTED: { it: 'non accolta', en: 'not approved' },
  ELIGIBLE_NOT_FUNDED: { it: 'idonea, non finanziata', en: 'eligible, not funded' },
};

const letter = (language: MessageLanguage, ...lines: string[]) =>
  [OPENING[language], '', ...lines, '', SIGNATURE[language]].join('\n');

/**
 * The subject and body of a notification in one language (the recipient's), in the formal
 * register ("Lei") in Italian.
 */
export function render<T extends TemplateCode>(
  template: T,
  params: TemplateParams[T],
  language: MessageLanguage,
): Rendered {
  const it = language === 'it';
  const euro = (cents: number) => formatAmount(cents, language);
  switch (template) {
    case 'APPLICATION_RECEIVED': {
      const p = params as TemplateParams['APPLICATION_RECEIVED'];
      const day = formatDay(p.submittedAt);
      const time = formatTime(p.submittedAt);
      const due = p.dueBy ? formatCalendarDay(p.dueBy) : null;
      return it
        ? {
            subject: `Domanda ricevuta: protocollo ${p.protocolNumber}`,
            body: letter(
              language,
              `la Sua domanda per «${p.campaignTitle}» è stata ricevuta il ${day} alle ore ${time} con il numero di protocollo ${p.protocolNumber}.`,
              ...(due ? [`Il Comune Le comunicherà l’esito entro il ${due}.`] : []),
              'Può seguirne lo stato nella Sua area personale del portale, alla pagina «Le mie domande».',
            ),
          }
        : {
            subject: `Application received: protocol number ${p.protocolNumber}`,
            body: letter(
              language,
              `your application for “${p.campaignTitle}” was received on ${day} at ${time} with protocol number ${p.protocolNumber}.`,
              ...(due ? [`The Comune will let you know the outcome by ${due}.`] : []),
              'You can follow it in your personal area of the portal, under “My applications”.',
            ),
          };
    }
    case 'INTEGRATION_REQUESTED': {
      const p = params as TemplateParams['INTEGRATION_REQUESTED'];
      return it
        ? {
            subject: `Richiesta di integrazione: domanda ${p.protocolNumber}`,
            body: letter(
              language,
              `per la Sua domanda ${p.protocolNumber} («${p.campaignTitle}») il Comune Le chiede di integrare quanto segue:`,
              p.reason,
              '',
              'Per completarla, acceda alla Sua area personale del portale, alla pagina «Le mie domande».',
            ),
          }
        : {
            subject: `More information needed: application ${p.protocolNumber}`,
            body: letter(
              language,
              `for your application ${p.protocolNumber} (“${p.campaignTitle}”) the Comune asks you to add the following:`,
              p.reason,
              '',
              'To complete it, open your personal area of the portal, under “My applications”.',
            ),
          };
    }
    case 'DECISION': {
      const p = params as TemplateParams['DECISION'];
      const outcome = DECISION_OUTCOME[p.status][language];
      if (it) {
        const sentence =
          p.status === 'APPROVED'
            ? `la Sua domanda ${p.protocolNumber} («${p.campaignTitle}») è stata accolta${p.amountCents != null ? ` per un importo di ${euro(p.amountCents)}` : ''}.`
            : p.status === 'ELIGIBLE_NOT_FUNDED'
              ? `la Sua domanda ${p.protocolNumber} («${p.campaignTitle}») è risultata idonea, ma non può essere finanziata con le risorse oggi disponibili.`
              : `la Sua domanda ${p.protocolNumber} («${p.campaignTitle}») non è stata accolta.`;
        return {
          subject: `Esito della domanda ${p.protocolNumber}: ${outcome}`,
          body: letter(
            language,
            sentence,
            ...(p.status === 'REJECTED' && p.reason ? [`Motivazione: ${p.reason}`] : []),
          ),
        };
      }
      const sentence =
        p.status === 'APPROVED'
          ? `your application ${p.protocolNumber} (“${p.campaignTitle}”) has been approved${p.amountCents != null ? ` for an amount of ${euro(p.amountCents)}` : ''}.`
          : p.status === 'ELIGIBLE_NOT_FUNDED'
            ? `your application ${p.protocolNumber} (“${p.campaignTitle}”) is eligible, but it cannot be funded with the resources available today.`
            : `your application ${p.protocolNumber} (“${p.campaignTitle}”) has not been approved.`;
      return {
        subject: `Decision on application ${p.protocolNumber}: ${outcome}`,
        body: letter(
          language,
          sentence,
          ...(p.status === 'REJECTED' && p.reason ? [`Reason: ${p.reason}`] : []),
        ),
      };
    }
    case 'INVITATION': {
      const p = params as TemplateParams['INVITATION'];
      const day = formatDay(p.closesAt);
      const time = formatTime(p.closesAt);
      return it
        ? {
            subject: `Può presentare domanda per «${p.campaignTitle}»`,
            body: letter(
              language,
              `il Comune La invita a presentare domanda per «${p.campaignTitle}» entro il ${day} alle ore ${time}.`,
              `Trova la misura e il modulo sul portale: ${p.campaignPath}`,
            ),
          }
        : {
            subject: `You may apply for “${p.campaignTitle}”`,
            body: letter(
              language,
              `the Comune invites you to apply for “${p.campaignTitle}” by ${day} at ${time}.`,
              `You will find the measure and its form on the portal: ${p.campaignPath}`,
            ),
          };
    }
    case 'PAYMENT': {
      const p = params as TemplateParams['PAYMENT'];
      const day = formatDay(p.paidAt);
      const time = formatTime(p.paidAt);
      return it
        ? {
            subject: `Pagamento con la carta: ${euro(p.amountCents)}`,
            body: letter(
              language,
              `il ${day} alle ore ${time} ha pagato ${euro(p.amountCents)} presso «${p.shopName}» con la Sua carta.`,
              `Credito residuo: ${euro(p.residualCents)}.`,
            ),
          }
        : {
            subject: `Card payment: ${euro(p.amountCents)}`,
            body: letter(
              language,
              `on ${day} at ${time} you paid ${euro(p.amountCents)} at “${p.shopName}” with your card.`,
              `Remaining credit: ${euro(p.residualCents)}.`,
            ),
          };
    }
    case 'CREDIT_EXPIRING': {
      const p = params as TemplateParams['CREDIT_EXPIRING'];
      const until = formatCalendarDay(p.spendingUntil);
      return it
        ? {
            subject: `Il credito della Sua carta scade il ${until}`,
            body: letter(
              language,
              `sulla Sua carta restano ${euro(p.availableCents)} di «${p.campaignTitle}», da spendere entro il ${until} compreso.`,
              'Dopo tale data il credito non speso torna al Comune e non potrà più essere utilizzato.',
            ),
          }
        : {
            subject: `The credit on your card expires on ${until}`,
            body: letter(
              language,
              `your card still holds ${euro(p.availableCents)} of “${p.campaignTitle}”, to be spent by ${until} inclusive.`,
              'After that day the unspent credit returns to the Comune and can no longer be used.',
            ),
          };
    }
    case 'BENEFIT_REVOKED': {
      const p = params as TemplateParams['BENEFIT_REVOKED'];
      return it
        ? {
            subject: `Revoca del beneficio: domanda ${p.protocolNumber}`,
            body: letter(
              language,
              `il Comune ha revocato il beneficio «${p.campaignTitle}» concesso con la Sua domanda ${p.protocolNumber}.`,
              `Motivo indicato dal Comune: ${p.reason}`,
              '',
              `Il credito non ancora speso, ${euro(p.returnedCents)}, è stato tolto dalla Sua carta e torna al Comune. Lei aveva già speso ${euro(p.spentCents)}.`,
              'La Sua carta non riceverà altre ricariche per questa misura.',
              'Per chiarimenti può rivolgersi all’ufficio del Comune che gestisce la misura.',
            ),
          }
        : {
            subject: `Benefit revoked: application ${p.protocolNumber}`,
            body: letter(
              language,
              `the Comune has revoked the benefit “${p.campaignTitle}” granted with your application ${p.protocolNumber}.`,
              `Reason given by the Comune: ${p.reason}`,
              '',
              `The credit not yet spent, ${euro(p.returnedCents)}, has been taken off your card and returns to the Comune. You had already spent ${euro(p.spentCents)}.`,
              'Your card will receive no further top-ups for this measure.',
              'For any questions, you can contact the Comune’s office that manages the measure.',
            ),
          };
    }
  }
  throw new Error('Unknown template');
}

/** A notification rendered in every language (the outbox keeps the recipient's). */
export function renderEach<T extends TemplateCode>(
  template: T,
  params: TemplateParams[T],
): Record<MessageLanguage, Rendered> {
  return { it: render(template, params, 'it'), en: render(template, params, 'en') };
}
