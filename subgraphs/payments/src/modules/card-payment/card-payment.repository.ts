import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '@welfare/kit/sql';
import { CardPayment, CardRefund, type CardPaymentStatus } from './card-payment.entity.js';

/** What Stripe says of a card payment, as one conditional update applies it. */
export interface CardPaymentChange {
  /** The new status, applied only from one of `from`. */
  status?: CardPaymentStatus;
  from?: readonly CardPaymentStatus[];
  checkoutSessionId?: string | null;
  paymentIntentId?: string | null;
  chargeId?: string | null;
  checkoutUrl?: string | null;
  capturedAmount?: number;
  failureCode?: string | null;
}

/** How a card payment is found from Stripe's objects: our id (metadata), else Stripe's ids. */
export interface CardPaymentKey {
  id?: string | undefined;
  checkoutSessionId?: string | null | undefined;
  paymentIntentId?: string | null | undefined;
  chargeId?: string | null | undefined;
}

/** The queries of card payments and refunds. */
export class CardPaymentRepository {
  find(em: EntityManager, id: string): Promise<CardPayment | null> {
    return em.findOne(CardPayment, { id }, { refresh: true });
  }

  /** Stores a new card payment (committed before Stripe is called). */
  async insert(em: EntityManager, row: Omit<CardPayment, 'createdAt' | 'updatedAt'>) {
    em.create(CardPayment, row);
    await em.flush();
  }

  /**
   * Applies a change to the card payment `key` names, in one statement: the status moves only
   * from one of `change.from` (so a late or repeated event changes nothing), Stripe's ids are
   * filled in when still unknown, the captured amount and time are set once. Answers the rows
   * whose status changed.
   */
  async apply(em: EntityManager, key: CardPaymentKey, change: CardPaymentChange): Promise<number> {
    const rows = await sql<{ changed: boolean }>(
      em,
      `with target as (
         select "id", "status" from "payments"."card_payment"
          where "id" = $1::uuid or "checkout_session_id" = $2 or "payment_intent_id" = $3
             or "charge_id" = $4
          limit 1 for update
       )
       update "payments"."card_payment" p set
         "status" = case when $5::text is not null and p."status" = any($6::text[]) then $5 else p."status" end,
         "checkout_session_id" = coalesce(p."checkout_session_id", $7),
         "payment_intent_id" = coalesce(p."payment_intent_id", $8),
         "charge_id" = coalesce(p."charge_id", $9),
         "checkout_url" = coalesce(p."checkout_url", $10),
         "captured_amount" = case when $5 = 'CAPTURED' and p."status" = any($6::text[]) then $11::bigint else p."captured_amount" end,
         "captured_at" = case when $5 = 'CAPTURED' and p."status" = any($6::text[]) then now() else p."captured_at" end,
         "failure_code" = coalesce($12::text, p."failure_code"),
         "updated_at" = now()
        from target
       where p."id" = target."id"
       returning (target."status" is distinct from p."status") as changed`,
      [
        key.id ?? null,
        key.checkoutSessionId ?? null,
        key.paymentIntentId ?? null,
        key.chargeId ?? null,
        change.status ?? null,
        change.from ?? [],
        change.checkoutSessionId ?? null,
        change.paymentIntentId ?? null,
        change.chargeId ?? null,
        change.checkoutUrl ?? null,
        change.capturedAmount ?? 0,
        change.failureCode ?? null,
      ],
    );
    return rows.filter((r) => r.changed).length;
  }

  /** Stripe's refunded total of a charge: it only grows. */
  async setRefunded(em: EntityManager, key: CardPaymentKey, refunded: number): Promise<void> {
    await sql(
      em,
      `update "payments"."card_payment"
          set "refunded_amount" = greatest("refunded_amount", least($5::bigint, "captured_amount")), "updated_at" = now()
        where "id" = $1::uuid or "payment_intent_id" = $2 or "charge_id" = $3 or "checkout_session_id" = $4`,
      [
        key.id ?? null,
        key.paymentIntentId ?? null,
        key.chargeId ?? null,
        key.checkoutSessionId ?? null,
        refunded,
      ],
    );
  }

  findRefund(em: EntityManager, id: string): Promise<CardRefund | null> {
    return em.findOne(CardRefund, { id }, { refresh: true });
  }

  /** Cents refunded or being refunded of a card payment. */
  async refundedOrPending(em: EntityManager, cardPaymentId: string): Promise<number> {
    const [row] = await sql<{ total: string }>(
      em,
      `select coalesce(sum("amount"), 0) as total from "payments"."card_refund"
        where "card_payment_id" = $1 and "status" <> 'FAILED'`,
      [cardPaymentId],
    );
    return Number(row?.total ?? 0);
  }

  async insertRefund(em: EntityManager, row: Pick<CardRefund, 'id' | 'cardPaymentId' | 'amount'>) {
    em.create(CardRefund, { ...row, status: 'REQUESTED' });
    await em.flush();
  }

  async settleRefund(
    em: EntityManager,
    id: string,
    outcome: { status: 'SUCCEEDED' | 'FAILED'; stripeRefundId?: string },
  ): Promise<void> {
    await sql(
      em,
      `update "payments"."card_refund" set "status" = $2, "stripe_refund_id" = coalesce("stripe_refund_id", $3)
        where "id" = $1 and "status" = 'REQUESTED'`,
      [id, outcome.status, outcome.stripeRefundId ?? null],
    );
  }

  /** Captured payments of an account since `since`, and those whose charge is in `chargeIds`. */
  capturedOf(
    em: EntityManager,
    stripeAccountId: string,
    since: Date,
    chargeIds: string[],
  ): Promise<CardPayment[]> {
    return em.find(
      CardPayment,
      {
        stripeAccountId,
        status: 'CAPTURED',
        $or: [{ capturedAt: { $gte: since } }, { chargeId: { $in: chargeIds } }],
      },
      { refresh: true },
    );
  }

  /** Succeeded refunds of an account's payments since `since`, and those in `stripeRefundIds`. */
  async refundsOf(
    em: EntityManager,
    stripeAccountId: string,
    since: Date,
    stripeRefundIds: string[],
  ): Promise<{ id: string; stripeRefundId: string | null; amount: number }[]> {
    const rows = await sql<{ id: string; stripe_refund_id: string | null; amount: string }>(
      em,
      `select r."id", r."stripe_refund_id", r."amount" from "payments"."card_refund" r
         join "payments"."card_payment" p on p."id" = r."card_payment_id"
        where p."stripe_account_id" = $1 and r."status" = 'SUCCEEDED'
          and (r."created_at" >= $2 or r."stripe_refund_id" = any($3::text[]))`,
      [stripeAccountId, since, stripeRefundIds],
    );
    return rows.map((r) => ({
      id: r.id,
      stripeRefundId: r.stripe_refund_id,
      amount: Number(r.amount),
    }));
  }
}
