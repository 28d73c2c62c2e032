import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenOn } from '@welfare/kit';

/*
 * A local fake of the part of Stripe's REST API the payments subgraph uses, for development and
 * tests (never in production). The official `stripe` SDK talks to it when given
 * `host`/`port`/`protocol: 'http'`. No maintained npm package fits: stripe-mock (Stripe's own) is a
 * Go binary that answers fixtures and keeps no state; `stripe-stateful-mock` is unmaintained and
 * has neither Checkout, Connect onboarding nor webhooks.
 *
 * What it does as Stripe does:
 * - form-encoded bodies (`a[b][0][c]=v`), `Authorization: Bearer sk_test_…`, JSON answers, errors
 *   as `{ error: { type, code, message, param } }` with Stripe's status codes;
 * - `Idempotency-Key`: the same key (per account context) answers the first result again, with
 *   `Idempotent-Replayed: true`; the same key with other parameters is a 400 `idempotency_error`;
 * - `Stripe-Account`: Connect direct charges; an object lives in the account it was created in and
 *   is not found from another;
 * - accounts and account links (a page on the fake completes onboarding: `charges_enabled` flips),
 *   payment intents (manual capture too), Checkout sessions with a hosted card page (`/pay/<id>`),
 *   refunds, balance transactions (one per charge and per refund), events;
 * - webhooks POSTed to the configured endpoint, signed with the endpoint's secret in the
 *   `Stripe-Signature` scheme (`t=<unix>,v1=<HMAC-SHA256 of "t.payload">`), retried on non-2xx.
 *
 * Test-only controls under `/__fake/` (no API key needed, see `controls`): delay the next answers,
 * redeliver an event, plant a balance transaction, complete or expire a session, list objects.
 */

/** A Stripe-shaped object (a JSON record). */
export type StripeObject = Record<string, unknown> & { id: string; object: string };

export interface FakeStripeOptions {
  /** 0 for any free port. */
  port: number;
  host?: string;
  /** The only API key accepted (`sk_test_…`). */
  secretKey: string;
  /** Where events are delivered, and the endpoint's signing secret (`whsec_…`). */
  webhook?: { url: string; secret: string };
  /** Waits between webhook attempts, in ms; one attempt more than entries. Default 0.5 s … 60 s. */
  webhookRetryDelaysMs?: number[];
  /** The fake's public base URL (its pages' links). Default `http://<host>:<port>`. */
  publicUrl?: string;
}

export interface RunningFakeStripe {
  url: string;
  port: number;
  /** The fake's state and controls (the same as the `/__fake/` endpoints). */
  controls: FakeStripeControls;
  close(): Promise<void>;
}

/** Thrown by a handler: answered in Stripe's error shape. */
class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const notFound = (kind: string, id: string) =>
  new StripeApiError(404, 'invalid_request_error', `No such ${kind}: '${id}'`, {
    code: 'resource_missing',
    param: 'id',
  });
const missing = (param: string) =>
  new StripeApiError(400, 'invalid_request_error', `Missing required param: ${param}.`, {
    code: 'parameter_missing',
    param,
  });
const invalid = (param: string, message: string) =>
  new StripeApiError(400, 'invalid_request_error', message, { code: 'parameter_invalid', param });

/** Stripe's id shape: a prefix and 24 random characters. */
const newId = (prefix: string) =>
  `${prefix}_${randomBytes(18).toString('base64url').replace(/[-_]/g, 'x').slice(0, 24)}`;
const now = () => Math.floor(Date.now() / 1000);

type Params = Record<string, unknown>;

/** Decodes a form body or query string with Stripe's bracket notation into nested values. */
export function parseForm(text: string): Params {
  const root: Params = {};
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const parts = rawKey.split(/\[|\]\[|\]/).filter((p, i) => i === 0 || p !== '');
    let node: Params = root;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) {
        node[part] = value;
        return;
      }
      const next = node[part];
      if (typeof next !== 'object' || next === null) node[part] = {};
      node = node[part] as Params;
    });
  }
  return toArrays(root) as Params;
}

/** Objects whose keys are 0..n-1 become arrays (`line_items[0][…]`). */
function toArrays(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Params).map(([k, v]) => [k, toArrays(v)] as const);
  const keys = entries.map(([k]) => k);
  if (keys.length > 0 && keys.every((k, i) => k === String(i))) return entries.map(([, v]) => v);
  return Object.fromEntries(entries);
}

const str = (p: Params, key: string): string | undefined =>
  typeof p[key] === 'string' ? p[key] : undefined;
const obj = (p: Params, key: string): Params =>
  typeof p[key] === 'object' && p[key] !== null && !Array.isArray(p[key]) ? (p[key] as Params) : {};

/** A non-negative integer parameter (amounts in cents). */
function int(p: Params, key: string, param = key): number | undefined {
  const raw = str(p, key);
  if (raw === undefined) return undefined;
  if (!/^\d{1,12}$/.test(raw)) throw invalid(param, `Invalid integer: ${raw}`);
  return Number(raw);
}

const metadataOf = (p: Params): Record<string, string> =>
  Object.fromEntries(
    Object.entries(obj(p, 'metadata')).filter(
      (e): e is [string, string] => typeof e[1] === 'string',
    ),
  );

/** Stripe's processing fee on a European card in the fake: 1.5 % + 25 cents. */
export const stripeFeeOf = (amount: number) => Math.round(amount * 0.015) + 25;

/** Luhn's check of a card number. */
function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The test cards the hosted page knows (others, if valid, succeed). */
export const TEST_CARDS = {
  succeeds: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
} as const;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="it">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(title)}</title>
    <style>
      body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
      label { display: block; margin-top: 1rem; font-weight: 600; }
      input { display: block; font-size: 1rem; padding: .5rem; width: 100%; box-sizing: border-box; border: 1px solid #555; }
      button { margin-top: 1.5rem; font-size: 1rem; padding: .6rem 1.2rem; background: #0b5cad; color: #fff; border: 0; }
      button:focus, input:focus, a:focus { outline: 3px solid #f5a623; outline-offset: 2px; }
      [role=alert] { color: #a00; font-weight: 600; }
      .hint { color: #444; font-size: .9rem; }
    </style>
  </head>
  <body>
    <main>
${body}
    </main>
  </body>
</html>`;
}

/** One delivery target and its secret. */
interface WebhookTarget {
  url: string;
  secret: string;
}

/** The state of the fake and what tests may do with it. */
export class FakeStripeControls {
  readonly accounts = new Map<string, StripeObject>();
  readonly paymentIntents = new Map<string, StripeObject>();
  readonly charges = new Map<string, StripeObject>();
  readonly sessions = new Map<string, StripeObject>();
  readonly refunds = new Map<string, StripeObject>();
  readonly balanceTransactions: StripeObject[] = [];
  readonly events: StripeObject[] = [];
  /** The account each object lives in (`platform` or an `acct_…`). */
  readonly contextOf = new Map<string, string>();
  /** Onboarding links by token: the account and its return URL. */
  readonly links = new Map<string, { account: string; returnUrl: string; refreshUrl: string }>();
  /** Every delivery attempt: event id and the endpoint's HTTP status (0: no answer). */
  readonly deliveries: { eventId: string; status: number }[] = [];
  /** Answers to hold back: each API answer waits for the first entry (then it is removed). */
  readonly delays: number[] = [];
  /** API requests received (method and path), the test's view of what the SDK sent. */
  readonly requests: { method: string; path: string; idempotencyKey?: string }[] = [];
  readonly idempotent = new Map<string, { fingerprint: string; status: number; body: unknown }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    public webhook: WebhookTarget | undefined,
    readonly baseUrl: () => string,
    private readonly retryDelaysMs: number[],
  ) {}

  /** Holds back the next `count` API answers by `ms` each (a timeout seen by the SDK). */
  delayNext(ms: number, count = 1): void {
    for (let i = 0; i < count; i++) this.delays.push(ms);
  }

  /** Records an event in `context` and delivers it. */
  emit(type: string, object: StripeObject, context: string): StripeObject {
    const event: StripeObject = {
      id: newId('evt'),
      object: 'event',
      api_version: '2026-10-28.endive',
      created: now(),
      type,
      livemode: false,
      pending_webhooks: this.webhook ? 1 : 0,
      request: { id: null, idempotency_key: null },
      data: { object: structuredClone(object) },
      ...(context === 'platform' ? {} : { account: context }),
    };
    this.events.push(event);
    this.contextOf.set(event.id, context);
    this.deliver(event, 0);
    return event;
  }

  /** Sends an event again (a redelivery, as from Stripe's dashboard). */
  redeliver(eventId: string): void {
    const event = this.events.find((e) => e.id === eventId);
    if (!event) throw notFound('event', eventId);
    this.deliver(event, 0);
  }

  /** The `Stripe-Signature` header of a payload, signed now with `secret`. */
  static signature(payload: string, secret: string, timestamp = now()): string {
    const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex');
    return `t=${timestamp},v1=${v1}`;
  }

  private deliver(event: StripeObject, attempt: number): void {
    const target = this.webhook;
    if (!target || this.closed) return;
    const payload = JSON.stringify(event, null, 2);
    const send = async () => {
      let status = 0;
      try {
        const response = await fetch(target.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
            'stripe-signature': FakeStripeControls.signature(payload, target.secret),
          },
          body: payload,
          signal: AbortSignal.timeout(10_000),
        });
        status = response.status;
        await response.arrayBuffer();
      } catch {
        status = 0;
      }
      this.deliveries.push({ eventId: event.id, status });
      if ((status < 200 || status >= 300) && attempt < this.retryDelaysMs.length) {
        this.later(this.retryDelaysMs[attempt]!, () => this.deliver(event, attempt + 1));
      }
    };
    this.later(0, () => void send());
  }

  private later(ms: number, run: () => void): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  /** Plants a balance transaction (one that matches nothing of ours, say) in `context`. */
  plantBalanceTransaction(
    context: string,
    fields: { amount: number; fee?: number; type?: string; source?: string | null },
  ): StripeObject {
    return this.addBalanceTransaction(context, {
      amount: fields.amount,
      fee: fields.fee ?? 0,
      type: fields.type ?? 'charge',
      source: fields.source === undefined ? newId('ch') : fields.source,
    });
  }

  addBalanceTransaction(
    context: string,
    fields: { amount: number; fee: number; type: string; source: string | null },
    feeDetails: { amount: number; type: string }[] = [],
  ): StripeObject {
    const txn: StripeObject = {
      id: newId('txn'),
      object: 'balance_transaction',
      amount: fields.amount,
      fee: fields.fee,
      net: fields.amount - fields.fee,
      currency: 'eur',
      created: now(),
      available_on: now() + 7 * 86_400,
      status: 'pending',
      type: fields.type,
      reporting_category: fields.type,
      source: fields.source,
      description: null,
      fee_details: feeDetails.map((d) => ({ ...d, currency: 'eur', description: d.type })),
    };
    this.balanceTransactions.push(txn);
    this.contextOf.set(txn.id, context);
    return txn;
  }

  /** The objects of one kind, in `context` when given (tests across processes read them). */
  list(kind: string, context?: string): StripeObject[] {
    const all: Record<string, () => StripeObject[]> = {
      accounts: () => [...this.accounts.values()],
      payment_intents: () => [...this.paymentIntents.values()],
      charges: () => [...this.charges.values()],
      checkout_sessions: () => [...this.sessions.values()],
      refunds: () => [...this.refunds.values()],
      balance_transactions: () => this.balanceTransactions,
      events: () => this.events,
    };
    const objects = all[kind]?.() ?? [];
    return context ? objects.filter((o) => this.contextOf.get(o.id) === context) : objects;
  }

  /** Stops every pending delivery. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

/** The API's logic on the fake's state: one method per operation. */
class FakeStripeApi {
  constructor(private readonly s: FakeStripeControls) {}

  find(map: Map<string, StripeObject>, kind: string, id: string, context: string) {
    const found = map.get(id);
    if (!found || this.s.contextOf.get(id) !== context) throw notFound(kind, id);
    return found;
  }

  private put(map: Map<string, StripeObject>, object: StripeObject, context: string) {
    map.set(object.id, object);
    this.s.contextOf.set(object.id, context);
    return object;
  }

  createAccount(p: Params, context: string): StripeObject {
    if (context !== 'platform')
      throw invalid('account', 'Connected accounts cannot create accounts.');
    const type = str(p, 'type') ?? 'standard';
    if (!['express', 'standard', 'custom'].includes(type)) throw invalid('type', 'Invalid type.');
    return this.put(
      this.s.accounts,
      {
        id: newId('acct'),
        object: 'account',
        type,
        country: str(p, 'country') ?? 'IT',
        email: str(p, 'email') ?? null,
        default_currency: 'eur',
        charges_enabled: false,
        payouts_enabled: false,
        details_submitted: false,
        created: now(),
        metadata: metadataOf(p),
        capabilities: {},
        business_profile: obj(p, 'business_profile'),
      },
      'platform',
    );
  }

  createAccountLink(p: Params): StripeObject {
    const account = str(p, 'account');
    if (!account) throw missing('account');
    if (!this.s.accounts.has(account)) throw notFound('account', account);
    const returnUrl = str(p, 'return_url');
    const refreshUrl = str(p, 'refresh_url');
    if (!returnUrl) throw missing('return_url');
    if (!refreshUrl) throw missing('refresh_url');
    const token = randomBytes(16).toString('hex');
    this.s.links.set(token, { account, returnUrl, refreshUrl });
    return {
      id: newId('acctlink'),
      object: 'account_link',
      created: now(),
      expires_at: now() + 300,
      url: `${this.s.baseUrl()}/connect/onboarding/${token}`,
    };
  }

  completeOnboarding(token: string): string {
    const link = this.s.links.get(token);
    if (!link) throw notFound('account_link', token);
    this.s.links.delete(token);
    const account = this.s.accounts.get(link.account)!;
    Object.assign(account, {
      charges_enabled: true,
      payouts_enabled: true,
      details_submitted: true,
      capabilities: { card_payments: 'active', transfers: 'active' },
    });
    this.s.emit('account.updated', account, link.account);
    return link.returnUrl;
  }

  createPaymentIntent(p: Params, context: string): StripeObject {
    const amount = int(p, 'amount');
    if (amount === undefined) throw missing('amount');
    if (amount < 50) throw invalid('amount', 'Amount must be at least €0.50 eur');
    const currency = str(p, 'currency');
    if (!currency) throw missing('currency');
    if (currency !== 'eur') throw invalid('currency', 'The fake only knows eur.');
    const captureMethod = str(p, 'capture_method') ?? 'automatic';
    if (!['automatic', 'automatic_async', 'manual'].includes(captureMethod))
      throw invalid('capture_method', 'Invalid capture_method.');
    const fee = int(p, 'application_fee_amount');
    if (fee !== undefined && context === 'platform')
      throw invalid(
        'application_fee_amount',
        'Can only apply an application_fee_amount when the PaymentIntent is attempting a direct payment (using an OAuth key or Stripe-Account header) or destination payment (using `transfer_data[destination]`).',
      );
    if (fee !== undefined && fee > amount)
      throw invalid('application_fee_amount', 'The fee cannot exceed the amount.');
    const id = newId('pi');
    return this.put(
      this.s.paymentIntents,
      {
        id,
        object: 'payment_intent',
        amount,
        amount_capturable: 0,
        amount_received: 0,
        application_fee_amount: fee ?? null,
        capture_method: captureMethod === 'automatic_async' ? 'automatic' : captureMethod,
        client_secret: `${id}_secret_${randomBytes(12).toString('hex')}`,
        created: now(),
        currency,
        description: str(p, 'description') ?? null,
        last_payment_error: null,
        latest_charge: null,
        livemode: false,
        metadata: metadataOf(p),
        payment_method_types: ['card'],
        status: 'requires_payment_method',
        canceled_at: null,
        cancellation_reason: null,
      },
      context,
    );
  }

  /** Pays a payment intent with a card number: the hosted page's and `confirm`'s common path. */
  pay(pi: StripeObject, card: string, context: string): { ok: boolean; message?: string } {
    if (!['requires_payment_method', 'requires_confirmation'].includes(pi.status as string))
      throw new StripeApiError(
        400,
        'invalid_request_error',
        `This PaymentIntent's status is ${String(pi.status)}.`,
        { code: 'payment_intent_unexpected_state' },
      );
    const digits = card.replace(/[\s-]/g, '');
    const declineCode =
      digits === TEST_CARDS.declined
        ? 'generic_decline'
        : digits === TEST_CARDS.insufficientFunds
          ? 'insufficient_funds'
          : undefined;
    if (declineCode || !/^\d{12,19}$/.test(digits) || !luhn(digits)) {
      const message = declineCode ? 'Your card was declined.' : 'Your card number is incorrect.';
      Object.assign(pi, {
        status: 'requires_payment_method',
        last_payment_error: {
          type: 'card_error',
          code: declineCode ? 'card_declined' : 'incorrect_number',
          decline_code: declineCode ?? null,
          message,
        },
      });
      this.s.emit('payment_intent.payment_failed', pi, context);
      return { ok: false, message };
    }
    const amount = pi.amount as number;
    const charge = this.put(
      this.s.charges,
      {
        id: newId('ch'),
        object: 'charge',
        amount,
        amount_captured: 0,
        amount_refunded: 0,
        application_fee_amount: pi.application_fee_amount,
        balance_transaction: null,
        captured: false,
        created: now(),
        currency: 'eur',
        paid: true,
        payment_intent: pi.id,
        payment_method_details: { type: 'card', card: { brand: 'visa', last4: digits.slice(-4) } },
        refunded: false,
        status: 'succeeded',
        metadata: pi.metadata,
      },
      context,
    );
    Object.assign(pi, { latest_charge: charge.id, last_payment_error: null });
    if (pi.capture_method === 'manual') {
      Object.assign(pi, { status: 'requires_capture', amount_capturable: amount });
      this.s.emit('payment_intent.amount_capturable_updated', pi, context);
    } else {
      this.settle(pi, charge, amount, context);
    }
    return { ok: true };
  }

  /** Captures `amount` of the charge: its balance transaction, the intent succeeded. */
  private settle(pi: StripeObject, charge: StripeObject, amount: number, context: string) {
    const applicationFee = Math.min(amount, (pi.application_fee_amount as number | null) ?? 0);
    const stripeFee = stripeFeeOf(amount);
    const txn = this.s.addBalanceTransaction(
      context,
      { amount, fee: stripeFee + applicationFee, type: 'charge', source: charge.id },
      [
        { amount: stripeFee, type: 'stripe_fee' },
        ...(applicationFee ? [{ amount: applicationFee, type: 'application_fee' }] : []),
      ],
    );
    Object.assign(charge, { captured: true, amount_captured: amount, balance_transaction: txn.id });
    Object.assign(pi, { status: 'succeeded', amount_received: amount, amount_capturable: 0 });
    this.s.emit('charge.succeeded', charge, context);
    this.s.emit('payment_intent.succeeded', pi, context);
  }

  confirm(pi: StripeObject, p: Params, context: string): StripeObject {
    const method = str(p, 'payment_method');
    if (!method) throw missing('payment_method');
    const card = method === 'pm_card_visa' ? TEST_CARDS.succeeds : TEST_CARDS.declined;
    const outcome = this.pay(pi, card, context);
    if (!outcome.ok)
      throw new StripeApiError(402, 'card_error', outcome.message ?? 'Your card was declined.', {
        code: 'card_declined',
        decline_code: 'generic_decline',
        payment_intent: pi,
      });
    return pi;
  }

  capture(pi: StripeObject, p: Params, context: string): StripeObject {
    if (pi.status !== 'requires_capture')
      throw new StripeApiError(
        400,
        'invalid_request_error',
        `This PaymentIntent could not be captured because it has a status of ${String(pi.status)}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
        { code: 'payment_intent_unexpected_state' },
      );
    const capturable = pi.amount_capturable as number;
    const amount = int(p, 'amount_to_capture') ?? capturable;
    if (amount > capturable || amount <= 0)
      throw invalid('amount_to_capture', 'The amount to capture exceeds what can be captured.');
    this.settle(pi, this.s.charges.get(pi.latest_charge as string)!, amount, context);
    return pi;
  }

  cancel(pi: StripeObject, p: Params, context: string): StripeObject {
    if (['succeeded', 'canceled'].includes(pi.status as string))
      throw new StripeApiError(
        400,
        'invalid_request_error',
        `You cannot cancel this PaymentIntent because it has a status of ${String(pi.status)}.`,
        { code: 'payment_intent_unexpected_state' },
      );
    Object.assign(pi, {
      status: 'canceled',
      amount_capturable: 0,
      canceled_at: now(),
      cancellation_reason: str(p, 'cancellation_reason') ?? null,
    });
    this.s.emit('payment_intent.canceled', pi, context);
    return pi;
  }

  createRefund(p: Params, context: string): StripeObject {
    const piId = str(p, 'payment_intent');
    if (!piId) throw missing('payment_intent');
    const pi = this.find(this.s.paymentIntents, 'payment_intent', piId, context);
    if (pi.status !== 'succeeded')
      throw new StripeApiError(
        400,
        'invalid_request_error',
        `This PaymentIntent does not have a successful charge to refund.`,
        { code: 'charge_not_refundable' },
      );
    const charge = this.s.charges.get(pi.latest_charge as string)!;
    const left = (charge.amount_captured as number) - (charge.amount_refunded as number);
    const amount = int(p, 'amount') ?? left;
    if (amount <= 0 || amount > left)
      throw new StripeApiError(
        400,
        'invalid_request_error',
        `Refund amount (€${(amount / 100).toFixed(2)}) is greater than unrefunded amount on charge (€${(left / 100).toFixed(2)})`,
        { code: 'amount_too_large', param: 'amount' },
      );
    const refund: StripeObject = {
      id: newId('re'),
      object: 'refund',
      amount,
      charge: charge.id,
      payment_intent: pi.id,
      currency: 'eur',
      created: now(),
      reason: str(p, 'reason') ?? null,
      status: 'succeeded',
      metadata: metadataOf(p),
      balance_transaction: null,
    };
    const txn = this.s.addBalanceTransaction(context, {
      amount: -amount,
      fee: 0,
      type: 'refund',
      source: refund.id,
    });
    refund.balance_transaction = txn.id;
    this.put(this.s.refunds, refund, context);
    const refunded = (charge.amount_refunded as number) + amount;
    Object.assign(charge, {
      amount_refunded: refunded,
      refunded: refunded === charge.amount_captured,
    });
    this.s.emit('charge.refunded', charge, context);
    return refund;
  }

  createSession(p: Params, context: string): StripeObject {
    const mode = str(p, 'mode') ?? 'payment';
    if (mode !== 'payment') throw invalid('mode', 'The fake knows only mode=payment.');
    const successUrl = str(p, 'success_url');
    if (!successUrl) throw missing('success_url');
    const items = Array.isArray(p.line_items) ? (p.line_items as Params[]) : [];
    if (items.length === 0) throw missing('line_items');
    let amount = 0;
    items.forEach((item, i) => {
      const price = obj(item, 'price_data');
      const unit = int(price, 'unit_amount', `line_items[${i}][price_data][unit_amount]`);
      if (unit === undefined) throw missing(`line_items[${i}][price_data][unit_amount]`);
      if (str(price, 'currency') !== 'eur')
        throw invalid(`line_items[${i}][price_data][currency]`, 'The fake only knows eur.');
      amount += unit * (int(item, 'quantity', `line_items[${i}][quantity]`) ?? 1);
    });
    const expiresAt = int(p, 'expires_at') ?? now() + 86_400;
    if (expiresAt < now() + 1800 || expiresAt > now() + 86_400)
      throw invalid(
        'expires_at',
        'The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.',
      );
    const intentData = obj(p, 'payment_intent_data');
    const pi = this.createPaymentIntent(
      {
        amount: String(amount),
        currency: 'eur',
        capture_method: str(intentData, 'capture_method') ?? 'automatic',
        ...(intentData.application_fee_amount !== undefined
          ? { application_fee_amount: intentData.application_fee_amount }
          : {}),
        metadata: obj(intentData, 'metadata'),
        description: intentData.description,
      },
      context,
    );
    const id = newId('cs_test');
    return this.put(
      this.s.sessions,
      {
        id,
        object: 'checkout.session',
        mode,
        amount_subtotal: amount,
        amount_total: amount,
        currency: 'eur',
        cancel_url: str(p, 'cancel_url') ?? null,
        success_url: successUrl,
        client_reference_id: str(p, 'client_reference_id') ?? null,
        created: now(),
        expires_at: expiresAt,
        livemode: false,
        metadata: metadataOf(p),
        payment_intent: pi.id,
        payment_status: 'unpaid',
        status: 'open',
        url: `${this.s.baseUrl()}/pay/${id}`,
        line_items: { object: 'list', data: items },
      },
      context,
    );
  }

  expireSession(session: StripeObject, context: string): StripeObject {
    if (session.status !== 'open')
      throw new StripeApiError(
        400,
        'invalid_request_error',
        `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${String(session.status)}".`,
      );
    session.status = 'expired';
    const pi = this.s.paymentIntents.get(session.payment_intent as string);
    if (pi && pi.status !== 'canceled')
      Object.assign(pi, { status: 'canceled', canceled_at: now() });
    this.s.emit('checkout.session.expired', session, context);
    return session;
  }

  /** The hosted page's payment: the session completes when the card succeeds. */
  paySession(session: StripeObject, card: string): { ok: boolean; message?: string } {
    const context = this.s.contextOf.get(session.id)!;
    if (session.status !== 'open') return { ok: false, message: 'Session not open.' };
    const pi = this.s.paymentIntents.get(session.payment_intent as string)!;
    const outcome = this.pay(pi, card, context);
    if (!outcome.ok) return outcome;
    Object.assign(session, {
      status: 'complete',
      payment_status: pi.status === 'succeeded' ? 'paid' : 'unpaid',
    });
    this.s.emit('checkout.session.completed', session, context);
    return outcome;
  }

  /** Expires the open sessions past their `expires_at`. */
  sweep(): void {
    for (const session of this.s.sessions.values()) {
      if (session.status === 'open' && (session.expires_at as number) <= now())
        this.expireSession(session, this.s.contextOf.get(session.id)!);
    }
  }

  /** A page of a list, newest first, with Stripe's `limit` and `starting_after`. */
  page(objects: StripeObject[], query: Params, url: string) {
    const limit = Math.min(100, Math.max(1, Number(str(query, 'limit') ?? 10) || 10));
    const created = obj(query, 'created');
    const gte = str(created, 'gte');
    const lt = str(created, 'lt');
    let list = [...objects].reverse();
    if (gte) list = list.filter((o) => (o.created as number) >= Number(gte));
    if (lt) list = list.filter((o) => (o.created as number) < Number(lt));
    const type = str(query, 'type');
    if (type) list = list.filter((o) => o.type === type);
    const after = str(query, 'starting_after');
    if (after) {
      const index = list.findIndex((o) => o.id === after);
      list = index < 0 ? [] : list.slice(index + 1);
    }
    return {
      object: 'list',
      url,
      has_more: list.length > limit,
      data: list.slice(0, limit),
    };
  }
}

/** Reads a request's body as text (1 MB at most). */
async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1_000_000) throw invalid('body', 'Request too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const sendJson = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
const sendHtml = (res: ServerResponse, status: number, html: string) => {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action *",
  });
  res.end(html);
};
const redirect = (res: ServerResponse, location: string) => {
  res.writeHead(303, { location });
  res.end();
};

/** True when two strings are equal, in constant time. */
function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function checkoutPage(session: StripeObject, error?: string): string {
  const amount = ((session.amount_total as number) / 100).toFixed(2).replace('.', ',');
  const alert = error
    ? `<p role="alert" id="card-error">Pagamento non riuscito: ${escapeHtml(error)} / Payment failed.</p>`
    : '';
  const describedBy = error ? ' aria-describedby="card-error" aria-invalid="true"' : '';
  const cancel = session.cancel_url
    ? `<p><a href="${escapeHtml(session.cancel_url as string)}">Annulla e torna indietro / Cancel</a></p>`
    : '';
  return page(
    'Pagamento con carta (prova) / Card payment (test)',
    `      <h1>Pagamento con carta (prova)</h1>
      <p>Importo / Amount: <strong>€ ${amount}</strong></p>
      ${alert}
      <form method="post" action="/pay/${escapeHtml(session.id)}">
        <label for="card">Numero della carta / Card number</label>
        <input id="card" name="card" inputmode="numeric" autocomplete="cc-number" required${describedBy}>
        <p class="hint" id="card-hint">Prova / Test: 4242 4242 4242 4242 (riuscito / succeeds), 4000 0000 0000 0002 (rifiutato / declined)</p>
        <label for="exp">Scadenza (MM/AA) / Expiry (MM/YY)</label>
        <input id="exp" name="exp" autocomplete="cc-exp" placeholder="12/34" required>
        <label for="cvc">CVC</label>
        <input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" required>
        <button type="submit">Paga € ${amount} / Pay</button>
      </form>
      ${cancel}`,
  );
}

function onboardingPage(token: string): string {
  return page(
    'Attivazione pagamenti (prova) / Payments onboarding (test)',
    `      <h1>Attivazione dei pagamenti (prova)</h1>
      <p>Questo è l’onboarding di prova di Stripe Connect. / This is Stripe Connect's test onboarding.</p>
      <form method="post" action="/connect/onboarding/${escapeHtml(token)}">
        <button type="submit">Completa l’attivazione / Complete onboarding</button>
      </form>`,
  );
}

/** Serves the fake. */
export async function startFakeStripe(options: FakeStripeOptions): Promise<RunningFakeStripe> {
  let base = options.publicUrl ?? '';
  const controls = new FakeStripeControls(
    options.webhook,
    () => base,
    options.webhookRetryDelaysMs ?? [500, 2_000, 10_000, 30_000, 60_000],
  );
  const api = new FakeStripeApi(controls);

  /** An API operation: its parameters, the account context; answers the object. */
  type Operation = (p: Params, context: string, match: string[]) => unknown;
  const operations: [string, RegExp, Operation][] = [
    ['POST', /^\/v1\/accounts$/, (p, c) => api.createAccount(p, c)],
    [
      'GET',
      /^\/v1\/accounts\/(acct_\w+)$/,
      (_p, _c, m) => api.find(controls.accounts, 'account', m[1]!, 'platform'),
    ],
    ['POST', /^\/v1\/account_links$/, (p) => api.createAccountLink(p)],
    ['POST', /^\/v1\/payment_intents$/, (p, c) => api.createPaymentIntent(p, c)],
    [
      'GET',
      /^\/v1\/payment_intents\/(pi_\w+)$/,
      (_p, c, m) => api.find(controls.paymentIntents, 'payment_intent', m[1]!, c),
    ],
    [
      'POST',
      /^\/v1\/payment_intents\/(pi_\w+)\/confirm$/,
      (p, c, m) => api.confirm(api.find(controls.paymentIntents, 'payment_intent', m[1]!, c), p, c),
    ],
    [
      'POST',
      /^\/v1\/payment_intents\/(pi_\w+)\/capture$/,
      (p, c, m) => api.capture(api.find(controls.paymentIntents, 'payment_intent', m[1]!, c), p, c),
    ],
    [
      'POST',
      /^\/v1\/payment_intents\/(pi_\w+)\/cancel$/,
      (p, c, m) => api.cancel(api.find(controls.paymentIntents, 'payment_intent', m[1]!, c), p, c),
    ],
    [
      'GET',
      /^\/v1\/charges\/(ch_\w+)$/,
      (_p, c, m) => api.find(controls.charges, 'charge', m[1]!, c),
    ],
    ['POST', /^\/v1\/refunds$/, (p, c) => api.createRefund(p, c)],
    [
      'GET',
      /^\/v1\/refunds\/(re_\w+)$/,
      (_p, c, m) => api.find(controls.refunds, 'refund', m[1]!, c),
    ],
    ['POST', /^\/v1\/checkout\/sessions$/, (p, c) => api.createSession(p, c)],
    [
      'GET',
      /^\/v1\/checkout\/sessions\/(cs_test_\w+)$/,
      (_p, c, m) => api.find(controls.sessions, 'checkout.session', m[1]!, c),
    ],
    [
      'POST',
      /^\/v1\/checkout\/sessions\/(cs_test_\w+)\/expire$/,
      (_p, c, m) => api.expireSession(api.find(controls.sessions, 'checkout.session', m[1]!, c), c),
    ],
    [
      'GET',
      /^\/v1\/balance_transactions$/,
      (p, c) => api.page(controls.list('balance_transactions', c), p, '/v1/balance_transactions'),
    ],
    ['GET', /^\/v1\/events$/, (p, c) => api.page(controls.list('events', c), p, '/v1/events')],
    [
      'GET',
      /^\/v1\/events\/(evt_\w+)$/,
      (_p, c, m) => {
        const event = controls.events.find(
          (e) => e.id === m[1] && controls.contextOf.get(e.id) === c,
        );
        if (!event) throw notFound('event', m[1]!);
        return event;
      },
    ],
  ];

  const handleApi = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const method = req.method ?? 'GET';
    const text = method === 'GET' ? url.search.slice(1) : await bodyOf(req);
    const auth = req.headers.authorization ?? '';
    if (!sameSecret(auth, `Bearer ${options.secretKey}`)) {
      throw new StripeApiError(
        401,
        'invalid_request_error',
        'Invalid API Key provided: sk_test_****',
      );
    }
    const context =
      (req.headers['stripe-account'] as string | undefined) ??
      (req.headers['stripe-context'] as string | undefined) ??
      'platform';
    if (context !== 'platform' && !controls.accounts.has(context))
      throw new StripeApiError(
        403,
        'invalid_request_error',
        `The provided key does not have access to account '${context}' (or that account does not exist).`,
        { code: 'account_invalid' },
      );
    const key = req.headers['idempotency-key'] as string | undefined;
    controls.requests.push({ method, path: url.pathname, ...(key ? { idempotencyKey: key } : {}) });
    const found = operations.find(([m, pattern]) => m === method && pattern.test(url.pathname));
    if (!found)
      throw new StripeApiError(
        404,
        'invalid_request_error',
        `Unrecognized request URL (${method}: ${url.pathname}).`,
      );
    const params = parseForm(text);
    const delay = controls.delays.shift();
    const answer = async (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
      if (!res.destroyed) sendJson(res, status, body, headers);
    };
    const slot = key && method === 'POST' ? `${context}|${key}` : undefined;
    const fingerprint = `${method} ${url.pathname} ${JSON.stringify(params)}`;
    const earlier = slot ? controls.idempotent.get(slot) : undefined;
    if (earlier) {
      if (earlier.fingerprint !== fingerprint) {
        return answer(400, {
          error: {
            type: 'idempotency_error',
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
          },
        });
      }
      return answer(earlier.status, earlier.body, { 'idempotent-replayed': 'true' });
    }
    let status = 200;
    let body: unknown;
    try {
      body = found[2](params, context, found[1].exec(url.pathname)!);
    } catch (err) {
      if (!(err instanceof StripeApiError)) throw err;
      status = err.status;
      body = { error: { type: err.type, message: err.message, ...err.extra } };
    }
    // Stripe keeps the result of a request that ran (a success, a card error); not a refused one.
    if (slot && (status === 200 || status === 402))
      controls.idempotent.set(slot, { fingerprint, status, body: structuredClone(body) });
    return answer(status, body, key ? { 'idempotency-key': key } : {});
  };

  const handleControl = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const p = (req.method === 'POST' ? JSON.parse((await bodyOf(req)) || '{}') : {}) as Record<
      string,
      unknown
    >;
    const text = (key: string) => (typeof p[key] === 'string' ? p[key] : undefined);
    const path = url.pathname.slice('/__fake'.length);
    let m: RegExpExecArray | null;
    if (req.method === 'POST' && path === '/delay') {
      controls.delayNext(Number(p.ms), Number(p.count ?? 1));
      return sendJson(res, 200, { delayed: controls.delays.length });
    }
    if (req.method === 'POST' && (m = /^\/events\/(evt_\w+)\/redeliver$/.exec(path))) {
      controls.redeliver(m[1]!);
      return sendJson(res, 200, { redelivered: m[1] });
    }
    if (req.method === 'POST' && path === '/balance_transactions') {
      const txn = controls.plantBalanceTransaction(text('account') ?? 'platform', {
        amount: Number(p.amount),
        fee: p.fee === undefined ? undefined : Number(p.fee),
        type: text('type'),
        source: p.source as string | null | undefined,
      });
      return sendJson(res, 200, txn);
    }
    if (
      req.method === 'POST' &&
      (m = /^\/checkout\/sessions\/(cs_test_\w+)\/(pay|expire)$/.exec(path))
    ) {
      const session = controls.sessions.get(m[1]!);
      if (!session) throw notFound('checkout.session', m[1]!);
      if (m[2] === 'expire')
        return sendJson(res, 200, api.expireSession(session, controls.contextOf.get(session.id)!));
      return sendJson(res, 200, api.paySession(session, text('card') ?? TEST_CARDS.succeeds));
    }
    if (req.method === 'GET' && (m = /^\/objects\/(\w+)$/.exec(path))) {
      return sendJson(res, 200, {
        data: controls.list(m[1]!, url.searchParams.get('account') ?? undefined),
        deliveries: m[1] === 'events' ? controls.deliveries : undefined,
      });
    }
    throw notFound('control', path);
  };

  const handlePages = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    let m: RegExpExecArray | null;
    if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok', service: 'stripe' });
    if ((m = /^\/pay\/(cs_test_\w+)$/.exec(url.pathname))) {
      const session = controls.sessions.get(m[1]!);
      if (!session)
        return sendHtml(
          res,
          404,
          page('Non trovato / Not found', '<h1>Non trovato / Not found</h1>'),
        );
      if (session.status !== 'open')
        return sendHtml(
          res,
          410,
          page(
            'Sessione chiusa / Session closed',
            '<h1>Questa sessione di pagamento non è più aperta. / This payment session is no longer open.</h1>',
          ),
        );
      if (req.method === 'GET') return sendHtml(res, 200, checkoutPage(session));
      const form = new URLSearchParams(await bodyOf(req));
      const outcome = api.paySession(session, form.get('card') ?? '');
      if (!outcome.ok) return sendHtml(res, 402, checkoutPage(session, outcome.message));
      return redirect(
        res,
        (session.success_url as string).replace('{CHECKOUT_SESSION_ID}', session.id),
      );
    }
    if ((m = /^\/connect\/onboarding\/([0-9a-f]{32})$/.exec(url.pathname))) {
      if (!controls.links.has(m[1]!))
        return sendHtml(
          res,
          410,
          page('Link scaduto / Link expired', '<h1>Link scaduto / Link expired</h1>'),
        );
      if (req.method === 'GET') return sendHtml(res, 200, onboardingPage(m[1]!));
      return redirect(res, api.completeOnboarding(m[1]!));
    }
    return sendJson(res, 404, { error: { type: 'invalid_request_error', message: 'Not found.' } });
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = url.pathname.startsWith('/v1/')
      ? handleApi
      : url.pathname.startsWith('/__fake/')
        ? handleControl
        : handlePages;
    route(req, res, url).catch((err: unknown) => {
      if (res.headersSent) return res.destroy();
      if (err instanceof StripeApiError)
        return sendJson(res, err.status, {
          error: { type: err.type, message: err.message, ...err.extra },
        });
      if (err instanceof SyntaxError)
        return sendJson(res, 400, {
          error: { type: 'invalid_request_error', message: 'Invalid JSON.' },
        });
      sendJson(res, 500, { error: { type: 'api_error', message: 'Fake Stripe failed.' } });
    });
  });
  const host = options.host ?? '127.0.0.1';
  await listenOn(server, host, options.port);
  const port = (server.address() as AddressInfo).port;
  base ||= `http://${host}:${port}`;
  const sweeper = setInterval(() => api.sweep(), 1_000);
  sweeper.unref();

  return {
    url: `http://${host}:${port}`,
    port,
    controls,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(sweeper);
        controls.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
