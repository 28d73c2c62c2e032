import { Migration } from '@mikro-orm/migrations';

const S = '"payments"';

/** Why a refund was given (the provider's admin writes it in the portal): optional, kept with it. */
export class Migration20261206220000_refund_reason extends Migration {
  override up(): void {
    this.addSql(
      `alter table ${S}."checkout_refund" add column "reason" text null check (length("reason") between 1 and 500);`,
    );
  }

  override down(): void {
    this.addSql(`alter table ${S}."checkout_refund" drop column if exists "reason";`);
  }
}
