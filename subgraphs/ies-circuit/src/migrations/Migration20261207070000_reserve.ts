import { Migration } from '@mikro-orm/migrations';

const S = '"ies_circuit"';

/**
 * The reserve behind the book, frozen: what the kit's `bookReserveSql('ies_circuit')` produced when
 * this migration was written (never regenerate it). Every posted transfer moving an issuer needs
 * its reserve entry, checked at commit.
 */
const RESERVE_SQL: readonly string[] = [
  'create table "ies_circuit".book_reserve_entry (\n  transfer_id uuid primary key references "ies_circuit".book_transfer (id),\n  issuer_account_id uuid not null references "ies_circuit".book_account (id),\n  amount bigint not null,\n  reference text not null,\n  created_at timestamptz not null default now(),\n  constraint book_reserve_entry_amount_check check (amount <> 0 and abs(amount) <= 1000000000000),\n  constraint book_reserve_entry_reference_check check (length(btrim(reference)) between 1 and 500)\n)',
  'create index book_reserve_entry_issuer_idx on "ies_circuit".book_reserve_entry (issuer_account_id)',
  'create trigger book_reserve_entry_no_update before update or delete on "ies_circuit".book_reserve_entry\n  for each row execute function "ies_circuit".book_refuse()',
  'create trigger book_reserve_entry_no_truncate before truncate on "ies_circuit".book_reserve_entry\n  for each statement execute function "ies_circuit".book_refuse()',
  "create function \"ies_circuit\".book_transfer_reserve_check() returns trigger language plpgsql as $book$\ndeclare\n  issuers int;\n  issuer uuid;\n  wanted bigint;\nbegin\n  select count(*), min(a.id::text)::uuid into issuers, issuer from \"ies_circuit\".book_account a\n   where a.id in (NEW.debit_account_id, NEW.credit_account_id) and a.kind = 'ISSUER';\n  if issuers = 0 then\n    return null;\n  end if;\n  if issuers > 1 then\n    raise exception using\n      errcode = 'check_violation',\n      message = format('book: transfer %s moves two issuers (a reserve entry names one)', NEW.id);\n  end if;\n  wanted := case when issuer = NEW.debit_account_id then NEW.amount else -NEW.amount end;\n  if not exists (select 1 from \"ies_circuit\".book_reserve_entry e\n                  where e.transfer_id = NEW.id and e.issuer_account_id = issuer and e.amount = wanted) then\n    raise exception using\n      errcode = 'check_violation',\n      message = format('book: transfer %s moves the issuer without its reserve entry', NEW.id);\n  end if;\n  return null;\nend\n$book$",
  'create constraint trigger book_transfer_reserve_check after insert on "ies_circuit".book_transfer\n  deferrable initially deferred\n  for each row when (NEW.status = \'POSTED\')\n  execute function "ies_circuit".book_transfer_reserve_check()',
  "create function \"ies_circuit\".book_reserve_entry_check() returns trigger language plpgsql as $book$\ndeclare\n  moved \"ies_circuit\".book_transfer%rowtype;\n  kind text;\nbegin\n  select * into moved from \"ies_circuit\".book_transfer t where t.id = NEW.transfer_id;\n  if not found or moved.status <> 'POSTED' or moved.expires_at is not null then\n    raise exception using\n      errcode = 'check_violation',\n      message = format('book: reserve entry of %s, which is not a posted transfer', NEW.transfer_id);\n  end if;\n  select a.kind into kind from \"ies_circuit\".book_account a where a.id = NEW.issuer_account_id;\n  if kind is distinct from 'ISSUER' then\n    raise exception using\n      errcode = 'check_violation',\n      message = format('book: reserve entry of %s names %s, which is not an issuer account',\n        NEW.transfer_id, NEW.issuer_account_id);\n  end if;\n  if not ((NEW.issuer_account_id = moved.debit_account_id and NEW.amount = moved.amount)\n       or (NEW.issuer_account_id = moved.credit_account_id and NEW.amount = -moved.amount)) then\n    raise exception using\n      errcode = 'check_violation',\n      message = format('book: reserve entry of %s (%s on %s) is not what its transfer moves',\n        NEW.transfer_id, NEW.amount, NEW.issuer_account_id);\n  end if;\n  return null;\nend\n$book$",
  'create constraint trigger book_reserve_entry_check after insert on "ies_circuit".book_reserve_entry\n  deferrable initially deferred\n  for each row execute function "ies_circuit".book_reserve_entry_check()',
  'comment on table "ies_circuit".book_reserve_entry is \'Double-entry book: the euro reserve behind the issuer accounts; one entry per posted issuer transfer (+ issued, - redeemed), checked at commit\'',
];

/**
 * The euro reserve of the circuits: the kit's reserve table and its checks (the issuances made
 * before it get their entry here, from their own reference, so the book stays sound), the euro
 * received the staff records (`reserve_receipt`), the uses of the fees (`fee_use`) and the
 * organisations' conversions to euro (`conversion`).
 */
export class Migration20261207070000_reserve extends Migration {
  override up(): void {
    for (const sql of RESERVE_SQL) this.addSql(sql);
    this
      .addSql(`insert into ${S}.book_reserve_entry (transfer_id, issuer_account_id, amount, reference)
  select t.id, a.id, case when a.id = t.debit_account_id then t.amount else -t.amount end,
    coalesce(nullif(btrim(t.reference), ''), 'before the reserve: ' || t.id::text)
  from ${S}.book_transfer t
  join ${S}.book_account a on a.id in (t.debit_account_id, t.credit_account_id) and a.kind = 'ISSUER'
  where t.status = 'POSTED' and t.expires_at is null;`);

    this.addSql(`create table ${S}."reserve_receipt" (
  "id" uuid primary key,
  "circuit_id" uuid not null references ${S}."circuit" ("id"),
  "kind" text not null,
  "member_id" uuid references ${S}."member" ("id"),
  "funder_name" text not null,
  "bank_reference" text not null,
  "amount_cents" bigint not null,
  "client_key" text not null,
  "transfer_id" uuid not null,
  "recorded_by" text not null,
  "created_at" timestamptz not null default now(),
  constraint "reserve_receipt_key" unique ("circuit_id", "client_key"),
  constraint "reserve_receipt_kind_check" check ("kind" in ('PURCHASE', 'REWARD_FUNDING')),
  constraint "reserve_receipt_member_check" check (("kind" = 'PURCHASE') = ("member_id" is not null)),
  constraint "reserve_receipt_amount_check" check ("amount_cents" between 1 and 100000000),
  constraint "reserve_receipt_text_check" check (
    length(btrim("funder_name")) between 2 and 200 and length(btrim("bank_reference")) between 3 and 140
  )
);`);
    this.addSql(
      `create index "reserve_receipt_circuit_idx" on ${S}."reserve_receipt" ("circuit_id", "created_at");`,
    );

    this.addSql(`create table ${S}."fee_use" (
  "id" uuid primary key,
  "circuit_id" uuid not null references ${S}."circuit" ("id"),
  "kind" text not null,
  "project_id" uuid,
  "amount_cents" bigint not null,
  "description" text not null,
  "client_key" text not null,
  "transfer_id" uuid not null,
  "recorded_by" text not null,
  "created_at" timestamptz not null default now(),
  constraint "fee_use_key" unique ("circuit_id", "client_key"),
  constraint "fee_use_kind_check" check ("kind" in ('REWARDS', 'PROJECT', 'COSTS')),
  constraint "fee_use_project_check" check (("kind" = 'PROJECT') = ("project_id" is not null)),
  constraint "fee_use_amount_check" check ("amount_cents" between 1 and 100000000),
  constraint "fee_use_description_check" check (length(btrim("description")) between 3 and 500)
);`);
    this.addSql(
      `create index "fee_use_circuit_idx" on ${S}."fee_use" ("circuit_id", "created_at");`,
    );

    this.addSql(`create table ${S}."conversion" (
  "id" uuid primary key,
  "circuit_id" uuid not null references ${S}."circuit" ("id"),
  "member_id" uuid not null references ${S}."member" ("id"),
  "organisation_id" uuid not null,
  "amount_cents" bigint not null,
  "fee_cents" bigint not null,
  "creditor_name" text not null,
  "iban" text not null,
  "status" text not null default 'PENDING',
  "client_key" text not null,
  "requested_by" text not null,
  "decided_by" text,
  "decided_at" timestamptz,
  "reason" text,
  "created_at" timestamptz not null default now(),
  constraint "conversion_key" unique ("member_id", "client_key"),
  constraint "conversion_status_check" check ("status" in ('PENDING', 'APPROVED', 'REJECTED')),
  constraint "conversion_amount_check" check (
    "amount_cents" between 1 and 100000000 and "fee_cents" >= 0 and "fee_cents" < "amount_cents"
  ),
  constraint "conversion_decision_check" check (
    ("status" = 'PENDING') = ("decided_at" is null)
    and ("status" <> 'REJECTED' or length(btrim("reason")) between 3 and 500)
  )
);`);
    this.addSql(
      `create index "conversion_circuit_idx" on ${S}."conversion" ("circuit_id", "status", "created_at");`,
    );
    this.addSql(
      `create index "conversion_member_idx" on ${S}."conversion" ("member_id", "created_at");`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists ${S}."conversion";`);
    this.addSql(`drop table if exists ${S}."fee_use";`);
    this.addSql(`drop table if exists ${S}."reserve_receipt";`);
    this.addSql(`drop trigger if exists book_reserve_entry_check on ${S}.book_reserve_entry;`);
    this.addSql(`drop trigger if exists book_transfer_reserve_check on ${S}.book_transfer;`);
    this.addSql(`drop function if exists ${S}.book_reserve_entry_check();`);
    this.addSql(`drop function if exists ${S}.book_transfer_reserve_check();`);
    this.addSql(`drop table if exists ${S}.book_reserve_entry;`);
  }
}
