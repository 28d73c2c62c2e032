import Stripe from 'stripe';
import type { StripeSettings } from '../../config.js';

/*
 * The one place that talks to Stripe (the official SDK): Connect accounts and onboarding links,
 * Checkout sessions for a card leg, capture, cancel, refund, balance transactions, and the
 * verification of webhook signatures. Every write carries our idempotency key, so a call whose
 * answer was lost is sent again with the same key and Stripe answers the first result.
 */

/** Stripe's tolerance for a webhook's timestamp: older events are refused (replays). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * Stripe did not answer, or failed on its side (a timeout, a reset connection, a 5xx, a rate
 * limit): the operation may or may not have happened. Retry it with the same idempotency key.
 */
export class StripeOutcomeUnknown extends Error {
  constructor(
    readonly operation: string,
    cause: unknown,
  ) {
    super(`Outcome of Stripe ${operation} unknown`, { cause });
    this.name = 'StripeOutcomeUnknown';
  }
}

/** Stripe refused the request (invalid, declined, an idempotency key reused with other data). */
export class StripeRefusal extends Error {
  constructor(
    readonly operation: string,
    /** Stripe's error type (`StripeInvalidRequestError`, `StripeCardError`, …). */
    readonly type: string,
    /** Stripe's error code (`resource_missing`, `card_declined`, …), if any. */
    readonly code: string | undefined,
    cause: unknown,
  ) {
    super(`Stripe refused ${operation}: ${type}${code ? ` (${code})` : ''}`, { cause });
    this.name = 'StripeRefusal';
  }
}

/** Error types whose outcome is unknown (Stripe's own advice: retry with the same key). */
const UNKNOWN_OUTCOME_TYPES = new Set([
  'StripeConnectionError',
  'StripeAPIError',
  'StripeRateLimitError',
  'StripeLockTimeoutError',
]);

/** Runs one SDK call and classifies what it throws. */
async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const type = (err as { type?: unknown }).type;
    if (typeof type !== 'string' || UNKNOWN_OUTCOME_TYPES.has(type))
      throw new StripeOutcomeUnknown(operation, err);
    const code = (err as { code?: unknown }).code;
    throw new StripeRefusal(operation, type, typeof code === 'string' ? code : undefined, err);
  }
}

/** A connected account as the subgraph needs it. */
export interface ConnectedAccount {
  id: string;
  chargesEnabled: boolean;
  detailsSubmitted: boolean;
}

const accountOf = (account: Stripe.Account): ConnectedAccount => ({
  id: account.id,
  chargesEnabled: account.charges_enabled ?? false,
  detailsSubmitted: account.details_submitted ?? false,
});

/** What a card leg's Checkout session is made of. */
export interface CardCheckoutRequest {
  /** Our card payment's id: the idempotency key. */
  cardPaymentId: string;
  /** The provider's connected account (a direct charge on it). */
  accountId: string;
  /** Cents. */
  amount: number;
  /** The platform's fee in cents; 0 sends none. */
  applicationFee: number;
  description: string;
  successUrl: string;
  cancelUrl: string;
  expiresAt: Date;
  /** Echoed on the session and the payment intent (e.g. the checkout's id). */
  metadata: Record<string, string>;
}

/** A created Checkout session. */
export interface CardCheckout {
  sessionId: string;
  url: string;
  paymentIntentId: string | null;
}

/** A balance transaction as reconciliation reads it. */
export interface BalanceEntry {
  id: string;
  type: string;
  /** Cents (a refund negative). */
  amount: number;
  fee: number;
  net: number;
  /** The charge or refund it comes from. */
  sourceId: string | null;
  created: Date;
}

/** The subgraph's Stripe client. */
export class StripeGateway {
  readonly stripe: Stripe;

  constructor(private readonly settings: StripeSettings) {
    const api = settings.apiUrl ? new URL(settings.apiUrl) : undefined;
    this.stripe = new Stripe(settings.secretKey, {
      timeout: settings.timeoutMs,
      maxNetworkRetries: settings.maxNetworkRetries,
      telemetry: false,
      ...(api
        ? {
            host: api.hostname,
            port: api.port || (api.protocol === 'http:' ? 80 : 443),
            protocol: api.protocol === 'http:' ? 'http' : 'https',
          }
        : {}),
    });
  }

  /** Creates a provider's Express account; `key` makes a retry answer the same account. */
  createAccount(organisationId: string, key: string): Promise<ConnectedAccount> {
    return call('accounts.create', async () =>
      accountOf(
        await this.stripe.accounts.create(
          {
            type: 'express',
            country: 'IT',
            default_currency: 'eur',
            capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
            metadata: { organisationId },
          },
          { idempotencyKey: key },
        ),
      ),
    );
  }

  retrieveAccount(accountId: string): Promise<ConnectedAccount> {
    return call('accounts.retrieve', async () =>
      accountOf(await this.stripe.accounts.retrieve(accountId)),
    );
  }

  /** A one-time onboarding link (Stripe's hosted pages); it expires within minutes. */
  onboardingLink(accountId: string, returnUrl: string, refreshUrl: string): Promise<string> {
    return call('accountLinks.create', async () => {
      const link = await this.stripe.accountLinks.create({
        account: accountId,
        type: 'account_onboarding',
        return_url: returnUrl,
        refresh_url: refreshUrl,
      });
      return link.url;
    });
  }

  /**
   * A Checkout session for a card leg: a direct charge on the provider's account, authorised only
   * (`capture_method: manual`: captured when every leg of the checkout is held).
   */
  createCardCheckout(request: CardCheckoutRequest): Promise<CardCheckout> {
    return call('checkout.sessions.create', async () => {
      const session = await this.stripe.checkout.sessions.create(
        {
          mode: 'payment',
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: 'eur',
                unit_amount: request.amount,
                product_data: { name: request.description },
              },
            },
          ],
          payment_intent_data: {
            capture_method: 'manual',
            ...(request.applicationFee > 0
              ? { application_fee_amount: request.applicationFee }
              : {}),
            metadata: { ...request.metadata, cardPaymentId: request.cardPaymentId },
          },
          client_reference_id: request.cardPaymentId,
          metadata: { ...request.metadata, cardPaymentId: request.cardPaymentId },
          success_url: request.successUrl,
          cancel_url: request.cancelUrl,
          expires_at: Math.floor(request.expiresAt.getTime() / 1000),
        },
        { idempotencyKey: request.cardPaymentId, stripeAccount: request.accountId },
      );
      if (!session.url) throw new Error('Stripe answered a session without a URL');
      return {
        sessionId: session.id,
        url: session.url,
        paymentIntentId:
          typeof session.payment_intent === 'string'
            ? session.payment_intent
            : (session.payment_intent?.id ?? null),
      };
    });
  }

  retrieveSession(accountId: string, sessionId: string): Promise<Stripe.Checkout.Session> {
    return call('checkout.sessions.retrieve', () =>
      this.stripe.checkout.sessions.retrieve(sessionId, {}, { stripeAccount: accountId }),
    );
  }

  retrievePaymentIntent(accountId: string, id: string): Promise<Stripe.PaymentIntent> {
    return call('paymentIntents.retrieve', () =>
      this.stripe.paymentIntents.retrieve(id, {}, { stripeAccount: accountId }),
    );
  }

  /** Captures the held amount. */
  capture(accountId: string, id: string, key: string): Promise<Stripe.PaymentIntent> {
    return call('paymentIntents.capture', () =>
      this.stripe.paymentIntents.capture(id, {}, { stripeAccount: accountId, idempotencyKey: key }),
    );
  }

  /** Releases the hold. */
  cancel(accountId: string, id: string, key: string): Promise<Stripe.PaymentIntent> {
    return call('paymentIntents.cancel', () =>
      this.stripe.paymentIntents.cancel(id, {}, { stripeAccount: accountId, idempotencyKey: key }),
    );
  }

  /** Refunds `amount` cents of a captured payment intent; `key` is the refund's own id. */
  refund(
    accountId: string,
    paymentIntentId: string,
    amount: number,
    key: string,
  ): Promise<Stripe.Refund> {
    return call('refunds.create', () =>
      this.stripe.refunds.create(
        { payment_intent: paymentIntentId, amount, metadata: { cardRefundId: key } },
        { stripeAccount: accountId, idempotencyKey: key },
      ),
    );
  }

  /** Every balance transaction of an account created since `since`, newest first. */
  async balanceTransactions(accountId: string, since: Date): Promise<BalanceEntry[]> {
    return call('balanceTransactions.list', async () => {
      const entries: BalanceEntry[] = [];
      const list = this.stripe.balanceTransactions.list(
        { limit: 100, created: { gte: Math.floor(since.getTime() / 1000) } },
        { stripeAccount: accountId },
      );
      for await (const txn of list) {
        entries.push({
          id: txn.id,
          type: txn.type,
          amount: txn.amount,
          fee: txn.fee,
          net: txn.net,
          sourceId: typeof txn.source === 'string' ? txn.source : (txn.source?.id ?? null),
          created: new Date(txn.created * 1000),
        });
      }
      return entries;
    });
  }

  /**
   * A webhook's event, verified: the signature over the raw body with the endpoint's secret, and
   * a timestamp at most 300 s old. Throws on anything else.
   */
  constructEvent(rawBody: Buffer, signature: string): Stripe.Event {
    return this.stripe.webhooks.constructEvent(
      rawBody,
      signature,
      this.settings.webhookSecret,
      WEBHOOK_TOLERANCE_SECONDS,
    );
  }
}
