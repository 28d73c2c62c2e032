import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261207010000_book } from './Migration20261207010000_book.js';
import { Migration20261207010100_plans } from './Migration20261207010100_plans.js';
import { Migration20261207070000_bonus_conversions } from './Migration20261207070000_bonus_conversions.js';
import { Migration20261207060000_claims } from './Migration20261207060000_claims.js';
import { Migration20261207020000_plan_publication } from './Migration20261207020000_plan_publication.js';
import { Migration20261207030000_enrolment } from './Migration20261207030000_enrolment.js';
import { Migration20261207050000_fringe_benefits } from './Migration20261207050000_fringe_benefits.js';

/** Every migration, in order (explicit so they run from dist and under vitest alike). */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261207010000_book', class: Migration20261207010000_book },
  { name: 'Migration20261207010100_plans', class: Migration20261207010100_plans },
  {
    name: 'Migration20261207070000_bonus_conversions',
    class: Migration20261207070000_bonus_conversions,
  },
  { name: 'Migration20261207060000_claims', class: Migration20261207060000_claims },
  {
    name: 'Migration20261207020000_plan_publication',
    class: Migration20261207020000_plan_publication,
  },
  { name: 'Migration20261207030000_enrolment', class: Migration20261207030000_enrolment },
  {
    name: 'Migration20261207050000_fringe_benefits',
    class: Migration20261207050000_fringe_benefits,
  },
];
