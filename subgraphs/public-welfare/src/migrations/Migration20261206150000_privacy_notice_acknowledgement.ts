import { Migration } from '@mikro-orm/migrations';

/**
 * The privacy notice acknowledged with each application (hand-written, issue 14): applying no
 * longer asks for a consent (the legal basis is the Comune's public task, GDPR art. 6(1)(e)) but
 * records which version of the citizens' notice was acknowledged, by whom (the citizen, or the
 * operator applying on their behalf) and when. The three are set together or not at all; earlier
 * applications keep them null (nothing was recorded then).
 */
export class Migration20261206150000_privacy_notice_acknowledgement extends Migration {
  override up(): void {
    this.addSql(`alter table "public_welfare"."application"
      add column "privacy_notice_version" text null,
      add column "privacy_notice_acknowledged_by" uuid null,
      add column "privacy_notice_acknowledged_at" timestamptz null,
      add constraint "application_privacy_notice_check" check (
        ("privacy_notice_version" is null) = ("privacy_notice_acknowledged_by" is null)
        and ("privacy_notice_version" is null) = ("privacy_notice_acknowledged_at" is null)
        and ("privacy_notice_version" is null or length("privacy_notice_version") between 1 and 40)
      );`);
  }

  override down(): void {
    this.addSql(`alter table "public_welfare"."application"
      drop constraint if exists "application_privacy_notice_check",
      drop column if exists "privacy_notice_version",
      drop column if exists "privacy_notice_acknowledged_by",
      drop column if exists "privacy_notice_acknowledged_at";`);
  }
}
