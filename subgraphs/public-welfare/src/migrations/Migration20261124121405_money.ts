import { Migration } from '@mikro-orm/migrations';

/**
 * The book's tables, constraints and triggers as `bookMigrationSql('public_welfare')` produced them
 * when this migration was written, frozen as literal SQL: a later change of the kit must not rewrite
 * what this migration did (later changes of the book come in migrations of their own).
 */
const BOOK_SQL: readonly string[] = [
  `create table "public_welfare".book_account (
  id uuid primary key default gen_random_uuid(),
  code text not null,
  kind text not null,
  allow_negative boolean not null default false,
  debits_posted bigint not null default 0,
  credits_posted bigint not null default 0,
  debits_pending bigint not null default 0,
  credits_pending bigint not null default 0,
  created_at timestamptz not null default now(),
  constraint book_account_code_key unique (code),
  constraint book_account_code_check check (length(btrim(code)) between 1 and 200),
  constraint book_account_kind_check check (length(btrim(kind)) between 1 and 50),
  constraint book_account_allow_negative_check check (not allow_negative or kind = 'ISSUER'),
  constraint book_account_totals_check check (
    debits_posted >= 0 and credits_posted >= 0 and debits_pending >= 0 and credits_pending >= 0
  ),
  constraint book_account_available_check check (
    allow_negative or credits_posted - debits_posted - debits_pending >= 0
  )
)`,
  `create table "public_welfare".book_transfer (
  id uuid primary key,
  seq bigint generated always as identity,
  debit_account_id uuid not null references "public_welfare".book_account (id),
  credit_account_id uuid not null references "public_welfare".book_account (id),
  amount bigint not null,
  status text not null,
  pending_id uuid references "public_welfare".book_transfer (id),
  expires_at timestamptz,
  code text,
  reference text,
  created_at timestamptz not null default now(),
  constraint book_transfer_seq_key unique (seq),
  constraint book_transfer_pending_key unique (pending_id),
  constraint book_transfer_accounts_check check (debit_account_id <> credit_account_id),
  constraint book_transfer_amount_check check (amount > 0 and amount <= 1000000000000),
  constraint book_transfer_status_check check (status in ('PENDING', 'POSTED', 'VOIDED', 'EXPIRED')),
  constraint book_transfer_shape_check check (
    (pending_id is null and expires_at is null and status = 'POSTED')
    or (pending_id is null and expires_at is not null)
    or (pending_id is not null and expires_at is null and status <> 'PENDING')
  ),
  constraint book_transfer_code_check check (code is null or length(code) between 1 and 64),
  constraint book_transfer_reference_check check (
    reference is null or length(reference) between 1 and 500
  )
)`,
  `create index book_transfer_debit_idx on "public_welfare".book_transfer (debit_account_id, seq)`,
  `create index book_transfer_credit_idx on "public_welfare".book_transfer (credit_account_id, seq)`,
  `create index book_transfer_pending_expiry_idx on "public_welfare".book_transfer (expires_at) where status = 'PENDING'`,
  `create function "public_welfare".book_refuse() returns trigger language plpgsql as $book$
begin
  raise exception using
    errcode = 'restrict_violation',
    message = format('book: %s on %s is not allowed (the book is append-only)', TG_OP, TG_TABLE_NAME);
end
$book$`,
  `create function "public_welfare".book_account_guard() returns trigger language plpgsql as $book$
begin
  if TG_OP = 'INSERT' then
    if NEW.debits_posted <> 0 or NEW.credits_posted <> 0
      or NEW.debits_pending <> 0 or NEW.credits_pending <> 0 then
      raise exception using
        errcode = 'check_violation',
        message = 'book: an account opens with zero totals; money moves only by transfers';
    end if;
    return NEW;
  end if;
  if pg_trigger_depth() > 1
    and (NEW.id, NEW.code, NEW.kind, NEW.allow_negative, NEW.created_at)
      is not distinct from (OLD.id, OLD.code, OLD.kind, OLD.allow_negative, OLD.created_at) then
    return NEW;
  end if;
  raise exception using
    errcode = 'restrict_violation',
    message = 'book: account totals change only by inserting transfers; accounts are immutable';
end
$book$`,
  `create trigger book_account_guard before insert or update on "public_welfare".book_account
  for each row execute function "public_welfare".book_account_guard()`,
  `create trigger book_account_no_delete before delete on "public_welfare".book_account
  for each row execute function "public_welfare".book_refuse()`,
  `create trigger book_account_no_truncate before truncate on "public_welfare".book_account
  for each statement execute function "public_welfare".book_refuse()`,
  `create function "public_welfare".book_transfer_guard() returns trigger language plpgsql as $book$
begin
  if pg_trigger_depth() > 1
    and OLD.status = 'PENDING' and NEW.status in ('POSTED', 'VOIDED', 'EXPIRED')
    and (NEW.id, NEW.seq, NEW.debit_account_id, NEW.credit_account_id, NEW.amount, NEW.pending_id,
         NEW.expires_at, NEW.code, NEW.reference, NEW.created_at)
      is not distinct from
        (OLD.id, OLD.seq, OLD.debit_account_id, OLD.credit_account_id, OLD.amount, OLD.pending_id,
         OLD.expires_at, OLD.code, OLD.reference, OLD.created_at) then
    return NEW;
  end if;
  raise exception using
    errcode = 'restrict_violation',
    message = 'book: transfers are append-only; a hold is resolved by inserting its post, void or expiry';
end
$book$`,
  `create trigger book_transfer_guard before update on "public_welfare".book_transfer
  for each row execute function "public_welfare".book_transfer_guard()`,
  `create trigger book_transfer_no_delete before delete on "public_welfare".book_transfer
  for each row execute function "public_welfare".book_refuse()`,
  `create trigger book_transfer_no_truncate before truncate on "public_welfare".book_transfer
  for each statement execute function "public_welfare".book_refuse()`,
  `create function "public_welfare".book_transfer_apply() returns trigger language plpgsql as $book$
declare
  hold "public_welfare".book_transfer%rowtype;
  posted bigint := 0;
  pending bigint := 0;
  released bigint := 0;
begin
  if NEW.pending_id is null and NEW.expires_at is null then
    posted := NEW.amount;
  elsif NEW.pending_id is null then
    if NEW.status <> 'PENDING' then
      raise exception using errcode = 'check_violation', message = 'book: a hold is inserted PENDING';
    end if;
    pending := NEW.amount;
  else
    select * into hold from "public_welfare".book_transfer where id = NEW.pending_id for no key update;
    if not found or hold.expires_at is null or hold.pending_id is not null then
      raise exception using
        errcode = 'check_violation', message = format('book: %s is not a hold', NEW.pending_id);
    end if;
    if hold.status <> 'PENDING' then
      raise exception using
        errcode = 'check_violation',
        message = format('book: hold %s is already %s', hold.id, hold.status);
    end if;
    if hold.debit_account_id <> NEW.debit_account_id or hold.credit_account_id <> NEW.credit_account_id then
      raise exception using
        errcode = 'check_violation',
        message = format('book: the resolution of hold %s names other accounts', hold.id);
    end if;
    if NEW.status = 'POSTED' then
      if NEW.amount > hold.amount then
        raise exception using
          errcode = 'check_violation',
          message = format('book: posting %s of hold %s, which holds %s', NEW.amount, hold.id, hold.amount);
      end if;
      posted := NEW.amount;
    elsif NEW.amount <> hold.amount then
      raise exception using
        errcode = 'check_violation',
        message = format('book: a void or expiry of hold %s releases its whole amount', hold.id);
    end if;
    released := hold.amount;
    update "public_welfare".book_transfer set status = NEW.status where id = hold.id;
  end if;
  -- Both accounts locked in id order, so that concurrent transfers never deadlock on them. NO KEY
  -- UPDATE, not UPDATE: the foreign-key checks of concurrent inserts hold KEY SHARE locks on the
  -- same accounts, which FOR UPDATE would wait for (a deadlock), and the update needs no more.
  perform 1 from "public_welfare".book_account
    where id in (NEW.debit_account_id, NEW.credit_account_id) order by id for no key update;
  update "public_welfare".book_account
    set debits_posted = debits_posted + posted, debits_pending = debits_pending + pending - released
    where id = NEW.debit_account_id;
  update "public_welfare".book_account
    set credits_posted = credits_posted + posted, credits_pending = credits_pending + pending - released
    where id = NEW.credit_account_id;
  return null;
end
$book$`,
  `create trigger book_transfer_apply after insert on "public_welfare".book_transfer
  for each row execute function "public_welfare".book_transfer_apply()`,
  `drop trigger if exists book_transfer_apply on "public_welfare".book_transfer`,
  `create trigger book_transfer_apply after insert on "public_welfare".book_transfer
  for each row when (NEW.pending_id is not null or NEW.expires_at is not null)
  execute function "public_welfare".book_transfer_apply()`,
  `create or replace function "public_welfare".book_transfer_apply_posted() returns trigger language plpgsql as $book$
begin
  -- Every account the statement moves, locked in id order (as the per-row trigger does).
  perform 1 from "public_welfare".book_account
    where id in (
      select debit_account_id from moved where pending_id is null and expires_at is null
      union
      select credit_account_id from moved where pending_id is null and expires_at is null
    )
    order by id for no key update;
  update "public_welfare".book_account a set debits_posted = a.debits_posted + d.total
    from (select debit_account_id as id, sum(amount) as total from moved
           where pending_id is null and expires_at is null group by debit_account_id) d
    where a.id = d.id;
  update "public_welfare".book_account a set credits_posted = a.credits_posted + c.total
    from (select credit_account_id as id, sum(amount) as total from moved
           where pending_id is null and expires_at is null group by credit_account_id) c
    where a.id = c.id;
  return null;
end
$book$`,
  `drop trigger if exists book_transfer_apply_posted on "public_welfare".book_transfer`,
  `create trigger book_transfer_apply_posted after insert on "public_welfare".book_transfer
  referencing new table as moved
  for each statement execute function "public_welfare".book_transfer_apply_posted()`,
  `comment on table "public_welfare".book_account is 'Double-entry book: accounts; totals in cents, maintained by the transfer trigger only'`,
  `comment on table "public_welfare".book_transfer is 'Double-entry book: transfers, append-only; id chosen by the client (idempotency key)'`,
];

export class Migration20261124121405_money extends Migration {
  override up(): void {
    this.addSql(
      `create table "public_welfare"."payment" ("id" uuid not null, "comune_id" uuid not null, "card_id" uuid not null, "accreditation_id" uuid not null, "cashier_id" uuid not null, "amount_cents" bigint not null, "category" text check ("category" in ('FOOD', 'PHARMACY', 'HYGIENE', 'CLOTHING', 'SCHOOL', 'ALCOHOL', 'TOBACCO', 'GAMBLING', 'PHONE_TOPUP', 'OTHER')) not null, "status" text check ("status" in ('AUTHORISED', 'VOIDED')) not null default 'AUTHORISED', "transfer_ids" jsonb not null, "void_transfer_ids" jsonb null, "created_at" timestamptz not null default now(), "voided_at" timestamptz null, constraint "payment_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "public_welfare"."shop_accreditation" ("id" uuid not null, "merchant_id" uuid not null, "comune_id" uuid not null, "campaign_id" uuid not null, "partita_iva" text not null, "iban" text not null, "business_name" text not null, "categories" text[] not null, "points_of_sale" jsonb not null, "status" text check ("status" in ('PENDING', 'ACCREDITED', 'SUSPENDED')) not null default 'PENDING', "decided_by" uuid null, "decided_at" timestamptz null, "requested_by" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "shop_accreditation_pkey" primary key ("id"));`,
    );

    this.addSql(
      `alter table "public_welfare"."campaign" add column "excluded_categories" text[] not null default '{ALCOHOL,TOBACCO,GAMBLING,PHONE_TOPUP}';`,
    );

    // Hand-written: keys, references and the rules the code also checks.
    this.addSql(`alter table "public_welfare"."shop_accreditation"
      add constraint "shop_accreditation_merchant_campaign_unique" unique ("merchant_id", "campaign_id"),
      add constraint "shop_accreditation_campaign_fkey" foreign key ("campaign_id") references "public_welfare"."campaign" ("id"),
      add constraint "shop_accreditation_partita_iva_check" check ("partita_iva" ~ '^[0-9]{11}$'),
      add constraint "shop_accreditation_iban_check" check ("iban" ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'),
      add constraint "shop_accreditation_business_name_check" check (length("business_name") between 1 and 200),
      add constraint "shop_accreditation_categories_check" check (cardinality("categories") >= 1 and "categories" <@ array['FOOD','PHARMACY','HYGIENE','CLOTHING','SCHOOL','ALCOHOL','TOBACCO','GAMBLING','PHONE_TOPUP','OTHER']::text[]),
      add constraint "shop_accreditation_points_check" check (jsonb_typeof("points_of_sale") = 'array' and jsonb_array_length("points_of_sale") between 1 and 50),
      add constraint "shop_accreditation_decision_check" check (("status" = 'PENDING') = ("decided_at" is null));`);
    this.addSql(
      `create index "shop_accreditation_comune_index" on "public_welfare"."shop_accreditation" ("comune_id", "campaign_id");`,
    );
    this.addSql(`alter table "public_welfare"."campaign"
      add constraint "campaign_excluded_categories_check" check ("excluded_categories" <@ array['FOOD','PHARMACY','HYGIENE','CLOTHING','SCHOOL','ALCOHOL','TOBACCO','GAMBLING','PHONE_TOPUP','OTHER']::text[]);`);
    this.addSql(`alter table "public_welfare"."payment"
      add constraint "payment_card_fkey" foreign key ("card_id") references "public_welfare"."card" ("id"),
      add constraint "payment_accreditation_fkey" foreign key ("accreditation_id") references "public_welfare"."shop_accreditation" ("id"),
      add constraint "payment_amount_check" check ("amount_cents" between 1 and 100000000),
      add constraint "payment_transfers_check" check (jsonb_typeof("transfer_ids") = 'array' and jsonb_array_length("transfer_ids") >= 1),
      add constraint "payment_void_check" check (("status" = 'VOIDED') = ("voided_at" is not null) and ("status" = 'VOIDED') = ("void_transfer_ids" is not null));`);
    this.addSql(
      `create index "payment_card_index" on "public_welfare"."payment" ("card_id", "created_at");`,
    );
    this.addSql(
      `create index "payment_accreditation_index" on "public_welfare"."payment" ("accreditation_id", "created_at");`,
    );
    for (const sql of BOOK_SQL) this.addSql(sql);
  }

  override down(): void {
    this.addSql(`drop table if exists "public_welfare"."book_transfer" cascade;`);
    this.addSql(`drop table if exists "public_welfare"."book_account" cascade;`);
    for (const fn of [
      'book_refuse',
      'book_account_guard',
      'book_transfer_guard',
      'book_transfer_apply',
    ]) {
      this.addSql(`drop function if exists "public_welfare"."${fn}"() cascade;`);
    }
    this.addSql(`drop table if exists "public_welfare"."payment" cascade;`);

    this.addSql(`drop table if exists "public_welfare"."shop_accreditation" cascade;`);

    this.addSql(`alter table "public_welfare"."campaign" drop column "excluded_categories";`);
  }
}
