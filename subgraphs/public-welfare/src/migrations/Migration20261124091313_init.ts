import { Migration } from '@mikro-orm/migrations';

export class Migration20261124091313_init extends Migration {
  override up(): void {
    this.addSql(`create schema if not exists "public_welfare";`);
    this.addSql(
      `create table "public_welfare"."audit_event" ("seq" bigserial primary key, "comune_id" uuid not null, "actor" text not null, "action" text not null, "subject" text not null, "at" timestamptz not null default now(), "prev_hash" text not null, "hash" text not null);`,
    );
    this.addSql(
      `create index "audit_event_comune_index" on "public_welfare"."audit_event" ("comune_id", "seq");`,
    );

    this.addSql(
      `create table "public_welfare"."household" ("id" uuid not null, "comune_id" uuid not null, "code" text not null, "address" text not null, "resident" boolean not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "household_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "public_welfare"."household" add constraint "household_comune_code_unique" unique ("comune_id", "code");`,
    );

    this.addSql(
      `create table "public_welfare"."household_member" ("id" uuid not null, "comune_id" uuid not null, "household_id" uuid not null, "fiscal_code_hash" text not null, "fiscal_code_cipher" text not null, "given_name" text not null, "family_name" text not null, "birth_date" date not null, "sex" text check ("sex" in ('M', 'F')) not null, "relation" text check ("relation" in ('INTESTATARIO', 'CONIUGE', 'CONVIVENTE', 'FIGLIO', 'GENITORE', 'FRATELLO', 'NIPOTE', 'ALTRO')) not null, "disability" boolean not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "household_member_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "household_member_household_index" on "public_welfare"."household_member" ("household_id");`,
    );
    this.addSql(
      `alter table "public_welfare"."household_member" add constraint "household_member_comune_fiscal_code_unique" unique ("comune_id", "fiscal_code_hash");`,
    );

    this.addSql(
      `create table "public_welfare"."import_job" ("id" uuid not null, "comune_id" uuid not null, "kind" text check ("kind" in ('REGISTRY', 'INCOME')) not null, "status" text check ("status" in ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED')) not null default 'QUEUED', "rows_read" int not null default 0, "rows_imported" int not null default 0, "rows_rejected" int not null default 0, "created_by" uuid null, "created_at" timestamptz not null default now(), "started_at" timestamptz null, "finished_at" timestamptz null, constraint "import_job_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "import_job_comune_index" on "public_welfare"."import_job" ("comune_id", "created_at");`,
    );

    this.addSql(
      `create table "public_welfare"."import_rejection" ("id" uuid not null, "job_id" uuid not null, "line" int not null, "field" text not null, "reason_it" text not null, "reason_en" text not null, constraint "import_rejection_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "import_rejection_job_line_index" on "public_welfare"."import_rejection" ("job_id", "line");`,
    );

    this.addSql(
      `create table "public_welfare"."import_staging_row" ("job_id" uuid not null, "line" int not null, "payload" jsonb not null, constraint "import_staging_row_pkey" primary key ("job_id", "line"));`,
    );

    this.addSql(
      `create table "public_welfare"."income_declaration" ("id" uuid not null, "comune_id" uuid not null, "declarant_fiscal_code_hash" text not null, "declarant_fiscal_code_cipher" text not null, "isee_cents" bigint not null, "isee_type" text check ("isee_type" in ('ORDINARIO', 'MINORENNI', 'SOCIOSANITARIO', 'CORRENTE')) not null, "valid_until" date not null, "receives_public_support" boolean not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "income_declaration_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "public_welfare"."income_declaration" add constraint "income_declaration_comune_declarant_unique" unique ("comune_id", "declarant_fiscal_code_hash");`,
    );

    this.addSql(
      `alter table "public_welfare"."household_member" add constraint "household_member_household_id_foreign" foreign key ("household_id") references "public_welfare"."household" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "public_welfare"."import_rejection" add constraint "import_rejection_job_id_foreign" foreign key ("job_id") references "public_welfare"."import_job" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "public_welfare"."import_staging_row" add constraint "import_staging_row_job_id_foreign" foreign key ("job_id") references "public_welfare"."import_job" ("id") on update cascade on delete cascade;`,
    );
  }

  override down(): void {
    this.addSql(
      `alter table "public_welfare"."household_member" drop constraint "household_member_household_id_foreign";`,
    );

    this.addSql(
      `alter table "public_welfare"."import_rejection" drop constraint "import_rejection_job_id_foreign";`,
    );

    this.addSql(
      `alter table "public_welfare"."import_staging_row" drop constraint "import_staging_row_job_id_foreign";`,
    );

    this.addSql(`drop table if exists "public_welfare"."audit_event" cascade;`);

    this.addSql(`drop table if exists "public_welfare"."household" cascade;`);

    this.addSql(`drop table if exists "public_welfare"."household_member" cascade;`);

    this.addSql(`drop table if exists "public_welfare"."import_job" cascade;`);

    this.addSql(`drop table if exists "public_welfare"."import_rejection" cascade;`);

    this.addSql(`drop table if exists "public_welfare"."import_staging_row" cascade;`);

    this.addSql(`drop table if exists "public_welfare"."income_declaration" cascade;`);

    this.addSql(`drop schema if exists "public_welfare";`);
  }
}
