import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261124080819_init } from './Migration20261124080819_init.js';
import { Migration20261206150000_audit_log } from './Migration20261206150000_audit_log.js';
import { Migration20261206154133_login_guard } from './Migration20261206154133_login_guard.js';
import { Migration20261206190000_audit_sealer } from './Migration20261206190000_audit_sealer.js';

/** Every migration, in order (explicit so they run from dist and under vitest alike). */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261124080819_init', class: Migration20261124080819_init },
  { name: 'Migration20261206150000_audit_log', class: Migration20261206150000_audit_log },
  { name: 'Migration20261206154133_login_guard', class: Migration20261206154133_login_guard },
  { name: 'Migration20261206190000_audit_sealer', class: Migration20261206190000_audit_sealer },
];
