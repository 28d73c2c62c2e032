import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261206190643_init } from './Migration20261206190643_init.js';
import { Migration20261206200000_checkout } from './Migration20261206200000_checkout.js';
import { Migration20261206220000_pagopa } from './Migration20261206220000_pagopa.js';
import { Migration20261206220000_refund_reason } from './Migration20261206220000_refund_reason.js';

/** Every migration, in order (explicit so they run from dist and under vitest alike). */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261206190643_init', class: Migration20261206190643_init },
  { name: 'Migration20261206200000_checkout', class: Migration20261206200000_checkout },
  { name: 'Migration20261206220000_pagopa', class: Migration20261206220000_pagopa },
  { name: 'Migration20261206220000_refund_reason', class: Migration20261206220000_refund_reason },
];
