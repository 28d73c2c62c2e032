import { Migration } from '@mikro-orm/migrations';

const S = '"third_sector"';
const STATUSES = `'DRAFT', 'SUBMITTED', 'IN_REVIEW', 'NEEDS_INTEGRATION', 'ACCREDITED', 'REJECTED', 'SUSPENDED', 'SUPERSEDED'`;
const EVENT_KINDS = `'CREATED', 'DOCUMENT_UPLOADED', 'SUBMITTED', 'REVIEW_STARTED', 'INTEGRATION_REQUESTED', 'ACCREDITED', 'REJECTED', 'SUSPENDED', 'REINSTATED', 'SUPERSEDED'`;

/**
 * Provider accreditation: the Comune's checklist, requests with answers and documents, the
 * append-only history. Written by hand: keys, checks, the partial unique indexes (one pending
 * request and one standing accreditation per provider and Comune) and the triggers that refuse
 * UPDATE, DELETE and TRUNCATE on the history.
 */
export class Migration20261124170000_accreditation extends Migration {
  // Long because it is one migration's DDL, read top to bottom.
  override up(): void {
    this.addSql(
      `create table ${S}."accreditation_requirement" ("id" uuid not null, "comune_id" uuid not null, "code" text not null, "text_it" text not null, "text_en" text not null, "document_required" boolean not null, "position" int not null default 0, "retired_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "accreditation_requirement_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create unique index "accreditation_requirement_code_unique" on ${S}."accreditation_requirement" ("comune_id", "code");`,
    );
    this.addSql(
      `alter table ${S}."accreditation_requirement" add constraint "accreditation_requirement_code_check" check ("code" ~ '^[A-Z0-9_]{2,40}$');`,
    );
    this.addSql(
      `alter table ${S}."accreditation_requirement" add constraint "accreditation_requirement_text_check" check (length("text_it") between 3 and 1000 and length("text_en") between 3 and 1000);`,
    );
    this.addSql(
      `alter table ${S}."accreditation_requirement" add constraint "accreditation_requirement_position_check" check ("position" between 0 and 1000);`,
    );

    this.addSql(
      `create table ${S}."accreditation_request" ("id" uuid not null, "provider_id" uuid not null, "comune_id" uuid not null, "status" text check ("status" in (${STATUSES})) not null default 'DRAFT', "renewal_of" uuid null, "integration_reason" text null, "decision_reason" text null, "valid_until" date null, "submitted_at" timestamptz null, "decided_at" timestamptz null, "decided_by" uuid null, "suspension_reason" text null, "suspended_at" timestamptz null, "created_by" uuid not null, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "accreditation_request_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table ${S}."accreditation_request" add constraint "accreditation_request_renewal_fk" foreign key ("renewal_of") references ${S}."accreditation_request" ("id");`,
    );
    this.addSql(
      `alter table ${S}."accreditation_request" add constraint "accreditation_request_not_self_check" check ("provider_id" <> "comune_id" and ("renewal_of" is null or "renewal_of" <> "id"));`,
    );
    this.addSql(
      `alter table ${S}."accreditation_request" add constraint "accreditation_request_submitted_check" check ("status" = 'DRAFT' or "submitted_at" is not null);`,
    );
    this.addSql(
      `alter table ${S}."accreditation_request" add constraint "accreditation_request_decided_check" check ("status" not in ('ACCREDITED', 'REJECTED', 'SUSPENDED', 'SUPERSEDED') or ("decision_reason" is not null and "decided_at" is not null and "decided_by" is not null));`,
    );
    this.addSql(
      `alter table ${S}."accreditation_request" add constraint "accreditation_request_valid_until_check" check (("status" in ('ACCREDITED', 'SUSPENDED', 'SUPERSEDED')) = ("valid_until" is not null));`,
    );
    this.addSql(
      `alter table ${S}."accreditation_request" add constraint "accreditation_request_suspended_check" check ("status" <> 'SUSPENDED' or ("suspension_reason" is not null and "suspended_at" is not null));`,
    );
    this.addSql(
      `alter table ${S}."accreditation_request" add constraint "accreditation_request_integration_check" check ("status" <> 'NEEDS_INTEGRATION' or "integration_reason" is not null);`,
    );
    this.addSql(
      `create unique index "accreditation_request_one_pending" on ${S}."accreditation_request" ("provider_id", "comune_id") where "status" in ('DRAFT', 'SUBMITTED', 'IN_REVIEW', 'NEEDS_INTEGRATION');`,
    );
    this.addSql(
      `create unique index "accreditation_request_one_standing" on ${S}."accreditation_request" ("provider_id", "comune_id") where "status" in ('ACCREDITED', 'SUSPENDED');`,
    );
    this.addSql(
      `create index "accreditation_request_queue_index" on ${S}."accreditation_request" ("comune_id", "status", "submitted_at");`,
    );
    this.addSql(
      `create index "accreditation_request_accredited_index" on ${S}."accreditation_request" ("comune_id", "valid_until") include ("provider_id") where "status" = 'ACCREDITED';`,
    );

    this.addSql(
      `create table ${S}."accreditation_answer" ("request_id" uuid not null, "requirement_id" uuid not null, "declared" boolean not null, "note" text null, "updated_at" timestamptz not null default now(), constraint "accreditation_answer_pkey" primary key ("request_id", "requirement_id"));`,
    );
    this.addSql(
      `alter table ${S}."accreditation_answer" add constraint "accreditation_answer_request_fk" foreign key ("request_id") references ${S}."accreditation_request" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table ${S}."accreditation_answer" add constraint "accreditation_answer_requirement_fk" foreign key ("requirement_id") references ${S}."accreditation_requirement" ("id");`,
    );
    this.addSql(
      `alter table ${S}."accreditation_answer" add constraint "accreditation_answer_note_check" check ("note" is null or length("note") <= 2000);`,
    );
    this.addSql(
      `create index "accreditation_answer_requirement_index" on ${S}."accreditation_answer" ("requirement_id");`,
    );

    this.addSql(
      `create table ${S}."accreditation_document" ("id" uuid not null, "request_id" uuid not null, "provider_id" uuid not null, "comune_id" uuid not null, "requirement_id" uuid not null, "file_name" text not null, "content_type" text not null, "size_bytes" int not null, "sha256" text not null, "content" bytea not null, "uploaded_by" uuid not null, "uploaded_at" timestamptz not null default now(), constraint "accreditation_document_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "accreditation_document_request_id_index" on ${S}."accreditation_document" ("request_id");`,
    );
    this.addSql(
      `alter table ${S}."accreditation_document" add constraint "accreditation_document_request_fk" foreign key ("request_id") references ${S}."accreditation_request" ("id");`,
    );
    this.addSql(
      `alter table ${S}."accreditation_document" add constraint "accreditation_document_requirement_fk" foreign key ("requirement_id") references ${S}."accreditation_requirement" ("id");`,
    );
    this.addSql(
      `alter table ${S}."accreditation_document" add constraint "accreditation_document_type_check" check ("content_type" in ('application/pdf', 'image/jpeg', 'image/png') and "size_bytes" > 0 and "size_bytes" = length("content"));`,
    );

    this.addSql(
      `create table ${S}."accreditation_event" ("id" bigserial primary key, "request_id" uuid not null, "provider_id" uuid not null, "comune_id" uuid not null, "kind" text check ("kind" in (${EVENT_KINDS})) not null, "actor" text not null, "actor_role" text check ("actor_role" in ('PROVIDER_ADMIN', 'OPERATOR', 'MANAGER', 'PLATFORM_ADMIN', 'SYSTEM')) not null, "from_status" text check ("from_status" in (${STATUSES})) null, "to_status" text check ("to_status" in (${STATUSES})) null, "reason" text null, "at" timestamptz not null default now());`,
    );
    this.addSql(
      `create index "accreditation_event_request_id_index" on ${S}."accreditation_event" ("request_id");`,
    );
    this.addSql(
      `alter table ${S}."accreditation_event" add constraint "accreditation_event_request_fk" foreign key ("request_id") references ${S}."accreditation_request" ("id") deferrable initially deferred;`,
    );
    this.addSql(`create or replace function ${S}."refuse_change"() returns trigger
language plpgsql as $$
begin
  raise exception '% is append-only: % refused', tg_table_name, tg_op using errcode = 'insufficient_privilege';
end $$;`);
    this
      .addSql(`create trigger "accreditation_event_no_update_delete" before update or delete on ${S}."accreditation_event"
for each row execute function ${S}."refuse_change"();`);
    this
      .addSql(`create trigger "accreditation_event_no_truncate" before truncate on ${S}."accreditation_event"
for each statement execute function ${S}."refuse_change"();`);
  }

  override down(): void {
    this.addSql(`drop table if exists ${S}."accreditation_event" cascade;`);
    this.addSql(`drop function if exists ${S}."refuse_change"() cascade;`);
    this.addSql(`drop table if exists ${S}."accreditation_document" cascade;`);
    this.addSql(`drop table if exists ${S}."accreditation_answer" cascade;`);
    this.addSql(`drop table if exists ${S}."accreditation_request" cascade;`);
    this.addSql(`drop table if exists ${S}."accreditation_requirement" cascade;`);
  }
}
