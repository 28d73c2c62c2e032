import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261206190643_init } from './Migration20261206190643_init.js';

/** Every migration, in order (explicit so they run from dist and under vitest alike). */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261206190643_init', class: Migration20261206190643_init },
];
