import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '@welfare/kit';
import {
  cardPaymentsUnavailable,
  requirePaymentAccountAdmin,
  stripeFailure,
} from '../shared/access.js';
import type { StripeGateway } from '../stripe/stripe.gateway.js';
import type { ProviderAccount } from './provider-account.entity.js';
import type { ProviderAccountRepository } from './provider-account.repository.js';

/** An onboarding started: where the provider's admin goes next. */
export interface PaymentOnboarding {
  url: string;
  account: ProviderAccount;
}

/**
 * Stripe Connect for providers: each provider organisation gets one Express account, onboarded
 * on Stripe's hosted pages; card payments for its offers are direct charges on it. Only the
 * provider's own ADMINs start the onboarding and read the account.
 */
export class ProviderAccountService {
  constructor(
    private readonly repository: ProviderAccountRepository,
    private readonly gateway: StripeGateway | undefined,
    private readonly portalUrl: string,
  ) {}

  private stripe(): StripeGateway {
    if (!this.gateway) throw cardPaymentsUnavailable();
    return this.gateway;
  }

  /** The provider's payment page in the portal (Stripe sends the admin back there). */
  private pageOf(organisationId: string, step: 'return' | 'refresh'): string {
    return new URL(`/ente/${organisationId}/pagamenti?onboarding=${step}`, this.portalUrl).href;
  }

  /**
   * Starts (or resumes) the onboarding: creates the provider's Stripe account the first time (the
   * idempotency key is the organisation's, so a retry or a concurrent start gets the same
   * account), then a fresh one-time link to Stripe's pages.
   */
  async startOnboarding(
    em: EntityManager,
    caller: Caller,
    organisationId: string,
  ): Promise<PaymentOnboarding> {
    const admin = requirePaymentAccountAdmin(caller, organisationId);
    const stripe = this.stripe();
    try {
      let account = await this.repository.find(em, organisationId);
      if (!account) {
        const created = await stripe.createAccount(organisationId, `onboarding-${organisationId}`);
        await this.repository.insertOnce(em, {
          organisationId,
          stripeAccountId: created.id,
          createdBy: admin.personId,
        });
        account = (await this.repository.find(em, organisationId))!;
      }
      const url = await stripe.onboardingLink(
        account.stripeAccountId,
        this.pageOf(organisationId, 'return'),
        this.pageOf(organisationId, 'refresh'),
      );
      return { url, account };
    } catch (err) {
      return stripeFailure(err);
    }
  }

  /**
   * The provider's account, or null before any onboarding. While Stripe has not enabled charges,
   * it asks Stripe again (the admin may come back before the `account.updated` event does).
   */
  async account(
    em: EntityManager,
    caller: Caller,
    organisationId: string,
  ): Promise<ProviderAccount | null> {
    requirePaymentAccountAdmin(caller, organisationId);
    const account = await this.repository.find(em, organisationId);
    if (!account || account.chargesEnabled || !this.gateway) return account;
    try {
      const state = await this.gateway.retrieveAccount(account.stripeAccountId);
      if (state.chargesEnabled !== account.chargesEnabled) {
        await this.repository.updateState(em, account.stripeAccountId, state);
        return this.repository.find(em, organisationId);
      }
    } catch {
      // Stripe unreachable: the stored state stands; the event will update it.
    }
    return account;
  }

  /** Stripe's `account.updated`: the account's state as Stripe has it. */
  applyAccountUpdate(
    em: EntityManager,
    stripeAccountId: string,
    state: { chargesEnabled: boolean; detailsSubmitted: boolean },
  ): Promise<number> {
    return this.repository.updateState(em, stripeAccountId, state);
  }

  /** The account that takes the provider's card payments, if Stripe has enabled it. */
  async chargeableAccount(em: EntityManager, organisationId: string): Promise<string | undefined> {
    const account = await this.repository.find(em, organisationId);
    return account?.chargesEnabled ? account.stripeAccountId : undefined;
  }
}
