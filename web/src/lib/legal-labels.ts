// Labels of the required pages and the privacy notices' content, by role: which data, purposes
// with their legal bases, recipients, retention. The page (`/privacy/<role>`) lays them out.
import { m } from '$lib/paraglide/messages';
import type { HelpArea, PrivacyRole, RetentionKind } from './legal';

type Text = () => string;

export const PRIVACY_ROLE_LABELS: Record<PrivacyRole, Text> = {
  cittadini: m.privacy_role_citizen,
  'personale-comune': m.privacy_role_staff,
  esercenti: m.privacy_role_merchant,
  enti: m.privacy_role_provider,
  aziende: m.privacy_role_employer,
};

export const HELP_AREA_LABELS: Record<HelpArea, Text> = {
  cittadini: m.help_role_citizen,
  esercenti: m.help_role_merchant,
  enti: m.help_role_provider,
  comuni: m.help_role_operator,
};

/** The label of a required page's link, by its address. */
export function legalLinkLabel(href: string): string {
  const [, first, second] = href.split('/');
  if (first === 'privacy') {
    return second ? PRIVACY_ROLE_LABELS[second as PrivacyRole]() : m.legal_privacy_index();
  }
  if (first === 'aiuto') {
    return second ? HELP_AREA_LABELS[second as HelpArea]() : m.legal_help_index();
  }
  if (first === 'accessibilita') return m.legal_accessibility();
  if (first === 'note-legali') return m.legal_notes();
  return m.legal_contacts();
}

/** One row of the retention table: which data, how long (the configured period), why. */
interface RetentionRow {
  what: Text;
  kind: RetentionKind;
}

/** A privacy notice's content for one role. */
interface PrivacyNotice {
  lead: Text;
  controller: (inputs: { name: string }) => string;
  data: Text[];
  purposes: { purpose: Text; basis: Text }[];
  /** Special categories of data (GDPR art. 9), when the role's processing has any. */
  special: Text | null;
  provision: Text;
  recipients: Text[];
  retention: RetentionRow[];
  automated: Text;
}

const security = { purpose: m.privacy_purpose_security, basis: m.privacy_basis_security };
const logs: RetentionRow = { what: m.privacy_retention_logs, kind: 'logs' };
const account: RetentionRow = { what: m.privacy_retention_account, kind: 'account' };
const accounting: RetentionRow = { what: m.privacy_retention_accounting, kind: 'accounting' };

export const PRIVACY_NOTICES: Record<PrivacyRole, PrivacyNotice> = {
  cittadini: {
    lead: m.privacy_citizen_lead,
    controller: m.privacy_citizen_controller,
    data: [
      m.privacy_citizen_data_identity,
      m.privacy_citizen_data_registry,
      m.privacy_citizen_data_application,
      m.privacy_citizen_data_card,
      m.privacy_citizen_data_bookings,
      m.privacy_citizen_data_security,
    ],
    purposes: [
      {
        purpose: m.privacy_citizen_purpose_application,
        basis: m.privacy_citizen_basis_application,
      },
      { purpose: m.privacy_citizen_purpose_checks, basis: m.privacy_citizen_basis_checks },
      { purpose: m.privacy_citizen_purpose_card, basis: m.privacy_citizen_basis_card },
      { purpose: m.privacy_citizen_purpose_messages, basis: m.privacy_citizen_basis_messages },
      { purpose: m.privacy_citizen_purpose_bookings, basis: m.privacy_basis_contract },
      security,
    ],
    special: m.privacy_citizen_special,
    provision: m.privacy_citizen_provision,
    recipients: [
      m.privacy_recipient_staff,
      m.privacy_recipient_processor,
      m.privacy_citizen_recipient_shops,
      m.privacy_citizen_recipient_inps,
      m.privacy_citizen_recipient_ranking,
      m.privacy_recipient_authorities,
    ],
    retention: [
      { what: m.privacy_citizen_retention_cases, kind: 'caseFiles' },
      accounting,
      { what: m.privacy_citizen_retention_registry, kind: 'registry' },
      logs,
    ],
    automated: m.privacy_citizen_automated,
  },
  'personale-comune': {
    lead: m.privacy_staff_lead,
    controller: m.privacy_staff_controller,
    data: [
      m.privacy_staff_data_account,
      m.privacy_staff_data_credentials,
      m.privacy_staff_data_audit,
    ],
    purposes: [
      { purpose: m.privacy_staff_purpose_account, basis: m.privacy_staff_basis_account },
      { purpose: m.privacy_staff_purpose_audit, basis: m.privacy_staff_basis_audit },
      security,
    ],
    special: null,
    provision: m.privacy_staff_provision,
    recipients: [
      m.privacy_staff_recipient_managers,
      m.privacy_recipient_processor,
      m.privacy_recipient_authorities,
    ],
    retention: [account, { what: m.privacy_staff_retention_audit, kind: 'caseFiles' }, logs],
    automated: m.privacy_automated_none,
  },
  esercenti: {
    lead: m.privacy_merchant_lead,
    controller: m.privacy_merchant_controller,
    data: [
      m.privacy_merchant_data_business,
      m.privacy_merchant_data_people,
      m.privacy_merchant_data_payments,
    ],
    purposes: [
      { purpose: m.privacy_merchant_purpose_agreement, basis: m.privacy_basis_contract },
      { purpose: m.privacy_merchant_purpose_payments, basis: m.privacy_merchant_basis_payments },
      security,
    ],
    special: null,
    provision: m.privacy_merchant_provision,
    recipients: [
      m.privacy_recipient_staff,
      m.privacy_recipient_processor,
      m.privacy_merchant_recipient_treasury,
      m.privacy_merchant_recipient_public,
      m.privacy_recipient_authorities,
    ],
    retention: [accounting, account, logs],
    automated: m.privacy_automated_none,
  },
  enti: {
    lead: m.privacy_provider_lead,
    controller: m.privacy_provider_controller,
    data: [
      m.privacy_provider_data_body,
      m.privacy_provider_data_people,
      m.privacy_provider_data_services,
    ],
    purposes: [
      {
        purpose: m.privacy_provider_purpose_accreditation,
        basis: m.privacy_provider_basis_accreditation,
      },
      { purpose: m.privacy_provider_purpose_catalogue, basis: m.privacy_basis_public_task },
      { purpose: m.privacy_provider_purpose_reporting, basis: m.privacy_provider_basis_reporting },
      security,
    ],
    special: null,
    provision: m.privacy_provider_provision,
    recipients: [
      m.privacy_recipient_staff,
      m.privacy_recipient_processor,
      m.privacy_provider_recipient_public,
      m.privacy_recipient_authorities,
    ],
    retention: [
      { what: m.privacy_provider_retention_accreditation, kind: 'caseFiles' },
      accounting,
      account,
      logs,
    ],
    automated: m.privacy_automated_none,
  },
  aziende: {
    lead: m.privacy_employer_lead,
    controller: m.privacy_employer_controller,
    data: [
      m.privacy_employer_data_company,
      m.privacy_employer_data_people,
      m.privacy_employer_data_employees,
    ],
    purposes: [
      { purpose: m.privacy_employer_purpose_membership, basis: m.privacy_basis_contract },
      { purpose: m.privacy_employer_purpose_plan, basis: m.privacy_employer_basis_plan },
      security,
    ],
    special: null,
    provision: m.privacy_employer_provision,
    recipients: [
      m.privacy_recipient_processor,
      m.privacy_employer_recipient_providers,
      m.privacy_recipient_authorities,
    ],
    retention: [accounting, account, logs],
    automated: m.privacy_automated_none,
  },
};

/** A help page: what it is about, the steps, where to start, what to do when something fails. */
interface HelpGuide {
  intro: Text;
  steps: Text[];
  /** The page the steps begin on, and its label. */
  start: { href: '/misure' | '/esercente' | '/ente' | '/comune'; label: Text };
  more: Text;
}

export const HELP_GUIDES: Record<HelpArea, HelpGuide> = {
  cittadini: {
    intro: m.help_citizen_intro,
    steps: [
      m.help_citizen_step_find,
      m.help_citizen_step_login,
      m.help_citizen_step_notice,
      m.help_citizen_step_data,
      m.help_citizen_step_contacts,
      m.help_citizen_step_documents,
      m.help_citizen_step_submit,
      m.help_citizen_step_follow,
      m.help_citizen_step_card,
    ],
    start: { href: '/misure', label: m.measure_nav },
    more: m.help_citizen_more,
  },
  esercenti: {
    intro: m.help_merchant_intro,
    steps: [
      m.help_merchant_step_join,
      m.help_merchant_step_till,
      m.help_merchant_step_card,
      m.help_merchant_step_amount,
      m.help_merchant_step_charge,
      m.help_merchant_step_void,
      m.help_merchant_step_statement,
    ],
    start: { href: '/esercente', label: m.nav_esercente },
    more: m.help_merchant_more,
  },
  enti: {
    intro: m.help_provider_intro,
    steps: [
      m.help_provider_step_area,
      m.help_provider_step_request,
      m.help_provider_step_submit,
      m.help_provider_step_decision,
      m.help_provider_step_offers,
    ],
    start: { href: '/ente', label: m.nav_ente },
    more: m.help_provider_more,
  },
  comuni: {
    intro: m.help_operator_intro,
    steps: [
      m.help_operator_step_registry,
      m.help_operator_step_measure,
      m.help_operator_step_publish,
      m.help_operator_step_cases,
      m.help_operator_step_ranking,
      m.help_operator_step_cards,
      m.help_operator_step_shops,
      m.help_operator_step_reimburse,
    ],
    start: { href: '/comune', label: m.nav_comune },
    more: m.help_operator_more,
  },
};
