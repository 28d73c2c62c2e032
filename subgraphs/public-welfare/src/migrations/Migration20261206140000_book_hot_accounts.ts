import { Migration } from '@mikro-orm/migrations';

/**
 * What the kit's `bookHotSql('public_welfare')` produced when this migration was written, frozen:
 * the `hot` column of the accounts, the table of the hot accounts' pending credits, the fold
 * (`book_fold`) and its guards, and the hot-aware versions of the account guard, of the per-row
 * transfer trigger and of the statement trigger (`book_transfer_apply_posted`, from
 * Migration20261124160000_book_statement_trigger).
 */
const BOOK_HOT_SQL: readonly string[] = [
  `alter table "public_welfare".book_account add column hot boolean not null default false`,
  `create table "public_welfare".book_pending_credit (
  transfer_id uuid primary key references "public_welfare".book_transfer (id),
  account_id uuid not null references "public_welfare".book_account (id),
  amount bigint not null,
  constraint book_pending_credit_amount_check check (amount > 0 and amount <= 1000000000000)
)`,
  `create index book_pending_credit_account_idx on "public_welfare".book_pending_credit (account_id)`,
  `create or replace function "public_welfare".book_account_guard() returns trigger language plpgsql as $book$
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
         NEW.owner_kind, NEW.owner_id, NEW.scope_id, NEW.hot)
      is not distinct from (OLD.id, OLD.code, OLD.kind, OLD.allow_negative, OLD.created_at,
         OLD.owner_kind, OLD.owner_id, OLD.scope_id, OLD.hot) then
    return NEW;
  end if;
  -- An account opened without an owner is given one, once; nothing else changes with it.
  if OLD.owner_kind is null and OLD.owner_id is null and OLD.scope_id is null
    and NEW.owner_kind is not null
    and (NEW.id, NEW.code, NEW.kind, NEW.allow_negative, NEW.created_at, NEW.hot, NEW.debits_posted,
         NEW.credits_posted, NEW.debits_pending, NEW.credits_pending)
      is not distinct from (OLD.id, OLD.code, OLD.kind, OLD.allow_negative, OLD.created_at, OLD.hot,
         OLD.debits_posted, OLD.credits_posted, OLD.debits_pending, OLD.credits_pending) then
    return NEW;
  end if;
  -- An account is made hot, once, and never cold again; nothing else changes with it.
  if not OLD.hot and NEW.hot
    and (NEW.id, NEW.code, NEW.kind, NEW.allow_negative, NEW.created_at, NEW.owner_kind,
         NEW.owner_id, NEW.scope_id, NEW.debits_posted, NEW.credits_posted, NEW.debits_pending,
         NEW.credits_pending)
      is not distinct from (OLD.id, OLD.code, OLD.kind, OLD.allow_negative, OLD.created_at,
         OLD.owner_kind, OLD.owner_id, OLD.scope_id, OLD.debits_posted, OLD.credits_posted,
         OLD.debits_pending, OLD.credits_pending) then
    return NEW;
  end if;
  raise exception using
    errcode = 'restrict_violation',
    message = 'book: account totals change only by inserting transfers; accounts are immutable';
end
$book$`,
  `create function "public_welfare".book_pending_credit_guard() returns trigger language plpgsql as $book$
begin
  if TG_OP = 'INSERT' and pg_trigger_depth() > 1 then
    return null;
  end if;
  if TG_OP = 'DELETE' and current_setting('book.fold', true) = 'on' then
    return null;
  end if;
  raise exception using
    errcode = 'restrict_violation',
    message = format('book: %s on %s is not allowed (pending credits are written by transfers and removed by book_fold)',
      TG_OP, TG_TABLE_NAME);
end
$book$`,
  `create trigger book_pending_credit_guard before insert or delete on "public_welfare".book_pending_credit
  for each statement execute function "public_welfare".book_pending_credit_guard()`,
  `create trigger book_pending_credit_no_update before update on "public_welfare".book_pending_credit
  for each row execute function "public_welfare".book_refuse()`,
  `create trigger book_pending_credit_no_truncate before truncate on "public_welfare".book_pending_credit
  for each statement execute function "public_welfare".book_refuse()`,
  `create function "public_welfare".book_pending_credit_fold() returns trigger language plpgsql as $book$
begin
  perform 1 from "public_welfare".book_account where id in (select account_id from folded) order by id for no key update;
  update "public_welfare".book_account a set credits_posted = a.credits_posted + f.total
    from (select account_id, sum(amount) as total from folded group by account_id) f
    where a.id = f.account_id;
  return null;
end
$book$`,
  `create trigger book_pending_credit_fold after delete on "public_welfare".book_pending_credit
  referencing old table as folded
  for each statement execute function "public_welfare".book_pending_credit_fold()`,
  `create function "public_welfare".book_fold(account uuid) returns bigint language plpgsql
  set book.fold = 'on' as $book$
declare
  folded bigint;
begin
  -- The account's row first: folds of one account queue here (a credit never takes it).
  perform 1 from "public_welfare".book_account where id = account for no key update;
  with gone as (delete from "public_welfare".book_pending_credit where account_id = account returning amount)
    select coalesce(sum(amount), 0) into folded from gone;
  return folded;
end
$book$`,
  `create or replace function "public_welfare".book_transfer_apply() returns trigger language plpgsql as $book$
declare
  hold "public_welfare".book_transfer%rowtype;
  posted bigint := 0;
  pending bigint := 0;
  released bigint := 0;
  debit_hot boolean;
  credit_hot boolean;
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
  -- The accounts locked in id order, so that concurrent transfers never deadlock on them. NO KEY
  -- UPDATE, not UPDATE: the foreign-key checks of concurrent inserts hold KEY SHARE locks on the
  -- same accounts, which FOR UPDATE would wait for (a deadlock), and the update needs no more. A hot
  -- credit account is left unlocked when only a posted credit reaches it (appended below).
  perform 1 from "public_welfare".book_account
    where id in (NEW.debit_account_id, NEW.credit_account_id)
      and (id = NEW.debit_account_id or not hot or pending <> 0 or released <> 0)
    order by id for no key update;
  select hot into debit_hot from "public_welfare".book_account where id = NEW.debit_account_id;
  select hot into credit_hot from "public_welfare".book_account where id = NEW.credit_account_id;
  -- What a hot debit account can spend may drop (a posted debit, a new hold): every committed
  -- credit is folded into its row first, for its CHECK. A post or void only gives back.
  if debit_hot and posted + pending > released then
    perform "public_welfare".book_fold(NEW.debit_account_id);
  end if;
  update "public_welfare".book_account
    set debits_posted = debits_posted + posted, debits_pending = debits_pending + pending - released
    where id = NEW.debit_account_id;
  if credit_hot and posted > 0 then
    insert into "public_welfare".book_pending_credit (transfer_id, account_id, amount)
      values (NEW.id, NEW.credit_account_id, posted);
    posted := 0;
  end if;
  if posted <> 0 or pending <> released then
    update "public_welfare".book_account
      set credits_posted = credits_posted + posted, credits_pending = credits_pending + pending - released
      where id = NEW.credit_account_id;
  end if;
  return null;
end
$book$`,
  `create or replace function "public_welfare".book_transfer_apply_posted() returns trigger language plpgsql as $book$
declare
  hot_debit uuid;
begin
  -- The accounts the statement debits, and those it credits that are not hot, locked in id order
  -- (as the per-row trigger does). A hot account's credits are appended below, without its row.
  perform 1 from "public_welfare".book_account a
    where a.id in (
      select debit_account_id from moved where pending_id is null and expires_at is null
      union
      select credit_account_id from moved where pending_id is null and expires_at is null
    )
      and (not a.hot or a.id in (select debit_account_id from moved where pending_id is null and expires_at is null))
    order by a.id for no key update;
  -- A hot account the statement debits: every committed credit folded into its row first.
  for hot_debit in
    select a.id from "public_welfare".book_account a
      where a.hot and a.id in (select debit_account_id from moved where pending_id is null and expires_at is null)
      order by a.id
  loop
    perform "public_welfare".book_fold(hot_debit);
  end loop;
  update "public_welfare".book_account a set debits_posted = a.debits_posted + d.total
    from (select debit_account_id as id, sum(amount) as total from moved
           where pending_id is null and expires_at is null group by debit_account_id) d
    where a.id = d.id;
  update "public_welfare".book_account a set credits_posted = a.credits_posted + c.total
    from (select credit_account_id as id, sum(amount) as total from moved
           where pending_id is null and expires_at is null group by credit_account_id) c
    where a.id = c.id and not a.hot;
  insert into "public_welfare".book_pending_credit (transfer_id, account_id, amount)
    select m.id, m.credit_account_id, m.amount
      from moved m join "public_welfare".book_account a on a.id = m.credit_account_id
     where m.pending_id is null and m.expires_at is null and a.hot;
  return null;
end
$book$`,
  `comment on table "public_welfare".book_pending_credit is 'Double-entry book: posted credits of hot accounts not yet folded into book_account.credits_posted (see book_fold)'`,
];

/**
 * The functions as they were before (the money, statement trigger and owners migrations), for
 * `down`.
 */
const BOOK_BEFORE_HOT_SQL: readonly string[] = [
  `create or replace function "public_welfare".book_account_guard() returns trigger language plpgsql as $book$
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
$book$`,
  `create or replace function "public_welfare".book_transfer_apply() returns trigger language plpgsql as $book$
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
];

/**
 * Hot accounts in the book: a shop's account is credited by every card payment of a campaign,
 * and each payment used to lock and update its row until commit, so that all payments to one shop
 * queued on it. A hot account's posted credits are appended to `book_pending_credit` instead, and
 * folded into its row later (by the kit before any debit from it, such as a void or a
 * reimbursement, and by `Book.fold`); every read of the kit counts them at once. The frozen SQL
 * of the kit's book (above), then every existing shop account made hot (`shop:<accreditation>`,
 * owner kind `shop`): the account guard lets `hot` go from false to true once, alone. New shop
 * accounts are opened hot by `shopAccount`.
 */
export class Migration20261206140000_book_hot_accounts extends Migration {
  override up(): void {
    for (const sql of BOOK_HOT_SQL) this.addSql(sql);
    this.addSql(`update "public_welfare".book_account set hot = true
  where owner_kind = 'shop' or code like 'shop:%'`);
  }

  override down(): void {
    // Every pending credit folded into its account first: no money stays in the table dropped.
    this.addSql(`select "public_welfare".book_fold(account_id)
  from (select distinct account_id from "public_welfare".book_pending_credit order by 1) p`);
    for (const sql of BOOK_BEFORE_HOT_SQL) this.addSql(sql);
    this.addSql(`drop table "public_welfare".book_pending_credit`);
    this.addSql(`drop function "public_welfare".book_fold(uuid)`);
    this.addSql(`drop function "public_welfare".book_pending_credit_fold()`);
    this.addSql(`drop function "public_welfare".book_pending_credit_guard()`);
    this.addSql(`alter table "public_welfare".book_account drop column hot`);
  }
}
