import { Migration } from '@mikro-orm/migrations';

/**
 * A tutoring programme's hourly tariff (euro cents per hour of tutor time delivered), null until
 * the Comune sets it: the delivered hours of the attendance register become statements in the
 * Comune's reimbursement batches at this tariff. Bounded like the service (1 to 100,000 cents).
 * Hand-written.
 */
export class Migration20261206200000_tutoring_tariff extends Migration {
  override up(): void {
    this.addSql(
      `alter table "third_sector"."tutoring_programme" add column "hourly_tariff_cents" int null;`,
    );
    this.addSql(`alter table "third_sector"."tutoring_programme"
  add constraint "tutoring_programme_tariff_check"
  check ("hourly_tariff_cents" is null or ("hourly_tariff_cents" between 1 and 100000));`);
  }

  override down(): void {
    this.addSql(
      `alter table "third_sector"."tutoring_programme" drop column "hourly_tariff_cents";`,
    );
  }
}
