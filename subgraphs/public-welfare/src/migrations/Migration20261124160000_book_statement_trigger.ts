import { Migration } from '@mikro-orm/migrations';
import { bookStatementTriggerSql } from '@welfare/kit/book';

/**
 * The book's posted transfers update their accounts once per INSERT statement instead of once per
 * row (a whole-campaign top-up moves 10,000 credits out of one fund in one statement). Books
 * created by an earlier `bookMigrationSql` get it here; it is idempotent.
 */
export class Migration20261124160000_book_statement_trigger extends Migration {
  override up(): void {
    for (const sql of bookStatementTriggerSql('public_welfare')) this.addSql(sql);
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
