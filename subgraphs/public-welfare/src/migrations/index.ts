// The card's fallback (issue 17).
import { Migration20261207090000_ies_card_fallback } from './Migration20261207090000_ies_card_fallback.js';
// Messages people read (issue 19).
import { Migration20261209191900_message_language } from './Migration20261209191900_message_language.js';
import { Migration20261210110000_direct_list } from './Migration20261210110000_direct_list.js';
// Correcting a direct list after its import (issue 19).
import { Migration20261211110000_direct_list_correction } from './Migration20261211110000_direct_list_correction.js';
// The household file, what was left (issue 19).
import { Migration20261210140000_household_records } from './Migration20261210140000_household_records.js';
// A campaign's funding sources (issue 19).
import { Migration20261210120000_campaign_funding_sources } from './Migration20261210120000_campaign_funding_sources.js';
// Imports that take real exports (issue 19).
import { Migration20261209100000_import_format } from './Migration20261209100000_import_format.js';
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261124091313_init } from './Migration20261124091313_init.js';
import { Migration20261124091400_audit_append_only } from './Migration20261124091400_audit_append_only.js';
import { Migration20261124100524_segments } from './Migration20261124100524_segments.js';
import { Migration20261124104542_campaigns } from './Migration20261124104542_campaigns.js';
import { Migration20261124120353_cards } from './Migration20261124120353_cards.js';
import { Migration20261124121405_money } from './Migration20261124121405_money.js';
import { Migration20261124160000_book_statement_trigger } from './Migration20261124160000_book_statement_trigger.js';
import { Migration20261124140000_reimbursements } from './Migration20261124140000_reimbursements.js';
import { Migration20261124150000_topup_schedule } from './Migration20261124150000_topup_schedule.js';
import { Migration20261205120000_campaign_service_categories } from './Migration20261205120000_campaign_service_categories.js';
import { Migration20261205130000_reimbursement_legs } from './Migration20261205130000_reimbursement_legs.js';
import { Migration20261205140000_reconciliation } from './Migration20261205140000_reconciliation.js';
import { Migration20261206120000_card_pin_hmac } from './Migration20261206120000_card_pin_hmac.js';
import { Migration20261206130000_book_owners } from './Migration20261206130000_book_owners.js';
import { Migration20261206140000_book_hot_accounts } from './Migration20261206140000_book_hot_accounts.js';
import { Migration20261206150000_audit_kit } from './Migration20261206150000_audit_kit.js';
import { Migration20261206150000_privacy_notice_acknowledgement } from './Migration20261206150000_privacy_notice_acknowledgement.js';
import { Migration20261206200000_reimbursement_providers } from './Migration20261206200000_reimbursement_providers.js';
import { Migration20261206190000_audit_sealer } from './Migration20261206190000_audit_sealer.js';
import { Migration20261209110000_household_file } from './Migration20261209110000_household_file.js';
import { Migration20261209120000_worklist } from './Migration20261209120000_worklist.js';
import { Migration20261210100000_decision_policy } from './Migration20261210100000_decision_policy.js';
// The household search by registry code, indexed (issue 19).
import { Migration20261210160000_household_code_index } from './Migration20261210160000_household_code_index.js';
// How reports split a campaign's money among its funding sources (issue 19).
import { Migration20261211120000_funding_allocation } from './Migration20261211120000_funding_allocation.js';
import { Migration20261211100000_message_template_index } from './Migration20261211100000_message_template_index.js';
// Only known kinds of message in the outbox (a check constraint).
import { Migration20261212100000_message_template_check } from './Migration20261212100000_message_template_check.js';
import { Migration20261212120000_benefit_revocation } from './Migration20261212120000_benefit_revocation.js';
import { Migration20261212140000_message_template_benefit_revoked } from './Migration20261212140000_message_template_benefit_revoked.js';

/** Every migration, in order (explicit so they run from dist and under vitest alike). */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261124091313_init', class: Migration20261124091313_init },
  {
    name: 'Migration20261124091400_audit_append_only',
    class: Migration20261124091400_audit_append_only,
  },
  { name: 'Migration20261124100524_segments', class: Migration20261124100524_segments },
  { name: 'Migration20261124104542_campaigns', class: Migration20261124104542_campaigns },
  { name: 'Migration20261124120353_cards', class: Migration20261124120353_cards },
  { name: 'Migration20261124121405_money', class: Migration20261124121405_money },
  {
    name: 'Migration20261124140000_reimbursements',
    class: Migration20261124140000_reimbursements,
  },
  {
    name: 'Migration20261124150000_topup_schedule',
    class: Migration20261124150000_topup_schedule,
  },
  {
    name: 'Migration20261124160000_book_statement_trigger',
    class: Migration20261124160000_book_statement_trigger,
  },
  {
    name: 'Migration20261205120000_campaign_service_categories',
    class: Migration20261205120000_campaign_service_categories,
  },
  {
    name: 'Migration20261205130000_reimbursement_legs',
    class: Migration20261205130000_reimbursement_legs,
  },
  {
    name: 'Migration20261205140000_reconciliation',
    class: Migration20261205140000_reconciliation,
  },
  {
    name: 'Migration20261206120000_card_pin_hmac',
    class: Migration20261206120000_card_pin_hmac,
  },
  {
    name: 'Migration20261206130000_book_owners',
    class: Migration20261206130000_book_owners,
  },
  {
    name: 'Migration20261206140000_book_hot_accounts',
    class: Migration20261206140000_book_hot_accounts,
  },
  { name: 'Migration20261206150000_audit_kit', class: Migration20261206150000_audit_kit },
  {
    name: 'Migration20261206150000_privacy_notice_acknowledgement',
    class: Migration20261206150000_privacy_notice_acknowledgement,
  },
  { name: 'Migration20261206190000_audit_sealer', class: Migration20261206190000_audit_sealer },
  {
    name: 'Migration20261206200000_reimbursement_providers',
    class: Migration20261206200000_reimbursement_providers,
  },
  {
    name: 'Migration20261207090000_ies_card_fallback',
    class: Migration20261207090000_ies_card_fallback,
  },
  {
    name: 'Migration20261209100000_import_format',
    class: Migration20261209100000_import_format,
  },
  {
    name: 'Migration20261209110000_household_file',
    class: Migration20261209110000_household_file,
  },
  {
    name: 'Migration20261209120000_worklist',
    class: Migration20261209120000_worklist,
  },
  {
    name: 'Migration20261209191900_message_language',
    class: Migration20261209191900_message_language,
  },
  {
    name: 'Migration20261210100000_decision_policy',
    class: Migration20261210100000_decision_policy,
  },
  {
    name: 'Migration20261210110000_direct_list',
    class: Migration20261210110000_direct_list,
  },
  {
    name: 'Migration20261210120000_campaign_funding_sources',
    class: Migration20261210120000_campaign_funding_sources,
  },
  {
    name: 'Migration20261210140000_household_records',
    class: Migration20261210140000_household_records,
  },
  {
    name: 'Migration20261210160000_household_code_index',
    class: Migration20261210160000_household_code_index,
  },
  {
    name: 'Migration20261211100000_message_template_index',
    class: Migration20261211100000_message_template_index,
  },
  {
    name: 'Migration20261211110000_direct_list_correction',
    class: Migration20261211110000_direct_list_correction,
  },
  {
    name: 'Migration20261211120000_funding_allocation',
    class: Migration20261211120000_funding_allocation,
  },
  {
    name: 'Migration20261212100000_message_template_check',
    class: Migration20261212100000_message_template_check,
  },
  {
    name: 'Migration20261212120000_benefit_revocation',
    class: Migration20261212120000_benefit_revocation,
  },
  {
    name: 'Migration20261212140000_message_template_benefit_revoked',
    class: Migration20261212140000_message_template_benefit_revoked,
  },
];
