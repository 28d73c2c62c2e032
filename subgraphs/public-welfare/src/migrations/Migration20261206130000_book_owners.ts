import { Migration } from '@mikro-orm/migrations';

/**
 * The owner of each book account in indexed columns (issue 12): `owner_kind`, `owner_id` and
 * `scope_id`, so that public-welfare finds and totals accounts through the kit's book API by owner
 * (a card's accounts, a campaign's cards, a shop) instead of scanning codes with `like`. Frozen
 * SQL: what the kit's `bookOwnerSql('public_welfare')` produced when this migration was written,
 * then the owners of the existing accounts parsed from their codes:
 * `card:<card>:campaign:<campaign>` → ('card', card, campaign), `shop:<accreditation>` → ('shop',
 * accreditation), `campaign:<campaign>:fund` → ('campaign', campaign), `comune:<comune>:issuer` and
 * `comune:<comune>:settlement` → ('comune', comune). The columns are added without a default and
 * filled by one update per kind of account (the accounts table has one row per card and campaign).
 */
export class Migration20261206130000_book_owners extends Migration {
  override up(): void {
    this.addSql(`alter table "public_welfare".book_account
  add column owner_kind text,
  add column owner_id text,
  add column scope_id text`);
    this
      .addSql(`create or replace function "public_welfare".book_account_guard() returns trigger language plpgsql as $book$
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
    and (NEW.id, NEW.code, NEW.kind, NEW.allow_negative, NEW.created_at,
         NEW.owner_kind, NEW.owner_id, NEW.scope_id)
      is not distinct from (OLD.id, OLD.code, OLD.kind, OLD.allow_negative, OLD.created_at,
         OLD.owner_kind, OLD.owner_id, OLD.scope_id) then
    return NEW;
  end if;
  -- An account opened without an owner is given one, once; nothing else changes with it.
  if OLD.owner_kind is null and OLD.owner_id is null and OLD.scope_id is null
    and NEW.owner_kind is not null
    and (NEW.id, NEW.code, NEW.kind, NEW.allow_negative, NEW.created_at, NEW.debits_posted,
         NEW.credits_posted, NEW.debits_pending, NEW.credits_pending)
      is not distinct from (OLD.id, OLD.code, OLD.kind, OLD.allow_negative, OLD.created_at,
         OLD.debits_posted, OLD.credits_posted, OLD.debits_pending, OLD.credits_pending) then
    return NEW;
  end if;
  raise exception using
    errcode = 'restrict_violation',
    message = 'book: account totals change only by inserting transfers; accounts are immutable';
end
$book$`);
    // The owners of the existing accounts, from their codes (the guard above lets an ownerless
    // account be given its owner once).
    this.addSql(`update "public_welfare".book_account
  set owner_kind = 'card', owner_id = split_part(code, ':', 2), scope_id = split_part(code, ':', 4)
  where owner_kind is null and code ~ '^card:[^:]+:campaign:[^:]+$'`);
    this.addSql(`update "public_welfare".book_account
  set owner_kind = 'shop', owner_id = substr(code, 6)
  where owner_kind is null and code ~ '^shop:[^:]+$'`);
    this.addSql(`update "public_welfare".book_account
  set owner_kind = 'campaign', owner_id = split_part(code, ':', 2)
  where owner_kind is null and code ~ '^campaign:[^:]+:fund$'`);
    this.addSql(`update "public_welfare".book_account
  set owner_kind = 'comune', owner_id = split_part(code, ':', 2)
  where owner_kind is null and code ~ '^comune:[^:]+:(issuer|settlement)$'`);
    this.addSql(`alter table "public_welfare".book_account
  add constraint book_account_owner_check check (
    (owner_kind is null) = (owner_id is null) and (scope_id is null or owner_kind is not null)
  ),
  add constraint book_account_owner_kind_check check (
    owner_kind is null or length(owner_kind) between 1 and 50
  ),
  add constraint book_account_owner_id_check check (
    owner_id is null or length(owner_id) between 1 and 200
  ),
  add constraint book_account_scope_id_check check (
    scope_id is null or length(scope_id) between 1 and 200
  )`);
    this.addSql(
      `create index book_account_owner_idx on "public_welfare".book_account (owner_kind, owner_id, scope_id)`,
    );
    this
      .addSql(`create index book_account_scope_idx on "public_welfare".book_account (owner_kind, scope_id, owner_id)
  where scope_id is not null`);
  }

  override down(): void {
    this.addSql(`drop index if exists "public_welfare".book_account_scope_idx`);
    this.addSql(`drop index if exists "public_welfare".book_account_owner_idx`);
    this.addSql(`alter table "public_welfare".book_account
  drop constraint book_account_owner_check,
  drop constraint book_account_owner_kind_check,
  drop constraint book_account_owner_id_check,
  drop constraint book_account_scope_id_check`);
    this
      .addSql(`create or replace function "public_welfare".book_account_guard() returns trigger language plpgsql as $book$
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
$book$`);
    this.addSql(`alter table "public_welfare".book_account
  drop column owner_kind,
  drop column owner_id,
  drop column scope_id`);
  }
}
