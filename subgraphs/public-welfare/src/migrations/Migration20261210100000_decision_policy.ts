import { Migration } from '@mikro-orm/migrations';

const S = '"public_welfare"';

const STATUSES = `'DRAFT', 'SUBMITTED', 'IN_REVIEW', 'NEEDS_INTEGRATION', 'APPROVED', 'ELIGIBLE_NOT_FUNDED', 'REJECTED', 'WITHDRAWN', 'APPEALED'`;
const KINDS = `'DRAFT_CREATED', 'SUBMITTED', 'CHECKS_RUN', 'ASSIGNED', 'REVIEW_STARTED', 'INTEGRATION_REQUESTED', 'INTEGRATION_SUBMITTED', 'DOCUMENT_UPLOADED', 'APPROVED', 'REJECTED', 'WITHDRAWN', 'APPEALED', 'RANKED'`;

/**
 * The second approval (issue 19, item 4). Hand-written. A Comune's decision policy (one row per
 * Comune; none means off): when on, an OPERATOR's rejections, and approvals above the limit, wait
 * for a MANAGER in the new status PENDING_APPROVAL (case events DECISION_PROPOSED, then the
 * decision's own or DECISION_RETURNED). The worklist's partial index counts them too.
 */
export class Migration20261210100000_decision_policy extends Migration {
  override up(): void {
    this.addSql(`create table ${S}."comune_decision_policy" (
  "comune_id" uuid not null primary key,
  "second_approval" boolean not null default false,
  "amount_limit_cents" bigint null
    constraint "comune_decision_policy_limit_check"
    check ("amount_limit_cents" is null or "amount_limit_cents" between 0 and 10000000000),
  "updated_by" uuid not null,
  "updated_at" timestamptz not null default now());`);
    const statuses = `${STATUSES}, 'PENDING_APPROVAL'`;
    this.addSql(`alter table ${S}."application" drop constraint "application_status_check",
  add constraint "application_status_check" check ("status" in (${statuses}));`);
    this.addSql(`alter table ${S}."case_event"
  drop constraint "case_event_kind_check",
  add constraint "case_event_kind_check"
    check ("kind" in (${KINDS}, 'DECISION_PROPOSED', 'DECISION_RETURNED')),
  drop constraint "case_event_from_status_check",
  add constraint "case_event_from_status_check" check ("from_status" in (${statuses})),
  drop constraint "case_event_to_status_check",
  add constraint "case_event_to_status_check" check ("to_status" in (${statuses}));`);
    this.addSql(`drop index ${S}."application_comune_open_index";`);
    this.addSql(`create index "application_comune_open_index" on ${S}."application"
  ("comune_id", "status", "due_by")
  where "status" in ('SUBMITTED', 'IN_REVIEW', 'NEEDS_INTEGRATION', 'APPEALED', 'PENDING_APPROVAL');`);
  }

  override down(): void {
    this.addSql(`drop index ${S}."application_comune_open_index";`);
    this.addSql(`create index "application_comune_open_index" on ${S}."application"
  ("comune_id", "status", "due_by")
  where "status" in ('SUBMITTED', 'IN_REVIEW', 'NEEDS_INTEGRATION', 'APPEALED');`);
    this.addSql(`alter table ${S}."case_event"
  drop constraint "case_event_kind_check",
  add constraint "case_event_kind_check" check ("kind" in (${KINDS})),
  drop constraint "case_event_from_status_check",
  add constraint "case_event_from_status_check" check ("from_status" in (${STATUSES})),
  drop constraint "case_event_to_status_check",
  add constraint "case_event_to_status_check" check ("to_status" in (${STATUSES}));`);
    this.addSql(`alter table ${S}."application" drop constraint "application_status_check",
  add constraint "application_status_check" check ("status" in (${STATUSES}));`);
    this.addSql(`drop table if exists ${S}."comune_decision_policy";`);
  }
}
