import { Migration } from '@mikro-orm/migrations';

const S = '"public_welfare"';

const STATUSES = `'DRAFT', 'SUBMITTED', 'IN_REVIEW', 'NEEDS_INTEGRATION', 'APPROVED', 'ELIGIBLE_NOT_FUNDED', 'REJECTED', 'WITHDRAWN', 'APPEALED', 'PENDING_APPROVAL'`;
const KINDS = `'DRAFT_CREATED', 'SUBMITTED', 'CHECKS_RUN', 'ASSIGNED', 'REVIEW_STARTED', 'INTEGRATION_REQUESTED', 'INTEGRATION_SUBMITTED', 'DOCUMENT_UPLOADED', 'APPROVED', 'REJECTED', 'WITHDRAWN', 'APPEALED', 'RANKED', 'DECISION_PROPOSED', 'DECISION_RETURNED', 'AMOUNT_CORRECTED'`;

/**
 * The revocation of a benefit (decadenza, DPR 445/2000 art. 75): a new status REVOKED for an
 * APPROVED application (portal or direct list) and a case event REVOKED; the revocation's figures
 * on the application: the unspent credit returned to the campaign's FUND and what had already been
 * spent (which stays committed to the budget). Both are set exactly when the status is REVOKED.
 * Hand-written.
 */
export class Migration20261212120000_benefit_revocation extends Migration {
  override up(): void {
    const statuses = `${STATUSES}, 'REVOKED'`;
    this.addSql(`alter table ${S}."application"
  add column "revoked_returned_cents" bigint null,
  add column "revoked_spent_cents" bigint null,
  drop constraint "application_status_check",
  add constraint "application_status_check" check ("status" in (${statuses})),
  add constraint "application_revoked_check" check (
    ("status" = 'REVOKED') = ("revoked_returned_cents" is not null and "revoked_spent_cents" is not null)
    and coalesce("revoked_returned_cents", 0) >= 0 and coalesce("revoked_spent_cents", 0) >= 0),
  drop constraint "application_direct_list_check",
  add constraint "application_direct_list_check" check (
    "origin" <> 'DIRECT_LIST' or ("status" in ('APPROVED', 'WITHDRAWN', 'REVOKED')
      and "amount_cents" > 0 and "decision_reason" is not null));`);
    this.addSql(`alter table ${S}."case_event"
  drop constraint "case_event_kind_check",
  add constraint "case_event_kind_check" check ("kind" in (${KINDS}, 'REVOKED')),
  drop constraint "case_event_from_status_check",
  add constraint "case_event_from_status_check" check ("from_status" in (${statuses})),
  drop constraint "case_event_to_status_check",
  add constraint "case_event_to_status_check" check ("to_status" in (${statuses}));`);
  }

  override down(): void {
    this.addSql(`alter table ${S}."case_event"
  drop constraint "case_event_kind_check",
  add constraint "case_event_kind_check" check ("kind" in (${KINDS})),
  drop constraint "case_event_from_status_check",
  add constraint "case_event_from_status_check" check ("from_status" in (${STATUSES})),
  drop constraint "case_event_to_status_check",
  add constraint "case_event_to_status_check" check ("to_status" in (${STATUSES}));`);
    this.addSql(`alter table ${S}."application"
  drop constraint "application_direct_list_check",
  add constraint "application_direct_list_check" check (
    "origin" <> 'DIRECT_LIST' or ("status" in ('APPROVED', 'WITHDRAWN') and "amount_cents" > 0
      and "decision_reason" is not null)),
  drop constraint "application_revoked_check",
  drop constraint "application_status_check",
  add constraint "application_status_check" check ("status" in (${STATUSES})),
  drop column "revoked_spent_cents",
  drop column "revoked_returned_cents";`);
  }
}
