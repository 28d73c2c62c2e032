import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '@welfare/kit/sql';
import { ProviderAccountRepository } from '../modules/provider-account/provider-account.repository.js';
import { StripeRefusal, type StripeGateway } from '../modules/stripe/stripe.gateway.js';
import type { Services } from '../services.js';

/** Identity's demo provider and its ADMIN (subgraphs/identity/src/demo/accounts.ts). */
const LA_ESSE_ID = '0b7c2d1e-0000-4000-8000-000000000102';
const LA_ESSE_ADMIN_ID = '0b7c2d1e-0000-4000-8000-000000000204';

export interface DemoOptions {
  /**
   * Stripe is the local fake (`npm start`, tests): only then does the demo complete a provider's
   * onboarding itself (on Stripe the provider's admin does it on Stripe's pages).
   */
  fakeStripe: boolean;
  /** The portal's origin (the onboarding link's return pages). */
  portalUrl: string;
}

/**
 * Loads the demo data (idempotent). On the fake Stripe, the demo provider "Cooperativa Sociale La
 * Esse" takes card payments from the start: its connected account is created and its onboarding
 * completed on the fake's page, as its admin would. The fake keeps its state in memory (a new
 * fake per run), so an account recorded by an earlier run that this fake does not know is
 * replaced by a new one. Card payments and checkouts come from the people who pay.
 */
export async function loadDemoData(
  em: EntityManager,
  services: Services,
  options: DemoOptions,
): Promise<void> {
  if (options.fakeStripe && services.gateway) {
    await onboardOnFake(em, services.gateway, options.portalUrl);
  }
}

async function onboardOnFake(
  em: EntityManager,
  stripe: StripeGateway,
  portalUrl: string,
): Promise<void> {
  const accounts = new ProviderAccountRepository();
  const stored = await accounts.find(em, LA_ESSE_ID);
  let accountId = stored?.stripeAccountId;
  if (accountId) {
    const known = await stripe.retrieveAccount(accountId).catch((err: unknown) => {
      if (err instanceof StripeRefusal && err.code === 'resource_missing') return null;
      throw err;
    });
    if (known?.chargesEnabled) {
      await accounts.updateState(em, known.id, known);
      return;
    }
    if (!known) accountId = undefined;
  }
  if (!accountId) {
    // A key of this fake's run: a new fake creates a new account.
    const created = await stripe.createAccount(LA_ESSE_ID, `demo-onboarding-${LA_ESSE_ID}`);
    accountId = created.id;
    if (stored) {
      await sql(
        em,
        `update "payments"."provider_account"
            set "stripe_account_id" = $2, "charges_enabled" = false, "details_submitted" = false,
                "updated_at" = now()
          where "organisation_id" = $1`,
        [LA_ESSE_ID, accountId],
      );
    } else {
      await accounts.insertOnce(em, {
        organisationId: LA_ESSE_ID,
        stripeAccountId: accountId,
        createdBy: LA_ESSE_ADMIN_ID,
      });
    }
  }
  const page = new URL(`/ente/${LA_ESSE_ID}/pagamenti`, portalUrl).href;
  const link = await stripe.onboardingLink(accountId, page, page);
  // The fake's onboarding page: its form's POST completes the onboarding and redirects back.
  const completed = await fetch(link, { method: 'POST', redirect: 'manual' });
  if (completed.status !== 303) {
    throw new Error(`demo onboarding on the fake Stripe answered ${completed.status}`);
  }
  await accounts.updateState(em, accountId, await stripe.retrieveAccount(accountId));
}
