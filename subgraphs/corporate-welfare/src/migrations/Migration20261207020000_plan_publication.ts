import { Migration } from '@mikro-orm/migrations';

const S = '"corporate_welfare"';

/**
 * When HR published a plan: a published plan is still DRAFT (not funded yet) but no longer
 * editable; funding it makes it ACTIVE. Nullable, without a check tying it to the status, so that
 * plans written before it (or by tests, directly) stay valid. And, for a CLOSED plan whose rule
 * is CARRY_OVER, the plan its unspent credit was carried over to (null: none, it went back to the
 * employer).
 */
export class Migration20261207020000_plan_publication extends Migration {
  override up(): void {
    this.addSql(`alter table ${S}."plan" add column "published_at" timestamptz null;`);
    this.addSql(
      `alter table ${S}."plan" add column "carried_over_to" uuid null references ${S}."plan" ("id");`,
    );
    this.addSql(
      `alter table ${S}."plan" add constraint "plan_published_check" check ("published_at" is null or "regulation" is not null);`,
    );
    this.addSql(
      `create index "plan_active_until_idx" on ${S}."plan" ("valid_until") where "status" = 'ACTIVE';`,
    );
  }

  override down(): void {
    this.addSql(`drop index if exists ${S}."plan_active_until_idx";`);
    this.addSql(`alter table ${S}."plan" drop constraint if exists "plan_published_check";`);
    this.addSql(`alter table ${S}."plan" drop column if exists "carried_over_to";`);
    this.addSql(`alter table ${S}."plan" drop column if exists "published_at";`);
  }
}
