import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261124170000_accreditation } from './Migration20261124170000_accreditation.js';
import { Migration20261205100000_offers } from './Migration20261205100000_offers.js';
import { Migration20261205110000_tutoring } from './Migration20261205110000_tutoring.js';
import { Migration20261205130000_offer_bookings } from './Migration20261205130000_offer_bookings.js';
import { Migration20261205140000_catalogue_version } from './Migration20261205140000_catalogue_version.js';
import { Migration20261206150000_audit_log } from './Migration20261206150000_audit_log.js';
import { Migration20261206190000_audit_sealer } from './Migration20261206190000_audit_sealer.js';
import { Migration20261206190000_offer_booking_payable } from './Migration20261206190000_offer_booking_payable.js';
import { Migration20261206200000_tutoring_tariff } from './Migration20261206200000_tutoring_tariff.js';
import { Migration20261207080000_attendance_feed } from './Migration20261207080000_attendance_feed.js';
import { Migration20261208020000_catalogue_synonym } from './Migration20261208020000_catalogue_synonym.js';
import { Migration20261208030000_booking_calendar } from './Migration20261208030000_booking_calendar.js';
import { Migration20261208040000_notification_outbox } from './Migration20261208040000_notification_outbox.js';
import { Migration20261208060000_comune_review } from './Migration20261208060000_comune_review.js';
import { Migration20261209010000_tutoring_offers } from './Migration20261209010000_tutoring_offers.js';
import { Migration20261209020000_catalogue_change } from './Migration20261209020000_catalogue_change.js';
import { Migration20261209021000_drop_sql_search } from './Migration20261209021000_drop_sql_search.js';

/** Every migration, in order (explicit so they run from dist and under vitest alike). */
export const migrationsList: MigrationObject[] = [
  {
    name: 'Migration20261124170000_accreditation',
    class: Migration20261124170000_accreditation,
  },
  {
    name: 'Migration20261205100000_offers',
    class: Migration20261205100000_offers,
  },
  {
    name: 'Migration20261205110000_tutoring',
    class: Migration20261205110000_tutoring,
  },
  {
    name: 'Migration20261205130000_offer_bookings',
    class: Migration20261205130000_offer_bookings,
  },
  {
    name: 'Migration20261205140000_catalogue_version',
    class: Migration20261205140000_catalogue_version,
  },
  { name: 'Migration20261206150000_audit_log', class: Migration20261206150000_audit_log },
  { name: 'Migration20261206190000_audit_sealer', class: Migration20261206190000_audit_sealer },
  {
    name: 'Migration20261206190000_offer_booking_payable',
    class: Migration20261206190000_offer_booking_payable,
  },
  {
    name: 'Migration20261206200000_tutoring_tariff',
    class: Migration20261206200000_tutoring_tariff,
  },
  {
    name: 'Migration20261207080000_attendance_feed',
    class: Migration20261207080000_attendance_feed,
  },
  {
    name: 'Migration20261208020000_catalogue_synonym',
    class: Migration20261208020000_catalogue_synonym,
  },
  {
    name: 'Migration20261208030000_booking_calendar',
    class: Migration20261208030000_booking_calendar,
  },
  {
    name: 'Migration20261208040000_notification_outbox',
    class: Migration20261208040000_notification_outbox,
  },
  {
    name: 'Migration20261208060000_comune_review',
    class: Migration20261208060000_comune_review,
  },
  {
    name: 'Migration20261209010000_tutoring_offers',
    class: Migration20261209010000_tutoring_offers,
  },
  {
    name: 'Migration20261209020000_catalogue_change',
    class: Migration20261209020000_catalogue_change,
  },
  {
    name: 'Migration20261209021000_drop_sql_search',
    class: Migration20261209021000_drop_sql_search,
  },
];
