import type { EntityManager } from '@mikro-orm/postgresql';
import type { Services } from '../services.js';

/**
 * Loads the demo data (idempotent). Payments has none of its own yet: a provider's Stripe
 * account comes from its onboarding on the fake Stripe, card payments from checkouts.
 */
export async function loadDemoData(_em: EntityManager, _services: Services): Promise<void> {
  await Promise.resolve();
}
