import type { Logger } from '@welfare/kit';
import { createLogger } from '@welfare/kit';
import type { CheckoutConfig, StripeSettings } from './config.js';
import { stripeCard } from './modules/checkout/card.adapter.js';
import { CheckoutRepository } from './modules/checkout/checkout.repository.js';
import { CheckoutService } from './modules/checkout/checkout.service.js';
import { contractFund, contractPayable } from './modules/checkout/ports.js';
import { CardPaymentRepository } from './modules/card-payment/card-payment.repository.js';
import { CardPaymentService } from './modules/card-payment/card-payment.service.js';
import { ProviderAccountRepository } from './modules/provider-account/provider-account.repository.js';
import { ProviderAccountService } from './modules/provider-account/provider-account.service.js';
import { ReconciliationRepository } from './modules/reconciliation/reconciliation.repository.js';
import { ReconciliationService } from './modules/reconciliation/reconciliation.service.js';
import { StripeEventRepository } from './modules/stripe/stripe-event.repository.js';
import { StripeWebhookService } from './modules/stripe/stripe-webhook.js';
import { StripeGateway } from './modules/stripe/stripe.gateway.js';
import {
  identityCreditors,
  noCreditors,
  type CreditorDirectory,
} from './modules/pagopa/creditor.port.js';
import { PagopaRepository } from './modules/pagopa/pagopa.repository.js';
import { PagopaService, type PagopaSettings } from './modules/pagopa/pagopa.service.js';

export interface ServiceSettings {
  /** Stripe (the fake outside production); absent: card payments are refused. */
  stripe?: StripeSettings | undefined;
  /** The platform's fee on card payments, in basis points (default 0). */
  platformFeeBps?: number;
  /** The portal's origin (Stripe's return pages). */
  portalUrl?: string;
  /** How far back a reconciliation compares, in days (default 35). */
  reconciliationWindowDays?: number;
  /**
   * The checkout: its settings and this service's signing key for the fund and payable owners'
   * internal operations (absent: no owner is reachable, a checkout finds no payable).
   */
  checkout?: { config: CheckoutConfig; privateKey: string } | undefined;
  logger?: Logger;
  /**
   * pagoPA notices: the platform's codice segregazione (default 01), the due-date horizon, and
   * where the Comuni's names and codici fiscali come from (identity, or a test's directory).
   */
  pagopa?: Partial<PagopaSettings> & {
    creditors?: CreditorDirectory;
    identity?: { privateKey: string; baseUrl: string } | undefined;
  };
}

/** Stripe's minimum charge in EUR, in cents (https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts). */
const STRIPE_MINIMUM_EUR_CENTS = 50;

/** A port per owner service, reached with this service's key. */
function portsOf<P>(
  owners: Record<string, string>,
  privateKey: string,
  make: (target: Parameters<typeof contractFund>[0]) => P,
): Record<string, P> {
  return Object.fromEntries(
    Object.entries(owners).map(([audience, baseUrl]) => [
      audience,
      make({ self: { service: 'payments', privateKey }, audience, baseUrl }),
    ]),
  );
}

/** Every service of the subgraph, wired once per process (they keep no per-request state). */
export function createServices(settings: ServiceSettings = {}) {
  const gateway = settings.stripe ? new StripeGateway(settings.stripe) : undefined;
  const portalUrl = settings.portalUrl ?? 'http://localhost:3000';
  const accountRepository = new ProviderAccountRepository();
  const cardPaymentRepository = new CardPaymentRepository();
  const providerAccounts = new ProviderAccountService(accountRepository, gateway, portalUrl);
  const cardPayments = new CardPaymentService(cardPaymentRepository, providerAccounts, gateway, {
    platformFeeBps: settings.platformFeeBps ?? 0,
    portalUrl,
  });
  const checkout = settings.checkout;
  const checkouts = new CheckoutService(
    new CheckoutRepository(),
    {
      funds: checkout ? portsOf(checkout.config.fundOwners, checkout.privateKey, contractFund) : {},
      payables: checkout
        ? portsOf(checkout.config.payableOwners, checkout.privateKey, contractPayable)
        : {},
      card: stripeCard(cardPayments, providerAccounts),
      logger: settings.logger ?? createLogger('payments', 'silent'),
    },
    {
      holdMinutes: checkout?.config.holdMinutes ?? 31,
      leaseMs: checkout?.config.leaseMs ?? 15_000,
      cardMinimumCents: STRIPE_MINIMUM_EUR_CENTS,
    },
  );
  const webhooks = new StripeWebhookService(
    gateway,
    new StripeEventRepository(),
    cardPayments,
    providerAccounts,
    (em, cardPaymentId) => checkouts.advanceForCardPayment(em, cardPaymentId),
  );
  const reconciliation = new ReconciliationService(
    new ReconciliationRepository(),
    accountRepository,
    cardPaymentRepository,
    gateway,
    settings.reconciliationWindowDays ?? 35,
  );
  const pagopaSettings = settings.pagopa ?? {};
  const pagopa = new PagopaService(
    new PagopaRepository(),
    pagopaSettings.creditors ??
      (pagopaSettings.identity ? identityCreditors(pagopaSettings.identity) : noCreditors),
    {
      segregationCode: pagopaSettings.segregationCode ?? '01',
      maxDueDays: pagopaSettings.maxDueDays ?? 1_830,
    },
  );
  return {
    gateway,
    providerAccounts,
    cardPayments,
    webhooks,
    reconciliation,
    checkouts,
    pagopa,
  };
}

export type Services = ReturnType<typeof createServices>;
