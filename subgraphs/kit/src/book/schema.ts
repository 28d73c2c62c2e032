/**
 * The tables, constraints and triggers of a double-entry book inside one subgraph's schema.
 *
 * The model (after TigerBeetle):
 * - `book_account`: one row per account, with four running totals in cents (debits and credits,
 *   posted and pending). The balance is `credits - debits`; the available balance is
 *   `credits_posted - debits_posted - debits_pending`. Only an `ISSUER` account may have
 *   `allow_negative`; every other account's available balance is kept >= 0 by a CHECK constraint.
 * - `book_transfer`: append-only. Three shapes of row:
 *   - a single-phase transfer: `status = 'POSTED'`, no `pending_id`, no `expires_at`;
 *   - a hold (first phase): inserted `PENDING`, with `expires_at`, no `pending_id`;
 *   - a resolution (second phase): `pending_id` names the hold, `status` is `POSTED` (amount <= held),
 *     `VOIDED` or `EXPIRED` (amount = held), no `expires_at`. `UNIQUE (pending_id)`: a hold is
 *     resolved once, whoever races (post, void, expiry).
 *   The one update ever made to a transfer is a hold's `status` going from `PENDING` to the status of
 *   its resolution, done by the trigger that inserts the resolution. Everything else is refused.
 * - The account totals are maintained only by the `AFTER INSERT` trigger on `book_transfer`; a
 *   guard trigger refuses any other change to them (and any update of an account's identity), so the
 *   invariants hold for raw SQL too: a transfer that would overdraw an account fails the CHECK.
 *
 * - Hot accounts (`book_account.hot`, see `bookHotSql`): an account credited by many concurrent
 *   transfers (a big shop, credited by every card payment of a campaign) does not take its row for
 *   a posted credit. The credit is appended to `book_pending_credit` instead, and folded into
 *   `credits_posted` later by `book_fold(account)` (a periodic job, and before every debit or hold
 *   from that account). Its `credits_posted` is then the row's plus its pending credits: every read
 *   of the kit counts both.
 *
 * What the triggers cannot stop: the schema's owner disabling triggers or dropping constraints (DDL).
 * The guards recognise the book's own trigger by `pg_trigger_depth() > 1`, so a trigger someone adds
 * on another table could also write the totals: review the migrations of a schema holding a book.
 */

/** The largest amount of one transfer, in cents (10 billion euros). */
export const BOOK_MAX_AMOUNT = 1_000_000_000_000;

/** The kind of the one account allowed to go below zero: the issuer of the money. */
export const ISSUER_KIND = 'ISSUER';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

/** Validates a schema name and returns it double-quoted. */
export function quoteSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`Bad schema name: ${schema}`);
  return `"${schema}"`;
}

/**
 * The SQL statements that create the current book in `schema` (which must exist: `migrate`
 * creates it). For WRITING a new subgraph migration: print them once and paste them into the
 * migration as literal strings (one `addSql` each); never call this from a migration, so that a
 * later change of the kit cannot rewrite a migration already applied. A change of the book's schema
 * comes with the SQL that brings existing books to it (like `bookOwnerSql`, `bookHotSql`). No statement contains
 * `?`, so MikroORM's query formatting leaves them intact.
 *
 * Long because it is the whole book's DDL (tables, indexes, triggers), read top to bottom.
 */
export function bookMigrationSql(schema: string): string[] {
  const s = quoteSchema(schema);
  const account = `${s}.book_account`;
  const transfer = `${s}.book_transfer`;
  return [
    `create table ${account} (
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
  constraint book_account_allow_negative_check check (not allow_negative or kind = '${ISSUER_KIND}'),
  constraint book_account_totals_check check (
    debits_posted >= 0 and credits_posted >= 0 and debits_pending >= 0 and credits_pending >= 0
  ),
  constraint book_account_available_check check (
    allow_negative or credits_posted - debits_posted - debits_pending >= 0
  )
)`,
    `create table ${transfer} (
  id uuid primary key,
  seq bigint generated always as identity,
  debit_account_id uuid not null references ${account} (id),
  credit_account_id uuid not null references ${account} (id),
  amount bigint not null,
  status text not null,
  pending_id uuid references ${transfer} (id),
  expires_at timestamptz,
  code text,
  reference text,
  created_at timestamptz not null default now(),
  constraint book_transfer_seq_key unique (seq),
  constraint book_transfer_pending_key unique (pending_id),
  constraint book_transfer_accounts_check check (debit_account_id <> credit_account_id),
  constraint book_transfer_amount_check check (amount > 0 and amount <= ${BOOK_MAX_AMOUNT}),
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
    `create index book_transfer_debit_idx on ${transfer} (debit_account_id, seq)`,
    `create index book_transfer_credit_idx on ${transfer} (credit_account_id, seq)`,
    `create index book_transfer_pending_expiry_idx on ${transfer} (expires_at) where status = 'PENDING'`,

    // Deletes and truncation are refused on both tables.
    `create function ${s}.book_refuse() returns trigger language plpgsql as $book$
begin
  raise exception using
    errcode = 'restrict_violation',
    message = format('book: %s on %s is not allowed (the book is append-only)', TG_OP, TG_TABLE_NAME);
end
$book$`,

    // Accounts open with zero totals; afterwards only the transfer trigger changes the totals, and
    // nothing changes an account's id, code, kind, allow_negative or created_at.
    `create function ${s}.book_account_guard() returns trigger language plpgsql as $book$
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
    `create trigger book_account_guard before insert or update on ${account}
  for each row execute function ${s}.book_account_guard()`,
    `create trigger book_account_no_delete before delete on ${account}
  for each row execute function ${s}.book_refuse()`,
    `create trigger book_account_no_truncate before truncate on ${account}
  for each statement execute function ${s}.book_refuse()`,

    // The one update allowed on a transfer: a hold's status, from PENDING to its final status, made by
    // the trigger that inserts the resolution.
    `create function ${s}.book_transfer_guard() returns trigger language plpgsql as $book$
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
    `create trigger book_transfer_guard before update on ${transfer}
  for each row execute function ${s}.book_transfer_guard()`,
    `create trigger book_transfer_no_delete before delete on ${transfer}
  for each row execute function ${s}.book_refuse()`,
    `create trigger book_transfer_no_truncate before truncate on ${transfer}
  for each statement execute function ${s}.book_refuse()`,

    // The only writer of the account totals. An AFTER trigger, so that an INSERT ... ON CONFLICT DO
    // NOTHING that finds the id already there has no effect at all.
    `create function ${s}.book_transfer_apply() returns trigger language plpgsql as $book$
declare
  hold ${transfer}%rowtype;
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
    select * into hold from ${transfer} where id = NEW.pending_id for no key update;
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
    update ${transfer} set status = NEW.status where id = hold.id;
  end if;
  -- Both accounts locked in id order, so that concurrent transfers never deadlock on them. NO KEY
  -- UPDATE, not UPDATE: the foreign-key checks of concurrent inserts hold KEY SHARE locks on the
  -- same accounts, which FOR UPDATE would wait for (a deadlock), and the update needs no more.
  perform 1 from ${account}
    where id in (NEW.debit_account_id, NEW.credit_account_id) order by id for no key update;
  update ${account}
    set debits_posted = debits_posted + posted, debits_pending = debits_pending + pending - released
    where id = NEW.debit_account_id;
  update ${account}
    set credits_posted = credits_posted + posted, credits_pending = credits_pending + pending - released
    where id = NEW.credit_account_id;
  return null;
end
$book$`,
    `create trigger book_transfer_apply after insert on ${transfer}
  for each row execute function ${s}.book_transfer_apply()`,
    // Then the posted single-phase transfers move to one trigger per statement (see below).
    ...bookStatementTriggerSql(schema),
    ...bookOwnerSql(schema),
    ...bookHotSql(schema),

    `comment on table ${account} is 'Double-entry book: accounts; totals in cents, maintained by the transfer trigger only'`,
    `comment on table ${transfer} is 'Double-entry book: transfers, append-only; id chosen by the client (idempotency key)'`,
  ];
}

/**
 * Moves the totals of posted single-phase transfers (no hold, no resolution) from the per-row
 * trigger to one trigger per INSERT statement, which updates each account once with the sum of
 * its rows: a batch of 10,000 transfers out of one fund then updates the fund's row once instead of
 * 10,000 times in one transaction (each update of the same row slower than the last). Holds and
 * their resolutions keep the per-row trigger. The no-overdraft check (the account's CHECK) then
 * applies to each account's debits of the statement as a whole: `Book.transferMany` checks them
 * before inserting. Idempotent (it is already part of `bookMigrationSql`). Like `bookMigrationSql`,
 * for writing a migration's literal SQL, not for calling from one. `bookHotSql` (which comes after
 * it) replaces both trigger functions with their hot-aware versions: never apply this one to a book
 * that has hot accounts.
 */
export function bookStatementTriggerSql(schema: string): string[] {
  const s = quoteSchema(schema);
  const account = `${s}.book_account`;
  const transfer = `${s}.book_transfer`;
  return [
    `drop trigger if exists book_transfer_apply on ${transfer}`,
    `create trigger book_transfer_apply after insert on ${transfer}
  for each row when (NEW.pending_id is not null or NEW.expires_at is not null)
  execute function ${s}.book_transfer_apply()`,
    `create or replace function ${s}.book_transfer_apply_posted() returns trigger language plpgsql as $book$
begin
  -- Every account the statement moves, locked in id order (as the per-row trigger does).
  perform 1 from ${account}
    where id in (
      select debit_account_id from moved where pending_id is null and expires_at is null
      union
      select credit_account_id from moved where pending_id is null and expires_at is null
    )
    order by id for no key update;
  update ${account} a set debits_posted = a.debits_posted + d.total
    from (select debit_account_id as id, sum(amount) as total from moved
           where pending_id is null and expires_at is null group by debit_account_id) d
    where a.id = d.id;
  update ${account} a set credits_posted = a.credits_posted + c.total
    from (select credit_account_id as id, sum(amount) as total from moved
           where pending_id is null and expires_at is null group by credit_account_id) c
    where a.id = c.id;
  return null;
end
$book$`,
    `drop trigger if exists book_transfer_apply_posted on ${transfer}`,
    `create trigger book_transfer_apply_posted after insert on ${transfer}
  referencing new table as moved
  for each statement execute function ${s}.book_transfer_apply_posted()`,
  ];
}

/** The longest owner kind, and the longest owner id or scope id, in characters. */
export const OWNER_KIND_MAX = 50;
export const OWNER_ID_MAX = 200;

/**
 * The owner of each account, in columns that are indexed, for totals and look-ups by owner without
 * parsing codes: `owner_kind` (what owns it: `card`, `shop`, `campaign`, `comune`, `employee`...),
 * `owner_id` (its id), and an optional second dimension `scope_id` (e.g. the campaign of a card's
 * account, the employer of an employee's). Both null for an account opened without an owner; an
 * ownerless account may be given its owner once (by `Book.openAccount` naming it), otherwise the
 * owner never changes. Brings a book created before owners to the current schema (it is part of
 * `bookMigrationSql`); the existing accounts' owners are the migration's to fill, from their
 * codes. For writing a migration's literal SQL, not for calling from one.
 */
export function bookOwnerSql(schema: string): string[] {
  const s = quoteSchema(schema);
  const account = `${s}.book_account`;
  return [
    `alter table ${account}
  add column owner_kind text,
  add column owner_id text,
  add column scope_id text`,
    `create or replace function ${s}.book_account_guard() returns trigger language plpgsql as $book$
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
    `alter table ${account}
  add constraint book_account_owner_check check (
    (owner_kind is null) = (owner_id is null) and (scope_id is null or owner_kind is not null)
  ),
  add constraint book_account_owner_kind_check check (
    owner_kind is null or length(owner_kind) between 1 and ${OWNER_KIND_MAX}
  ),
  add constraint book_account_owner_id_check check (
    owner_id is null or length(owner_id) between 1 and ${OWNER_ID_MAX}
  ),
  add constraint book_account_scope_id_check check (
    scope_id is null or length(scope_id) between 1 and ${OWNER_ID_MAX}
  )`,
    `create index book_account_owner_idx on ${account} (owner_kind, owner_id, scope_id)`,
    `create index book_account_scope_idx on ${account} (owner_kind, scope_id, owner_id)
  where scope_id is not null`,
  ];
}

/**
 * The transaction-local setting `book_fold` sets while it deletes pending credits: the one delete
 * of `book_pending_credit` its guard lets through.
 */
export const BOOK_FOLD_SETTING = 'book.fold';

/**
 * Hot accounts: "append the postings and aggregate them". A hot account (`book_account.hot`) is
 * credited by many concurrent transfers (a big shop, credited by every card payment of a campaign);
 * a posted credit to it does not take or update its row, which would make every payment to it wait
 * for the one before to commit. Instead:
 * - a POSTED credit to a hot account (a single-phase transfer, or the post of a hold) is appended to
 *   `book_pending_credit` (one row per transfer) by the transfer triggers, which lock only the other
 *   accounts. A hold INTO a hot account, and its resolution, still update the row's
 *   `credits_pending` under its lock as before: only posted credits are the hot path;
 * - `book_fold(account)` folds them: it locks the account row, deletes its pending credits (the ones
 *   it can see: those committed, and the caller's own) and, in the same statement, the delete's
 *   trigger adds their sum to `credits_posted`. The credits of transactions not yet committed are
 *   invisible to the delete and folded by a later fold: nothing is counted twice or lost. A payment
 *   never waits for a fold (the foreign keys of its rows take KEY SHARE locks, which FOR NO KEY UPDATE
 *   does not block) and a fold never waits for a payment (it skips rows it cannot see);
 * - whatever can lower a hot account's available balance (a posted debit, a new hold FROM it) folds
 *   it first, under its lock, so that the CHECK of the row counts every committed credit. The debit
 *   side is unchanged: the row is locked and updated, the CHECK is the last guard;
 * - every read of the kit counts a hot account's credits as `credits_posted` plus its pending
 *   credits, so a credit is in every balance as soon as it commits, folded or not.
 *
 * `book_pending_credit` is written only by the book: an insert only from the transfer triggers
 * (`pg_trigger_depth() > 1`), no update, no truncation, and a delete only from `book_fold`, which
 * runs with the transaction-local setting `book.fold = on` (a function-level SET: restored when it
 * returns). The setting is a discipline, not the safeguard: whoever deletes pending credits, with
 * or without it, the AFTER DELETE trigger adds what they held to their accounts' `credits_posted` in
 * the same statement, so no delete can take money out of the book.
 *
 * An account is made hot when opened (`hot: true`) or later, once (the account guard lets `hot` go
 * from false to true, nothing else changing with it); never back: a cold account's debits do not
 * fold, and its pending credits (none, as it was hot) would wait. A concurrent transfer that read
 * the account cold and locked it finishes first (making it hot is an update of its row).
 *
 * Brings a book created before hot accounts to the current schema (it is part of
 * `bookMigrationSql`); it replaces the trigger functions of `bookMigrationSql`,
 * `bookStatementTriggerSql` and `bookOwnerSql` with their hot-aware versions. For writing a
 * migration's literal SQL, not for calling from one.
 *
 * Long because it is one schema change's DDL (the pending credits, the hot-aware triggers), read
 * top to bottom.
 */
export function bookHotSql(schema: string): string[] {
  const s = quoteSchema(schema);
  const account = `${s}.book_account`;
  const transfer = `${s}.book_transfer`;
  const pending = `${s}.book_pending_credit`;
  const single = `pending_id is null and expires_at is null`;
  return [
    `alter table ${account} add column hot boolean not null default false`,
    `create table ${pending} (
  transfer_id uuid primary key references ${transfer} (id),
  account_id uuid not null references ${account} (id),
  amount bigint not null,
  constraint book_pending_credit_amount_check check (amount > 0 and amount <= ${BOOK_MAX_AMOUNT})
)`,
    `create index book_pending_credit_account_idx on ${pending} (account_id)`,

    // The guard of the accounts, now with `hot`: it is an identity column for the book's own
    // triggers, and may be switched on once.
    `create or replace function ${s}.book_account_guard() returns trigger language plpgsql as $book$
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

    // Pending credits: inserted by the transfer triggers only, deleted by book_fold only.
    `create function ${s}.book_pending_credit_guard() returns trigger language plpgsql as $book$
begin
  if TG_OP = 'INSERT' and pg_trigger_depth() > 1 then
    return null;
  end if;
  if TG_OP = 'DELETE' and current_setting('${BOOK_FOLD_SETTING}', true) = 'on' then
    return null;
  end if;
  raise exception using
    errcode = 'restrict_violation',
    message = format('book: %s on %s is not allowed (pending credits are written by transfers and removed by book_fold)',
      TG_OP, TG_TABLE_NAME);
end
$book$`,
    `create trigger book_pending_credit_guard before insert or delete on ${pending}
  for each statement execute function ${s}.book_pending_credit_guard()`,
    `create trigger book_pending_credit_no_update before update on ${pending}
  for each row execute function ${s}.book_refuse()`,
    `create trigger book_pending_credit_no_truncate before truncate on ${pending}
  for each statement execute function ${s}.book_refuse()`,

    // Whatever leaves book_pending_credit reaches its account's credits_posted, in the same statement.
    `create function ${s}.book_pending_credit_fold() returns trigger language plpgsql as $book$
begin
  perform 1 from ${account} where id in (select account_id from folded) order by id for no key update;
  update ${account} a set credits_posted = a.credits_posted + f.total
    from (select account_id, sum(amount) as total from folded group by account_id) f
    where a.id = f.account_id;
  return null;
end
$book$`,
    `create trigger book_pending_credit_fold after delete on ${pending}
  referencing old table as folded
  for each statement execute function ${s}.book_pending_credit_fold()`,

    // Folds an account's pending credits into its row; returns the cents folded.
    `create function ${s}.book_fold(account uuid) returns bigint language plpgsql
  set ${BOOK_FOLD_SETTING} = 'on' as $book$
declare
  folded bigint;
begin
  -- The account's row first: folds of one account queue here (a credit never takes it).
  perform 1 from ${account} where id = account for no key update;
  with gone as (delete from ${pending} where account_id = account returning amount)
    select coalesce(sum(amount), 0) into folded from gone;
  return folded;
end
$book$`,

    // The per-row trigger (holds and their resolutions), hot-aware.
    `create or replace function ${s}.book_transfer_apply() returns trigger language plpgsql as $book$
declare
  hold ${transfer}%rowtype;
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
    select * into hold from ${transfer} where id = NEW.pending_id for no key update;
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
    update ${transfer} set status = NEW.status where id = hold.id;
  end if;
  -- The accounts locked in id order, so that concurrent transfers never deadlock on them. NO KEY
  -- UPDATE, not UPDATE: the foreign-key checks of concurrent inserts hold KEY SHARE locks on the
  -- same accounts, which FOR UPDATE would wait for (a deadlock), and the update needs no more. A hot
  -- credit account is left unlocked when only a posted credit reaches it (appended below).
  perform 1 from ${account}
    where id in (NEW.debit_account_id, NEW.credit_account_id)
      and (id = NEW.debit_account_id or not hot or pending <> 0 or released <> 0)
    order by id for no key update;
  select hot into debit_hot from ${account} where id = NEW.debit_account_id;
  select hot into credit_hot from ${account} where id = NEW.credit_account_id;
  -- What a hot debit account can spend may drop (a posted debit, a new hold): every committed
  -- credit is folded into its row first, for its CHECK. A post or void only gives back.
  if debit_hot and posted + pending > released then
    perform ${s}.book_fold(NEW.debit_account_id);
  end if;
  update ${account}
    set debits_posted = debits_posted + posted, debits_pending = debits_pending + pending - released
    where id = NEW.debit_account_id;
  if credit_hot and posted > 0 then
    insert into ${pending} (transfer_id, account_id, amount)
      values (NEW.id, NEW.credit_account_id, posted);
    posted := 0;
  end if;
  if posted <> 0 or pending <> released then
    update ${account}
      set credits_posted = credits_posted + posted, credits_pending = credits_pending + pending - released
      where id = NEW.credit_account_id;
  end if;
  return null;
end
$book$`,

    // The statement trigger (posted single-phase transfers), hot-aware.
    `create or replace function ${s}.book_transfer_apply_posted() returns trigger language plpgsql as $book$
declare
  hot_debit uuid;
begin
  -- The accounts the statement debits, and those it credits that are not hot, locked in id order
  -- (as the per-row trigger does). A hot account's credits are appended below, without its row.
  perform 1 from ${account} a
    where a.id in (
      select debit_account_id from moved where ${single}
      union
      select credit_account_id from moved where ${single}
    )
      and (not a.hot or a.id in (select debit_account_id from moved where ${single}))
    order by a.id for no key update;
  -- A hot account the statement debits: every committed credit folded into its row first.
  for hot_debit in
    select a.id from ${account} a
      where a.hot and a.id in (select debit_account_id from moved where ${single})
      order by a.id
  loop
    perform ${s}.book_fold(hot_debit);
  end loop;
  update ${account} a set debits_posted = a.debits_posted + d.total
    from (select debit_account_id as id, sum(amount) as total from moved
           where ${single} group by debit_account_id) d
    where a.id = d.id;
  update ${account} a set credits_posted = a.credits_posted + c.total
    from (select credit_account_id as id, sum(amount) as total from moved
           where ${single} group by credit_account_id) c
    where a.id = c.id and not a.hot;
  insert into ${pending} (transfer_id, account_id, amount)
    select m.id, m.credit_account_id, m.amount
      from moved m join ${account} a on a.id = m.credit_account_id
     where m.pending_id is null and m.expires_at is null and a.hot;
  return null;
end
$book$`,

    `comment on table ${pending} is 'Double-entry book: posted credits of hot accounts not yet folded into book_account.credits_posted (see book_fold)'`,
  ];
}

/**
 * A reserve: for a book whose money is backed one to one by euro held elsewhere (in a bank
 * account), so that "the money in circulation equals the euro reserve" is enforced by the
 * database, whatever SQL runs. Every POSTED transfer that moves an `ISSUER` account (a single-phase
 * transfer, or the post of a hold: as inserted, so not a hold itself, nor a void or an expiry) comes
 * with exactly one row of `book_reserve_entry`, in the same transaction:
 * - the issuer debited (money issued against euro received): `amount = +transfer.amount`;
 * - the issuer credited (money destroyed against euro paid out): `amount = -transfer.amount`;
 * with `reference` naming the euro movement (a bank transfer, a payment id). Two deferred
 * constraint triggers check it at commit, both ways: a posted issuer transfer without its entry,
 * and an entry that is not its transfer's (no such posted transfer, another amount, an account that
 * is not the transfer's issuer side), each fail the commit with `check_violation`. So for every
 * issuer account `sum(book_reserve_entry.amount) = debits_posted - credits_posted` (its credits not
 * yet folded counted, when it is hot). A transfer between two issuer accounts is refused (it would
 * need two entries). Entries are append-only (no update, delete or truncation).
 *
 * Optional: for the books that need it, after `bookMigrationSql` (and before their issuers move
 * money: the past transfers of an issuer have no entry, unless the same migration inserts them,
 * each checked by the entry's trigger). Like `bookMigrationSql`, for writing a migration's literal
 * SQL (one `addSql` each), never called from one; no statement contains `?`. Used by
 * `new Book(schema, { reserve: true })`.
 */
export function bookReserveSql(schema: string): string[] {
  const s = quoteSchema(schema);
  const account = `${s}.book_account`;
  const transfer = `${s}.book_transfer`;
  const entry = `${s}.book_reserve_entry`;
  return [
    `create table ${entry} (
  transfer_id uuid primary key references ${transfer} (id),
  issuer_account_id uuid not null references ${account} (id),
  amount bigint not null,
  reference text not null,
  created_at timestamptz not null default now(),
  constraint book_reserve_entry_amount_check check (amount <> 0 and abs(amount) <= ${BOOK_MAX_AMOUNT}),
  constraint book_reserve_entry_reference_check check (length(btrim(reference)) between 1 and 500)
)`,
    `create index book_reserve_entry_issuer_idx on ${entry} (issuer_account_id)`,
    `create trigger book_reserve_entry_no_update before update or delete on ${entry}
  for each row execute function ${s}.book_refuse()`,
    `create trigger book_reserve_entry_no_truncate before truncate on ${entry}
  for each statement execute function ${s}.book_refuse()`,

    // At commit: a posted transfer moving an issuer has its entry, of the issuer's side and amount.
    `create function ${s}.book_transfer_reserve_check() returns trigger language plpgsql as $book$
declare
  issuers int;
  issuer uuid;
  wanted bigint;
begin
  select count(*), min(a.id::text)::uuid into issuers, issuer from ${account} a
   where a.id in (NEW.debit_account_id, NEW.credit_account_id) and a.kind = '${ISSUER_KIND}';
  if issuers = 0 then
    return null;
  end if;
  if issuers > 1 then
    raise exception using
      errcode = 'check_violation',
      message = format('book: transfer %s moves two issuers (a reserve entry names one)', NEW.id);
  end if;
  wanted := case when issuer = NEW.debit_account_id then NEW.amount else -NEW.amount end;
  if not exists (select 1 from ${entry} e
                  where e.transfer_id = NEW.id and e.issuer_account_id = issuer and e.amount = wanted) then
    raise exception using
      errcode = 'check_violation',
      message = format('book: transfer %s moves the issuer without its reserve entry', NEW.id);
  end if;
  return null;
end
$book$`,
    `create constraint trigger book_transfer_reserve_check after insert on ${transfer}
  deferrable initially deferred
  for each row when (NEW.status = 'POSTED')
  execute function ${s}.book_transfer_reserve_check()`,

    // At commit: an entry names a posted transfer (as inserted) whose issuer side and amount it has.
    `create function ${s}.book_reserve_entry_check() returns trigger language plpgsql as $book$
declare
  moved ${transfer}%rowtype;
  kind text;
begin
  select * into moved from ${transfer} t where t.id = NEW.transfer_id;
  if not found or moved.status <> 'POSTED' or moved.expires_at is not null then
    raise exception using
      errcode = 'check_violation',
      message = format('book: reserve entry of %s, which is not a posted transfer', NEW.transfer_id);
  end if;
  select a.kind into kind from ${account} a where a.id = NEW.issuer_account_id;
  if kind is distinct from '${ISSUER_KIND}' then
    raise exception using
      errcode = 'check_violation',
      message = format('book: reserve entry of %s names %s, which is not an issuer account',
        NEW.transfer_id, NEW.issuer_account_id);
  end if;
  if not ((NEW.issuer_account_id = moved.debit_account_id and NEW.amount = moved.amount)
       or (NEW.issuer_account_id = moved.credit_account_id and NEW.amount = -moved.amount)) then
    raise exception using
      errcode = 'check_violation',
      message = format('book: reserve entry of %s (%s on %s) is not what its transfer moves',
        NEW.transfer_id, NEW.amount, NEW.issuer_account_id);
  end if;
  return null;
end
$book$`,
    `create constraint trigger book_reserve_entry_check after insert on ${entry}
  deferrable initially deferred
  for each row execute function ${s}.book_reserve_entry_check()`,

    `comment on table ${entry} is 'Double-entry book: the euro reserve behind the issuer accounts; one entry per posted issuer transfer (+ issued, - redeemed), checked at commit'`,
  ];
}
