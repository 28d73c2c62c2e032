import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261207010000_book } from './Migration20261207010000_book.js';
import { Migration20261207010100_plans } from './Migration20261207010100_plans.js';
// cw-employee
import { Migration20261207050000_fringe_benefits } from './Migration20261207050000_fringe_benefits.js';

/** Every migration, in order (explicit so they run from dist and under vitest alike). */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261207010000_book', class: Migration20261207010000_book },
  { name: 'Migration20261207010100_plans', class: Migration20261207010100_plans },
  // cw-employee
  {
    name: 'Migration20261207050000_fringe_benefits',
    class: Migration20261207050000_fringe_benefits,
  },
];
