import { Migration } from '@mikro-orm/migrations';

const S = '"public_welfare"';

const KINDS = `'DRAFT_CREATED', 'SUBMITTED', 'CHECKS_RUN', 'ASSIGNED', 'REVIEW_STARTED', 'INTEGRATION_REQUESTED', 'INTEGRATION_SUBMITTED', 'DOCUMENT_UPLOADED', 'APPROVED', 'REJECTED', 'WITHDRAWN', 'APPEALED', 'RANKED', 'DECISION_PROPOSED', 'DECISION_RETURNED'`;

/**
 * Correcting a direct list after its import (issue 19, item 5): a corrected amount is a new kind
 * of case event, AMOUNT_CORRECTED (`changes.amountCents` = [before, after], the reason as its
 * note); a withdrawn entry is the existing WITHDRAWN, which the list's check now admits (the amount
 * it had is kept). Hand-written.
 */
export class Migration20261211110000_direct_list_correction extends Migration {
  override up(): void {
    this.addSql(`alter table ${S}."case_event"
  drop constraint "case_event_kind_check",
  add constraint "case_event_kind_check" check ("kind" in (${KINDS}, 'AMOUNT_CORRECTED'));`);
    this.addSql(`alter table ${S}."application"
  drop constraint "application_direct_list_check",
  add constraint "application_direct_list_check" check (
    "origin" <> 'DIRECT_LIST' or ("status" in ('APPROVED', 'WITHDRAWN') and "amount_cents" > 0
      and "decision_reason" is not null));`);
  }

  override down(): void {
    this.addSql(`alter table ${S}."application"
  drop constraint "application_direct_list_check",
  add constraint "application_direct_list_check" check (
    "origin" <> 'DIRECT_LIST' or ("status" = 'APPROVED' and "amount_cents" > 0
      and "decision_reason" is not null));`);
    this.addSql(`alter table ${S}."case_event"
  drop constraint "case_event_kind_check",
  add constraint "case_event_kind_check" check ("kind" in (${KINDS}));`);
  }
}
