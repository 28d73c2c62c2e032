import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '@welfare/kit/sql';
import { ProviderAccount } from './provider-account.entity.js';

/** The queries of providers' Stripe accounts. */
export class ProviderAccountRepository {
  find(em: EntityManager, organisationId: string): Promise<ProviderAccount | null> {
    return em.findOne(ProviderAccount, { organisationId }, { refresh: true });
  }

  /** Every provider account (reconciliation walks them). */
  all(em: EntityManager): Promise<ProviderAccount[]> {
    return em.find(ProviderAccount, {}, { orderBy: { organisationId: 'asc' } });
  }

  /**
   * Records the organisation's account once: a concurrent start of the onboarding (same
   * idempotency key, so the same Stripe account) finds the row already there.
   */
  async insertOnce(
    em: EntityManager,
    row: { organisationId: string; stripeAccountId: string; createdBy: string },
  ): Promise<void> {
    await sql(
      em,
      `insert into "payments"."provider_account" ("organisation_id", "stripe_account_id", "created_by")
       values ($1, $2, $3) on conflict ("organisation_id") do nothing`,
      [row.organisationId, row.stripeAccountId, row.createdBy],
    );
  }

  /** Stripe's view of the account (an `account.updated` event, a retrieval). */
  async updateState(
    em: EntityManager,
    stripeAccountId: string,
    state: { chargesEnabled: boolean; detailsSubmitted: boolean },
  ): Promise<number> {
    const rows = await sql<{ organisation_id: string }>(
      em,
      `update "payments"."provider_account"
          set "charges_enabled" = $2, "details_submitted" = $3, "updated_at" = now()
        where "stripe_account_id" = $1
        returning "organisation_id"`,
      [stripeAccountId, state.chargesEnabled, state.detailsSubmitted],
    );
    return rows.length;
  }
}
