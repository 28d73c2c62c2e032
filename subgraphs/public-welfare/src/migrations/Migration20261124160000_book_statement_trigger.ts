import { Migration } from '@mikro-orm/migrations';

const BOOK_SQL: readonly string[] = [
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
];

/**
 * The book's posted transfers update their accounts once per INSERT statement instead of once per
 * row (a whole-campaign top-up moves 10,000 credits out of one fund in one statement). Books
 * created by an earlier `bookMigrationSql` get it here; it is idempotent. The SQL is what the kit's
 * `bookStatementTriggerSql('public_welfare')` produced when this migration was written, frozen.
 */
export class Migration20261124160000_book_statement_trigger extends Migration {
  override up(): void {
    for (const sql of BOOK_SQL) this.addSql(sql);
  }

  override down(): void {
    this.addSql(
      `drop trigger if exists "book_transfer_apply_posted" on "public_welfare"."book_transfer";`,
    );
    this.addSql(`drop function if exists "public_welfare"."book_transfer_apply_posted"();`);
    this.addSql(
      `drop trigger if exists "book_transfer_apply" on "public_welfare"."book_transfer";`,
    );
    this
      .addSql(`create trigger "book_transfer_apply" after insert on "public_welfare"."book_transfer"
  for each row execute function "public_welfare"."book_transfer_apply"();`);
  }
}
