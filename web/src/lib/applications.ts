// Applications (domande) to a measure (misura): statuses, the steps of the form and what each
// status allows, with their Italian/English labels. Pure: shared by server and components, and
// unit-tested in applications.spec.ts.
import type { ApplicationStatus, CampaignKind, CaseEventKind } from './api-enums';
import { enumLabel, enumLabelOf } from './enum-labels';
import { normaliseFiscalCode } from './fiscal-code';
import { type Locale, localeTag } from './locale';
import { m } from './paraglide/messages';

/**
 * Statuses in which the applicant may withdraw a submitted application (before a decision). A
 * draft is not offered: it was never sent, it simply lapses (and the database only lets a
 * submitted application become WITHDRAWN).
 */
const WITHDRAWABLE: readonly ApplicationStatus[] = ['SUBMITTED', 'IN_REVIEW', 'NEEDS_INTEGRATION'];

export const canWithdraw = (status: ApplicationStatus): boolean => WITHDRAWABLE.includes(status);
/** Documents can be added to a draft, and after the Comune asked for an integration. */
export const canUploadDocuments = (status: ApplicationStatus): boolean =>
  status === 'DRAFT' || status === 'NEEDS_INTEGRATION';
export const canResubmit = (status: ApplicationStatus): boolean => status === 'NEEDS_INTEGRATION';
export const canAppeal = (status: ApplicationStatus): boolean => status === 'REJECTED';
/** A receipt exists once the application was submitted (it has a protocol number). */
export const hasReceipt = (application: { protocolNumber: string | null }): boolean =>
  application.protocolNumber !== null && application.protocolNumber !== '';

/** Bootstrap Italia's colour for a status (badges and alerts): never the only cue, text too. */
export function statusTone(
  status: ApplicationStatus,
): 'success' | 'danger' | 'warning' | 'secondary' | 'primary' {
  switch (status) {
    case 'APPROVED':
      return 'success';
    case 'REJECTED':
    case 'REVOKED':
      return 'danger';
    case 'NEEDS_INTEGRATION':
    case 'ELIGIBLE_NOT_FUNDED':
    case 'APPEALED':
    case 'PENDING_APPROVAL':
      return 'warning';
    case 'DRAFT':
    case 'WITHDRAWN':
      return 'secondary';
    default:
      return 'primary';
  }
}

// ---- The application form's steps -------------------------------------------------------------

/** The steps of the application form, in order (their `?passo=` value). */
export const STEPS = ['informativa', 'dati', 'contatti', 'documenti', 'riepilogo'] as const;
export type Step = (typeof STEPS)[number];

export function isStep(value: unknown): value is Step {
  return typeof value === 'string' && (STEPS as readonly string[]).includes(value);
}

/** What the step logic needs to know of a draft and of its measure. */
export interface DraftProgress {
  acceptedDeclarations: readonly string[];
  documents: readonly { code: string }[];
}
export interface MeasureNeeds {
  declarations: readonly { code: string }[];
  requiredDocuments: readonly { code: string; mandatory: boolean }[];
}

export const declarationsComplete = (draft: DraftProgress, measure: MeasureNeeds): boolean =>
  measure.declarations.every((d) => draft.acceptedDeclarations.includes(d.code));

/** Codes of the mandatory documents not yet uploaded. */
export const missingDocuments = (draft: DraftProgress, measure: MeasureNeeds): string[] =>
  measure.requiredDocuments
    .filter((d) => d.mandatory && !draft.documents.some((doc) => doc.code === d.code))
    .map((d) => d.code);

/**
 * The step to show. Without a draft only the privacy notice's step exists (the draft is created
 * when the person acknowledges the notice). With a draft, the asked step, or (none asked: coming back) the first step with
 * something left to do.
 */
export function currentStep(
  asked: string | null,
  draft: DraftProgress | null,
  measure: MeasureNeeds,
): Step {
  if (!draft) return 'informativa';
  if (isStep(asked)) return asked;
  if (!declarationsComplete(draft, measure)) return 'contatti';
  if (missingDocuments(draft, measure).length > 0) return 'documenti';
  return 'riepilogo';
}

/** The step after (or before) one, if any. */
export function nextStep(step: Step): Step | null {
  return STEPS[STEPS.indexOf(step) + 1] ?? null;
}
export function previousStep(step: Step): Step | null {
  const index = STEPS.indexOf(step);
  return index > 0 ? (STEPS[index - 1] ?? null) : null;
}

/** The query string of a form page: the step and, for staff, the citizen applied for. */
export function formSearch(step: Step | null, per: string | null): string {
  const params = new URLSearchParams();
  if (step) params.set('passo', step);
  if (per) params.set('per', per);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The URL of a named form action on the same page, keeping the step and the citizen. */
export function actionSearch(action: string, step: Step | null, per: string | null): string {
  const search = formSearch(step, per);
  return search ? `${search}&/${action}` : `?/${action}`;
}

/**
 * The `per` parameter (staff applying on a citizen's behalf): a codice fiscale, upper case
 * without spaces; null when empty. The API checks it properly (check character included).
 */
export function onBehalfOf(value: string | null | undefined): string | null {
  const cleaned = normaliseFiscalCode(value ?? '');
  return cleaned === '' ? null : cleaned;
}

/** A file's size for people: `850 KB`, `1,2 MB` (decimal comma in Italian). */
export function fileSize(bytes: number, locale: Locale): string {
  const tag = localeTag(locale);
  if (bytes < 1024 * 1024) {
    const kb = Math.max(1, Math.round(bytes / 1024));
    return `${new Intl.NumberFormat(tag).format(kb)} KB`;
  }
  const mb = bytes / (1024 * 1024);
  return `${new Intl.NumberFormat(tag, { maximumFractionDigits: 1 }).format(mb)} MB`;
}

// ---- Labels ---------------------------------------------------------------------------------

const ACTOR: Record<string, () => string> = {
  CITIZEN: m.myapps_actor_citizen,
  OPERATOR: m.myapps_actor_operator,
  SYSTEM: m.myapps_actor_system,
};

const CHECK: Record<string, () => string> = {
  WINDOW: m.apply_check_window,
  RESIDENCY: m.apply_check_residency,
  ISEE: m.apply_check_isee,
  HOUSEHOLD_SIZE: m.apply_check_household_size,
  PUBLIC_SUPPORT: m.apply_check_public_support,
  ONE_PER_HOUSEHOLD: m.apply_check_one_per_household,
  DOCUMENTS: m.apply_check_documents,
  DECLARATIONS: m.apply_check_declarations,
};

const STEP: Record<Step, () => string> = {
  informativa: m.apply_step_privacy,
  dati: m.apply_step_data,
  contatti: m.apply_step_contacts,
  documenti: m.apply_step_documents,
  riepilogo: m.apply_step_summary,
};

export const applicationStatusLabel = (status: ApplicationStatus): string =>
  enumLabel('ApplicationStatus', status);
export const caseEventLabel = (kind: CaseEventKind): string => enumLabel('CaseEventKind', kind);
/** Who acted (CITIZEN, OPERATOR, SYSTEM); an unknown role shows as sent. */
export const actorLabel = (role: string): string => ACTOR[role]?.() ?? role;
/** The name of an automatic check; an unknown code shows as sent. */
export const checkLabel = (code: string): string => CHECK[code]?.() ?? code;
export const campaignKindLabel = (kind: CampaignKind): string => enumLabel('CampaignKind', kind);
export const relationLabel = (relation: string): string =>
  enumLabelOf('HouseholdRelation', relation) ?? relation;
export const stepLabel = (step: Step): string => STEP[step]();
