import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261124170000_accreditation } from './Migration20261124170000_accreditation.js';

/** Every migration, in order (explicit so they run from dist and under vitest alike). */
export const migrationsList: MigrationObject[] = [
  {
    name: 'Migration20261124170000_accreditation',
    class: Migration20261124170000_accreditation,
  },
];
