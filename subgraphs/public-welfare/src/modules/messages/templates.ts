/** Notifications the platform sends, with the values each one shows. */
export interface TemplateParams {
  APPLICATION_RECEIVED: { protocolNumber: string; campaignTitle: string };
  INTEGRATION_REQUESTED: { protocolNumber: string; campaignTitle: string; reason: string };
  DECISION: {
    protocolNumber: string;
    campaignTitle: string;
    status: 'APPROVED' | 'REJECTED' | 'ELIGIBLE_NOT_FUNDED';
    reason: string | null;
    amountCents: number | null;
  };
  INVITATION: { campaignTitle: string; campaignPath: string };
  PAYMENT: { shopName: string; amountCents: number; residualCents: number };
}
export type TemplateCode = keyof TemplateParams;

export interface Rendered {
  subject: string;
  /** Italian first, then English. */
  body: string;
}

const EURO = new Intl.NumberFormat('it-IT', { style: 'currency', currency: 'EUR' });
const euro = (cents: number) => EURO.format(cents / 100);

const both = (it: string, en: string) => `${it}\n\n---\n\n${en}`;

/** The subject and body of a notification (Italian first, English second). */
export function render<T extends TemplateCode>(template: T, params: TemplateParams[T]): Rendered {
  switch (template) {
    case 'APPLICATION_RECEIVED': {
      const p = params as TemplateParams['APPLICATION_RECEIVED'];
      return {
        subject: `Domanda ricevuta, protocollo ${p.protocolNumber} / Application received`,
        body: both(
          `La sua domanda per «${p.campaignTitle}» è stata ricevuta con protocollo ${p.protocolNumber}.`,
          `Your application for “${p.campaignTitle}” was received with protocol number ${p.protocolNumber}.`,
        ),
      };
    }
    case 'INTEGRATION_REQUESTED': {
      const p = params as TemplateParams['INTEGRATION_REQUESTED'];
      return {
        subject: `Richiesta di integrazione, protocollo ${p.protocolNumber} / More information needed`,
        body: both(
          `Per la domanda ${p.protocolNumber} («${p.campaignTitle}») il Comune chiede: ${p.reason}\nAcceda al portale, alla pagina «Le mie domande», per integrarla.`,
          `For application ${p.protocolNumber} (“${p.campaignTitle}”) the Comune asks: ${p.reason}\nOpen “My applications” on the portal to complete it.`,
        ),
      };
    }
    case 'DECISION': {
      const p = params as TemplateParams['DECISION'];
      const it =
        p.status === 'APPROVED'
          ? `La domanda ${p.protocolNumber} («${p.campaignTitle}») è stata accolta${p.amountCents != null ? ` per ${euro(p.amountCents)}` : ''}.`
          : p.status === 'ELIGIBLE_NOT_FUNDED'
            ? `La domanda ${p.protocolNumber} («${p.campaignTitle}») è idonea ma non finanziata con il bilancio attuale.`
            : `La domanda ${p.protocolNumber} («${p.campaignTitle}») non è stata accolta. Motivo: ${p.reason ?? ''}`;
      const en =
        p.status === 'APPROVED'
          ? `Application ${p.protocolNumber} (“${p.campaignTitle}”) was approved${p.amountCents != null ? ` for ${euro(p.amountCents)}` : ''}.`
          : p.status === 'ELIGIBLE_NOT_FUNDED'
            ? `Application ${p.protocolNumber} (“${p.campaignTitle}”) is eligible but not funded by the current budget.`
            : `Application ${p.protocolNumber} (“${p.campaignTitle}”) was rejected. Reason: ${p.reason ?? ''}`;
      return {
        subject: `Esito della domanda ${p.protocolNumber} / Decision on your application`,
        body: both(it, en),
      };
    }
    case 'INVITATION': {
      const p = params as TemplateParams['INVITATION'];
      return {
        subject: `Può presentare domanda: ${p.campaignTitle} / You may apply`,
        body: both(
          `Il Comune la invita a presentare domanda per «${p.campaignTitle}»: ${p.campaignPath}`,
          `The Comune invites you to apply for “${p.campaignTitle}”: ${p.campaignPath}`,
        ),
      };
    }
    case 'PAYMENT': {
      const p = params as TemplateParams['PAYMENT'];
      return {
        subject: `Pagamento con la carta: ${euro(p.amountCents)} / Card payment`,
        body: both(
          `Ha pagato ${euro(p.amountCents)} presso «${p.shopName}». Credito residuo: ${euro(p.residualCents)}.`,
          `You paid ${euro(p.amountCents)} at “${p.shopName}”. Remaining credit: ${euro(p.residualCents)}.`,
        ),
      };
    }
  }
  throw new Error('Unknown template');
}
