import { Migration } from '@mikro-orm/migrations';

/**
 * The attendance feed of the IES circuits (attendances marked PRESENT, in the order of their
 * marking): an index on the marking time and id of the bookings marked PRESENT. Hand-written.
 */
export class Migration20261207080000_attendance_feed extends Migration {
  override up(): void {
    this.addSql(`create index "tutoring_booking_present_feed_idx"
  on "third_sector"."tutoring_booking" ("attendance_marked_at", "id")
  where "attendance" = 'PRESENT' and "status" = 'SEATED';`);
  }

  override down(): void {
    this.addSql(`drop index if exists "third_sector"."tutoring_booking_present_feed_idx";`);
  }
}
