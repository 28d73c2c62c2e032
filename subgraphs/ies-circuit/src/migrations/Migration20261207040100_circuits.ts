import { Migration } from '@mikro-orm/migrations';

const S = '"ies_circuit"';

/**
 * Circuits and their members. A circuit is the IES of one territory (a Comune or a group of
 * Comuni), run by a manager (the Comune or its delegate) with its own rules: the fee per movement
 * and who pays it, the conversion fee, an optional demurrage or expiry. A member is a citizen or
 * an organisation (business, association, cooperative, the Comune) of one circuit; its wallet is an
 * account of the book (`circuit:<c>:member:<m>`), never a column here.
 */
export class Migration20261207040100_circuits extends Migration {
  override up(): void {
    this.addSql(`create table ${S}."circuit" (
  "id" uuid primary key,
  "code" text not null,
  "name" text not null,
  "territory" text not null,
  "manager_id" uuid not null,
  "fee_fixed_cents" integer not null default 0,
  "fee_basis_points" integer not null default 0,
  "fee_max_cents" integer,
  "fee_payer" text not null default 'PAYER',
  "welfare_exempt" boolean not null default true,
  "conversion_fee_basis_points" integer not null default 0,
  "conversion_fee_min_cents" integer not null default 0,
  "demurrage_basis_points" integer not null default 0,
  "expiry_months" integer,
  "status" text not null default 'ACTIVE',
  "created_at" timestamptz not null default now(),
  "updated_at" timestamptz not null default now(),
  constraint "circuit_code_key" unique ("code"),
  constraint "circuit_code_check" check ("code" ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length("code") <= 40),
  constraint "circuit_name_check" check (length(btrim("name")) between 3 and 120),
  constraint "circuit_territory_check" check (length(btrim("territory")) between 2 and 300),
  constraint "circuit_fee_check" check (
    "fee_fixed_cents" between 0 and 1000 and "fee_basis_points" between 0 and 1000
    and ("fee_max_cents" is null or "fee_max_cents" between "fee_fixed_cents" and 100000)
  ),
  constraint "circuit_fee_payer_check" check ("fee_payer" in ('PAYER', 'PAYEE')),
  constraint "circuit_conversion_fee_check" check (
    "conversion_fee_basis_points" between 0 and 2000 and "conversion_fee_min_cents" between 0 and 10000
  ),
  constraint "circuit_demurrage_check" check ("demurrage_basis_points" between 0 and 500),
  constraint "circuit_expiry_check" check ("expiry_months" is null or "expiry_months" between 1 and 120),
  constraint "circuit_status_check" check ("status" in ('ACTIVE', 'SUSPENDED'))
);`);
    this.addSql(`create index "circuit_manager_idx" on ${S}."circuit" ("manager_id");`);
    this.addSql(`comment on column ${S}."circuit"."demurrage_basis_points" is
  'Demurrage per month on balances, in basis points of the balance (0: none)';`);

    this.addSql(`create table ${S}."member" (
  "id" uuid primary key,
  "circuit_id" uuid not null references ${S}."circuit" ("id"),
  "kind" text not null,
  "person_id" uuid,
  "fiscal_code" text,
  "organisation_id" uuid,
  "display_name" text not null,
  "status" text not null,
  "vat_number" text,
  "address" text,
  "iban" text,
  "categories" text[] not null default '{}',
  "accepts_ies" boolean not null default false,
  "decided_by" uuid,
  "decided_at" timestamptz,
  "decision_reason" text,
  "created_at" timestamptz not null default now(),
  constraint "member_kind_check" check (
    "kind" in ('CITIZEN', 'BUSINESS', 'ASSOCIATION', 'COOPERATIVE', 'COMUNE')
  ),
  constraint "member_holder_check" check (
    ("kind" = 'CITIZEN' and "person_id" is not null and "fiscal_code" is not null
      and "organisation_id" is null)
    or ("kind" <> 'CITIZEN' and "organisation_id" is not null and "person_id" is null)
  ),
  constraint "member_fiscal_code_check" check (
    "fiscal_code" is null or "fiscal_code" ~ '^[A-Z0-9]{16}$'
  ),
  constraint "member_status_check" check (
    "status" in ('PENDING', 'ACTIVE', 'REJECTED', 'SUSPENDED')
  ),
  constraint "member_display_name_check" check (length(btrim("display_name")) between 1 and 200),
  constraint "member_business_check" check (
    "kind" <> 'BUSINESS' or "status" <> 'ACTIVE'
    or ("vat_number" is not null and "address" is not null and "iban" is not null)
  ),
  constraint "member_vat_number_check" check ("vat_number" is null or "vat_number" ~ '^[0-9]{11}$'),
  constraint "member_address_check" check ("address" is null or length(btrim("address")) between 5 and 300),
  constraint "member_iban_check" check ("iban" is null or "iban" ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'),
  constraint "member_accepts_ies_check" check (not "accepts_ies" or "kind" <> 'CITIZEN'),
  constraint "member_decision_check" check (
    "status" not in ('REJECTED', 'SUSPENDED') or "decision_reason" is not null
  ),
  constraint "member_decision_reason_check" check (
    "decision_reason" is null or length(btrim("decision_reason")) between 3 and 500
  )
);`);
    this.addSql(
      `create unique index "member_person_key" on ${S}."member" ("circuit_id", "person_id") where "person_id" is not null;`,
    );
    this.addSql(
      `create unique index "member_fiscal_code_key" on ${S}."member" ("circuit_id", "fiscal_code") where "fiscal_code" is not null;`,
    );
    this.addSql(
      `create unique index "member_organisation_key" on ${S}."member" ("circuit_id", "organisation_id") where "organisation_id" is not null;`,
    );
    this.addSql(`create index "member_fiscal_code_idx" on ${S}."member" ("fiscal_code");`);
    this.addSql(`create index "member_organisation_idx" on ${S}."member" ("organisation_id");`);
    this.addSql(
      `create index "member_circuit_status_idx" on ${S}."member" ("circuit_id", "status", "kind");`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists ${S}."member";`);
    this.addSql(`drop table if exists ${S}."circuit";`);
  }
}
