import { Migration } from '@mikro-orm/migrations';

/**
 * The third-sector service categories a campaign's credit can pay for (hand-written).
 * - `campaign.service_categories`: `OfferCategory` values (the third-sector taxonomy, declared in
 *   this subgraph too; the service drops duplicates); empty by default, so existing campaigns cover nothing.
 * - A partial index for `Offer.coveredByCampaigns`: the campaigns of a Comune that name at least
 *   one category and are not drafts, by the end of their spending window.
 */
export class Migration20261205120000_campaign_service_categories extends Migration {
  override up(): void {
    this.addSql(`alter table "public_welfare"."campaign"
      add column "service_categories" text[] not null default '{}',
      add constraint "campaign_service_categories_check" check (
        "service_categories" <@ array['EDUCATION','CHILDCARE','ELDERLY_CARE','DISABILITY','HEALTH','SPORT','CULTURE','EMPLOYMENT','HOME_SERVICES','OTHER']::text[]
        and array_position("service_categories", null) is null
      );`);
    this.addSql(
      `create index "campaign_service_coverage_index" on "public_welfare"."campaign" ("comune_id", "spending_until") where "status" <> 'DRAFT' and cardinality("service_categories") > 0;`,
    );
  }

  override down(): void {
    this.addSql(`drop index if exists "public_welfare"."campaign_service_coverage_index";`);
    this.addSql(
      `alter table "public_welfare"."campaign" drop constraint if exists "campaign_service_categories_check", drop column if exists "service_categories";`,
    );
  }
}
