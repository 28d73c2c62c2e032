import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '@welfare/kit';
import { sendJson, type RouteHandler } from '@welfare/kit/http';
import type Stripe from 'stripe';
import type { CardPaymentService } from '../card-payment/card-payment.service.js';
import type { ProviderAccountService } from '../provider-account/provider-account.service.js';
import type { StripeEventRepository } from './stripe-event.repository.js';
import type { StripeGateway } from './stripe.gateway.js';

/** Stripe's events are small; anything bigger is not Stripe. */
const MAX_WEBHOOK_BYTES = 512 * 1024;

/** What a delivery is answered. */
export type WebhookOutcome =
  | { status: 200; eventId: string; first: boolean }
  | { status: 400; reason: 'signature' | 'body' }
  | { status: 503; reason: 'not configured' };

/**
 * Stripe's events, verified and applied once: the signature over the raw body with the endpoint's
 * secret and a timestamp at most 300 s old (otherwise 400, nothing recorded); then, in one
 * transaction, the event's id is recorded (a unique key) and, the first time only, its effect
 * applied. Effects only move a card payment forward, so events out of order change nothing late.
 */
export class StripeWebhookService {
  constructor(
    private readonly gateway: StripeGateway | undefined,
    private readonly events: StripeEventRepository,
    private readonly cardPayments: CardPaymentService,
    private readonly accounts: ProviderAccountService,
    /**
     * Told, after the event is recorded and applied, of the card payment a first delivery moved
     * (the checkout takes its card leg on). Its failure does not fail the delivery: the checkout's
     * recovery job takes the leg on anyway.
     */
    private readonly onCardPayment?: (em: EntityManager, cardPaymentId: string) => Promise<void>,
  ) {}

  async receive(
    em: EntityManager,
    rawBody: Buffer,
    signature: string | undefined,
  ): Promise<WebhookOutcome> {
    if (!this.gateway) return { status: 503, reason: 'not configured' };
    let event: Stripe.Event;
    try {
      event = this.gateway.constructEvent(rawBody, signature ?? '');
    } catch {
      return { status: 400, reason: 'signature' };
    }
    if (typeof event.id !== 'string' || !/^evt_\w+$/.test(event.id))
      return { status: 400, reason: 'body' };
    const first = await em.transactional(async (tx) => {
      const isFirst = await this.events.record(tx, {
        id: event.id,
        type: event.type,
        account: event.account,
      });
      if (isFirst) await this.apply(tx, event);
      return isFirst;
    });
    const cardPaymentId = cardPaymentIdOf(event);
    if (first && cardPaymentId && this.onCardPayment) {
      await this.onCardPayment(em, cardPaymentId).catch(() => undefined);
    }
    return { status: 200, eventId: event.id, first };
  }

  private async apply(em: EntityManager, event: Stripe.Event): Promise<void> {
    switch (event.type) {
      case 'account.updated': {
        const account = event.data.object;
        await this.accounts.applyAccountUpdate(em, account.id, {
          chargesEnabled: account.charges_enabled ?? false,
          detailsSubmitted: account.details_submitted ?? false,
        });
        return;
      }
      case 'checkout.session.completed':
      case 'checkout.session.expired':
        await this.cardPayments.applySession(em, event.data.object);
        return;
      case 'payment_intent.amount_capturable_updated':
      case 'payment_intent.succeeded':
      case 'payment_intent.payment_failed':
      case 'payment_intent.canceled':
        await this.cardPayments.applyIntent(em, event.data.object);
        return;
      case 'charge.refunded':
        await this.cardPayments.applyCharge(em, event.data.object);
        return;
      default:
        // Recorded, nothing to do.
        return;
    }
  }
}

/** The card payment an event is about (our id, in the metadata of sessions and intents). */
function cardPaymentIdOf(event: Stripe.Event): string | undefined {
  const object = event.data.object as { object?: string; metadata?: Stripe.Metadata | null };
  if (object.object !== 'checkout.session' && object.object !== 'payment_intent') return undefined;
  const id = object.metadata?.cardPaymentId;
  return typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id) ? id : undefined;
}

/** Reads the raw body (bytes as sent: the signature covers them), refusing big ones. */
async function rawBodyOf(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_WEBHOOK_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * `POST /webhooks/stripe`, a public route (no gateway token: Stripe signs its deliveries). 2xx
 * tells Stripe the event is done; anything else makes it deliver again later.
 */
export function stripeWebhookRoute(
  orm: MikroORM,
  webhooks: StripeWebhookService,
  logger: Logger,
): RouteHandler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const body = await rawBodyOf(req);
    if (!body) return sendJson(res, 413, { error: 'too large' });
    const signature = req.headers['stripe-signature'];
    try {
      const outcome = await webhooks.receive(
        orm.em.fork(),
        body,
        Array.isArray(signature) ? signature[0] : signature,
      );
      if (outcome.status !== 200) {
        logger.warn({ reason: outcome.reason }, 'Stripe webhook refused');
        return sendJson(res, outcome.status, { error: outcome.reason });
      }
      sendJson(res, 200, { received: true, duplicate: !outcome.first });
    } catch (err) {
      logger.error({ err }, 'Stripe webhook failed');
      sendJson(res, 500, { error: 'failed' });
    }
  };
}
