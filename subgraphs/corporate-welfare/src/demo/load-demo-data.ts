import type { EntityManager } from '@mikro-orm/postgresql';
import type { Services } from '../services.js';

/**
 * Loads the demo data (idempotent: what exists is left as it is). Officine Rossi's plan and
 * employees come with the plan and enrolment modules; there is nothing to load before them.
 */
export async function loadDemoData(_em: EntityManager, _services: Services): Promise<void> {
  await Promise.resolve();
}
