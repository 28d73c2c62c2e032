import { Migration } from '@mikro-orm/migrations';

/**
 * Measures decided outside the platform (issue 19, item 5): an application records where it
 * came from. `PORTAL` (every earlier row): a citizen or an operator on their behalf applied;
 * `DIRECT_LIST`: the Comune imported a list of beneficiaries it had decided elsewhere (a council
 * resolution, a national list such as IDPay's), and the row is an APPROVED entitlement with the
 * list's reason (in `decision_reason`), no draft and no household facts. The database keeps
 * such a row APPROVED with an amount and a reason.
 */
export class Migration20261210110000_direct_list extends Migration {
  override up(): void {
    this.addSql(`alter table "public_welfare"."application"
      add column "origin" text not null default 'PORTAL',
      add constraint "application_origin_check" check ("origin" in ('PORTAL', 'DIRECT_LIST')),
      add constraint "application_direct_list_check" check (
        "origin" <> 'DIRECT_LIST' or ("status" = 'APPROVED' and "amount_cents" > 0
          and "decision_reason" is not null)
      );`);
  }

  override down(): void {
    this.addSql(`alter table "public_welfare"."application"
      drop constraint if exists "application_direct_list_check",
      drop constraint if exists "application_origin_check",
      drop column if exists "origin";`);
  }
}
