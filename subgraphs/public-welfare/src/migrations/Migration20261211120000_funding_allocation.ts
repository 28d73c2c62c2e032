import { Migration } from '@mikro-orm/migrations';

const S = '"public_welfare"';

/**
 * How a campaign's reports split its money among its funding sources (issue 19, item 5).
 * Hand-written, like the sources' table (the column is read and written by the funding module's
 * repository, not by the Campaign entity). `PRO_RATA` (every campaign so far): in proportion to
 * the sources' amounts; `PRIORITY`: in the sources' order (`campaign_funding_source.position`).
 */
export class Migration20261211120000_funding_allocation extends Migration {
  override up(): void {
    this.addSql(`alter table ${S}."campaign"
  add column "funding_allocation" text not null default 'PRO_RATA'
  check ("funding_allocation" in ('PRO_RATA', 'PRIORITY'));`);
  }

  override down(): void {
    this.addSql(`alter table ${S}."campaign" drop column if exists "funding_allocation";`);
  }
}
