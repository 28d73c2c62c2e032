import { Migration } from '@mikro-orm/migrations';

export class Migration20261124104542_campaigns extends Migration {
  // Long because it is one migration's DDL, read top to bottom.
  override up(): void {
    this.addSql(
      `create table "public_welfare"."application" ("id" uuid not null, "campaign_id" uuid not null, "comune_id" uuid not null, "status" text check ("status" in ('DRAFT', 'SUBMITTED', 'IN_REVIEW', 'NEEDS_INTEGRATION', 'APPROVED', 'ELIGIBLE_NOT_FUNDED', 'REJECTED', 'WITHDRAWN', 'APPEALED')) not null default 'DRAFT', "applicant_fiscal_code_hash" text not null, "applicant_fiscal_code_cipher" text not null, "created_by" uuid not null, "on_behalf" boolean not null default false, "household_id" uuid null, "answers" jsonb not null, "facts" jsonb null, "checks" jsonb not null, "protocol_number" text null, "submitted_at" timestamptz null, "amount_cents" bigint null, "rank" int null, "assigned_to" uuid null, "due_by" date null, "decision_reason" text null, "decided_at" timestamptz null, "decided_by" uuid null, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "application_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "public_welfare"."application_document" ("id" uuid not null, "application_id" uuid not null, "comune_id" uuid not null, "code" text not null, "file_name" text not null, "content_type" text not null, "size_bytes" int not null, "sha256" text not null, "content" bytea not null, "uploaded_by" uuid not null, "uploaded_at" timestamptz not null default now(), constraint "application_document_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "application_document_application_id_index" on "public_welfare"."application_document" ("application_id");`,
    );

    this.addSql(
      `create table "public_welfare"."campaign" ("id" uuid not null, "comune_id" uuid not null, "kind" text check ("kind" in ('FOOD_VOUCHERS', 'BILLS', 'RENT', 'ARREARS', 'OTHER')) not null, "status" text check ("status" in ('DRAFT', 'PUBLISHED', 'CLOSED')) not null default 'DRAFT', "title" text not null, "description" text not null, "contacts" text not null, "budget_cents" bigint not null, "applications_open_at" timestamptz not null, "applications_close_at" timestamptz not null, "spending_from" date not null, "spending_until" date not null, "rules" jsonb not null, "amount_schedule" jsonb not null, "required_documents" jsonb not null, "declarations" jsonb not null, "ranking_criteria" jsonb not null, "decision_days" int not null, "created_by" uuid not null, "published_at" timestamptz null, "ranked_at" timestamptz null, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "campaign_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "public_welfare"."case_event" ("id" bigserial primary key, "application_id" uuid not null, "comune_id" uuid not null, "kind" text check ("kind" in ('DRAFT_CREATED', 'SUBMITTED', 'CHECKS_RUN', 'ASSIGNED', 'REVIEW_STARTED', 'INTEGRATION_REQUESTED', 'INTEGRATION_SUBMITTED', 'DOCUMENT_UPLOADED', 'APPROVED', 'REJECTED', 'WITHDRAWN', 'APPEALED', 'RANKED')) not null, "actor" text not null, "actor_role" text not null, "from_status" text check ("from_status" in ('DRAFT', 'SUBMITTED', 'IN_REVIEW', 'NEEDS_INTEGRATION', 'APPROVED', 'ELIGIBLE_NOT_FUNDED', 'REJECTED', 'WITHDRAWN', 'APPEALED')) null, "to_status" text check ("to_status" in ('DRAFT', 'SUBMITTED', 'IN_REVIEW', 'NEEDS_INTEGRATION', 'APPROVED', 'ELIGIBLE_NOT_FUNDED', 'REJECTED', 'WITHDRAWN', 'APPEALED')) null, "note" text null, "changes" jsonb null, "at" timestamptz not null default now());`,
    );
    this.addSql(
      `create index "case_event_application_id_index" on "public_welfare"."case_event" ("application_id");`,
    );

    this.addSql(
      `create table "public_welfare"."message" ("id" uuid not null, "comune_id" uuid not null, "application_id" uuid null, "campaign_id" uuid null, "template" text not null, "channel" text check ("channel" in ('EMAIL', 'SMS', 'PORTAL')) not null, "recipient" text not null, "subject" text not null, "body" text not null, "status" text check ("status" in ('PENDING', 'SENT', 'FAILED')) not null default 'PENDING', "attempts" int not null default 0, "next_attempt_at" timestamptz not null default now(), "last_error" text null, "sent_at" timestamptz null, "dedupe_key" text null, "created_at" timestamptz not null default now(), constraint "message_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "public_welfare"."protocol_counter" ("comune_id" uuid not null, "year" int not null, "last" int not null, constraint "protocol_counter_pkey" primary key ("comune_id", "year"));`,
    );

    // Written by hand: keys, checks, partial unique indexes and the append-only case timeline.
    const S = '"public_welfare"';
    this.addSql(
      `alter table ${S}."application" add constraint "application_campaign_fk" foreign key ("campaign_id") references ${S}."campaign" ("id");`,
    );
    this.addSql(
      `alter table ${S}."application_document" add constraint "application_document_application_fk" foreign key ("application_id") references ${S}."application" ("id") deferrable initially deferred;`,
    );
    this.addSql(
      `alter table ${S}."case_event" add constraint "case_event_application_fk" foreign key ("application_id") references ${S}."application" ("id") deferrable initially deferred;`,
    );
    this.addSql(
      `alter table ${S}."campaign" add constraint "campaign_budget_check" check ("budget_cents" between 0 and 10000000000);`,
    );
    this.addSql(
      `alter table ${S}."campaign" add constraint "campaign_window_check" check ("applications_close_at" > "applications_open_at");`,
    );
    this.addSql(
      `alter table ${S}."campaign" add constraint "campaign_spending_check" check ("spending_until" >= "spending_from");`,
    );
    this.addSql(
      `alter table ${S}."campaign" add constraint "campaign_decision_days_check" check ("decision_days" between 1 and 365);`,
    );
    this.addSql(
      `create index "campaign_comune_status_index" on ${S}."campaign" ("comune_id", "status");`,
    );
    this.addSql(
      `alter table ${S}."application" add constraint "application_amount_check" check ("amount_cents" is null or "amount_cents" between 0 and 10000000000);`,
    );
    this.addSql(
      `alter table ${S}."application" add constraint "application_submitted_check" check ("status" in ('DRAFT', 'WITHDRAWN') or ("protocol_number" is not null and "submitted_at" is not null));`,
    );
    this.addSql(
      `create unique index "application_protocol_unique" on ${S}."application" ("comune_id", "protocol_number") where "protocol_number" is not null;`,
    );
    this.addSql(
      `create unique index "application_one_per_household" on ${S}."application" ("campaign_id", "household_id") where "household_id" is not null and "status" not in ('DRAFT', 'WITHDRAWN');`,
    );
    this.addSql(
      `create unique index "application_one_per_applicant" on ${S}."application" ("campaign_id", "applicant_fiscal_code_hash") where "status" <> 'WITHDRAWN';`,
    );
    this.addSql(
      `create index "application_campaign_status_index" on ${S}."application" ("campaign_id", "status");`,
    );
    this.addSql(
      `create index "application_applicant_index" on ${S}."application" ("applicant_fiscal_code_hash");`,
    );
    this.addSql(
      `alter table ${S}."protocol_counter" add constraint "protocol_counter_last_check" check ("last" >= 0);`,
    );
    this.addSql(
      `create index "message_pending_index" on ${S}."message" ("next_attempt_at") where "status" = 'PENDING';`,
    );
    this.addSql(
      `create index "message_recipient_index" on ${S}."message" ("channel", "recipient", "created_at");`,
    );
    this.addSql(
      `create unique index "message_dedupe_unique" on ${S}."message" ("dedupe_key") where "dedupe_key" is not null;`,
    );
    this.addSql(
      `create index "message_comune_index" on ${S}."message" ("comune_id", "created_at");`,
    );
    this.addSql(
      `alter table ${S}."message" add constraint "message_attempts_check" check ("attempts" >= 0);`,
    );
    this.addSql(`create or replace function ${S}."refuse_change"() returns trigger
language plpgsql as $$
begin
  raise exception '% is append-only: % refused', tg_table_name, tg_op using errcode = 'insufficient_privilege';
end $$;`);
    this
      .addSql(`create trigger "case_event_no_update_delete" before update or delete on ${S}."case_event"
for each row execute function ${S}."refuse_change"();`);
    this.addSql(`create trigger "case_event_no_truncate" before truncate on ${S}."case_event"
for each statement execute function ${S}."refuse_change"();`);
  }

  override down(): void {
    this.addSql(`drop function if exists "public_welfare"."refuse_change"() cascade;`);
    this.addSql(`drop table if exists "public_welfare"."application" cascade;`);

    this.addSql(`drop table if exists "public_welfare"."application_document" cascade;`);

    this.addSql(`drop table if exists "public_welfare"."campaign" cascade;`);

    this.addSql(`drop table if exists "public_welfare"."case_event" cascade;`);

    this.addSql(`drop table if exists "public_welfare"."message" cascade;`);

    this.addSql(`drop table if exists "public_welfare"."protocol_counter" cascade;`);
  }
}
