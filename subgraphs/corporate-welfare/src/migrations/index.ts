import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261207010000_book } from './Migration20261207010000_book.js';
import { Migration20261207010100_plans } from './Migration20261207010100_plans.js';
// cw-enrolment
import { Migration20261207030000_enrolment } from './Migration20261207030000_enrolment.js';

/** Every migration, in order (explicit so they run from dist and under vitest alike). */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261207010000_book', class: Migration20261207010000_book },
  { name: 'Migration20261207010100_plans', class: Migration20261207010100_plans },
  // cw-enrolment
  { name: 'Migration20261207030000_enrolment', class: Migration20261207030000_enrolment },
];
