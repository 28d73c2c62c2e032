import type { StripeSettings } from './config.js';
import { CardPaymentRepository } from './modules/card-payment/card-payment.repository.js';
import { CardPaymentService } from './modules/card-payment/card-payment.service.js';
import { ProviderAccountRepository } from './modules/provider-account/provider-account.repository.js';
import { ProviderAccountService } from './modules/provider-account/provider-account.service.js';
import { ReconciliationRepository } from './modules/reconciliation/reconciliation.repository.js';
import { ReconciliationService } from './modules/reconciliation/reconciliation.service.js';
import { StripeEventRepository } from './modules/stripe/stripe-event.repository.js';
import { StripeWebhookService } from './modules/stripe/stripe-webhook.js';
import { StripeGateway } from './modules/stripe/stripe.gateway.js';

export interface ServiceSettings {
  /** Stripe (the fake outside production); absent: card payments are refused. */
  stripe?: StripeSettings | undefined;
  /** The platform's fee on card payments, in basis points (default 0). */
  platformFeeBps?: number;
  /** The portal's origin (Stripe's return pages). */
  portalUrl?: string;
  /** How far back a reconciliation compares, in days (default 35). */
  reconciliationWindowDays?: number;
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
  const webhooks = new StripeWebhookService(
    gateway,
    new StripeEventRepository(),
    cardPayments,
    providerAccounts,
  );
  const reconciliation = new ReconciliationService(
    new ReconciliationRepository(),
    accountRepository,
    cardPaymentRepository,
    gateway,
    settings.reconciliationWindowDays ?? 35,
  );
  return { gateway, providerAccounts, cardPayments, webhooks, reconciliation };
}

export type Services = ReturnType<typeof createServices>;
