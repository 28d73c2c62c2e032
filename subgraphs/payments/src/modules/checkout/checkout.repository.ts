import type { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral } from '@welfare/kit/book';

/** Where a checkout is (see checkout.service.ts for the machine). */
export const CHECKOUT_STATUSES = [
  'OPEN',
  'HOLDING',
  'AWAITING_CARD',
  'CAPTURING',
  'PAID',
  'RELEASING',
  'FAILED',
] as const;
export type CheckoutStatus = (typeof CHECKOUT_STATUSES)[number];

export const LEG_STATUSES = [
  'PLANNED',
  'HELD',
  'AUTHORISED',
  'CAPTURED',
  'RELEASED',
  'FAILED',
] as const;
export type LegStatus = (typeof LEG_STATUSES)[number];

export interface CheckoutRow {
  id: string;
  payableRef: string;
  personId: string;
  payeeOrganisationId: string;
  comuneId: string;
  amountCents: number;
  descriptionIt: string;
  descriptionEn: string;
  status: CheckoutStatus;
  failureReason: string | null;
  holdsUntil: Date;
  cardUrl: string | null;
  createdAt: Date;
  updatedAt: Date;
  paidAt: Date | null;
}

export interface LegRow {
  id: string;
  checkoutId: string;
  position: number;
  kind: 'FUND' | 'CARD';
  owner: string | null;
  fundId: string | null;
  fundKind: string | null;
  labelIt: string;
  labelEn: string;
  amountCents: number;
  status: LegStatus;
  capturedCents: number;
  refundedCents: number;
}

const T = '"payments"."checkout"';
const L = '"payments"."checkout_leg"';

const CHECKOUT_COLUMNS = `id, payable_ref as "payableRef", person_id as "personId",
  payee_organisation_id as "payeeOrganisationId", comune_id as "comuneId",
  amount_cents::float8 as "amountCents", description_it as "descriptionIt",
  description_en as "descriptionEn", status, failure_reason as "failureReason",
  holds_until as "holdsUntil", card_url as "cardUrl", created_at as "createdAt",
  updated_at as "updatedAt", paid_at as "paidAt"`;

const LEG_COLUMNS = `id, checkout_id as "checkoutId", position, kind, owner, fund_id as "fundId",
  fund_kind as "fundKind", label_it as "labelIt", label_en as "labelEn",
  amount_cents::float8 as "amountCents", status, captured_cents::float8 as "capturedCents",
  refunded_cents::float8 as "refundedCents"`;

/** A row as the driver answers it (timestamps may come as text): dates made Dates. */
function checkoutOf(raw: CheckoutRow): CheckoutRow {
  const date = (v: Date | string | null) => (v === null ? null : new Date(v));
  return {
    ...raw,
    holdsUntil: date(raw.holdsUntil)!,
    createdAt: date(raw.createdAt)!,
    updatedAt: date(raw.updatedAt)!,
    paidAt: date(raw.paidAt),
  };
}

/** New checkout, with its legs (one transaction: the legs must add up to the amount). */
export interface NewCheckout {
  id: string;
  payableRef: string;
  personId: string;
  payeeOrganisationId: string;
  comuneId: string;
  amountCents: number;
  descriptionIt: string;
  descriptionEn: string;
  holdsUntil: Date;
  legs: Omit<LegRow, 'checkoutId' | 'status' | 'capturedCents' | 'refundedCents'>[];
}

/** The checkout tables' queries. Every state change is a conditional update (from a known state). */
export class CheckoutRepository {
  /**
   * Inserts the checkout and its legs; answers false when the payable already has a live checkout
   * (the unique index) or the id exists: nothing is written then.
   */
  async insert(em: EntityManager, c: NewCheckout): Promise<boolean> {
    return em.transactional(async (tx) => {
      const inserted = await tx.execute<{ id: string }[]>(
        `insert into ${T} (id, payable_ref, person_id, payee_organisation_id, comune_id, amount_cents,
           description_it, description_en, status, holds_until)
         values (?, ?, ?, ?, ?, ?, ?, ?, 'OPEN', ?)
         on conflict do nothing returning id`,
        [
          c.id,
          c.payableRef,
          c.personId,
          c.payeeOrganisationId,
          c.comuneId,
          c.amountCents,
          c.descriptionIt,
          c.descriptionEn,
          c.holdsUntil,
        ],
      );
      if (inserted.length === 0) return false;
      for (const leg of c.legs) {
        await tx.execute(
          `insert into ${L} (id, checkout_id, position, kind, owner, fund_id, fund_kind, label_it,
             label_en, amount_cents, status)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PLANNED')`,
          [
            leg.id,
            c.id,
            leg.position,
            leg.kind,
            leg.owner,
            leg.fundId,
            leg.fundKind,
            leg.labelIt,
            leg.labelEn,
            leg.amountCents,
          ],
        );
      }
      return true;
    });
  }

  async find(em: EntityManager, id: string): Promise<CheckoutRow | undefined> {
    const [row] = await em.execute<CheckoutRow[]>(
      `select ${CHECKOUT_COLUMNS} from ${T} where id = ?`,
      [id],
    );
    return row && checkoutOf(row);
  }

  async legs(em: EntityManager, checkoutId: string): Promise<LegRow[]> {
    return em.execute<LegRow[]>(
      `select ${LEG_COLUMNS} from ${L} where checkout_id = ? order by position`,
      [checkoutId],
    );
  }

  async legsOf(em: EntityManager, checkoutIds: readonly string[]): Promise<LegRow[]> {
    if (checkoutIds.length === 0) return [];
    return em.execute<LegRow[]>(
      `select ${LEG_COLUMNS} from ${L} where checkout_id = any(?::uuid[]) order by checkout_id, position`,
      [arrayLiteral(checkoutIds)],
    );
  }

  /** The checkout a leg belongs to. */
  async checkoutOfLeg(em: EntityManager, legId: string): Promise<string | undefined> {
    const [row] = await em.execute<{ checkoutId: string }[]>(
      `select checkout_id as "checkoutId" from ${L} where id = ?`,
      [legId],
    );
    return row?.checkoutId;
  }

  /** A person's checkouts, newest first. */
  async ofPerson(em: EntityManager, personId: string, limit: number): Promise<CheckoutRow[]> {
    const rows = await em.execute<CheckoutRow[]>(
      `select ${CHECKOUT_COLUMNS} from ${T} where person_id = ? order by created_at desc limit ?`,
      [personId, limit],
    );
    return rows.map(checkoutOf);
  }

  /** A payee's checkouts, newest first. */
  async ofPayee(em: EntityManager, organisationId: string, limit: number): Promise<CheckoutRow[]> {
    const rows = await em.execute<CheckoutRow[]>(
      `select ${CHECKOUT_COLUMNS} from ${T} where payee_organisation_id = ?
       order by created_at desc limit ?`,
      [organisationId, limit],
    );
    return rows.map(checkoutOf);
  }

  /**
   * Takes the checkout's lease for `ms` (one advancer at a time: the request, a webhook, the
   * recovery job); answers the token, or undefined when another holds a lease that has not run out.
   */
  async lease(em: EntityManager, id: string, token: string, ms: number): Promise<boolean> {
    const rows = await em.execute<{ id: string }[]>(
      `update ${T} set lease_until = now() + (? * interval '1 millisecond'), lease_token = ?
       where id = ? and status not in ('PAID', 'FAILED')
         and (lease_until is null or lease_until < now() or lease_token = ?)
       returning id`,
      [ms, token, id, token],
    );
    return rows.length === 1;
  }

  async unlease(em: EntityManager, id: string, token: string): Promise<void> {
    await em.execute(
      `update ${T} set lease_until = null, lease_token = null where id = ? and lease_token = ?`,
      [id, token],
    );
  }

  /** Moves the checkout from `from` to `to`; false if it was not in `from`. */
  async move(
    em: EntityManager,
    id: string,
    from: readonly CheckoutStatus[],
    to: CheckoutStatus,
    extra: { failureReason?: string; cardUrl?: string } = {},
  ): Promise<boolean> {
    const rows = await em.execute<{ id: string }[]>(
      `update ${T} set status = ?, updated_at = now(),
         failure_reason = coalesce(?, failure_reason), card_url = coalesce(?, card_url),
         paid_at = case when ? = 'PAID' then now() else paid_at end
       where id = ? and status = any(?::text[]) returning id`,
      [to, extra.failureReason ?? null, extra.cardUrl ?? null, to, id, arrayLiteral(from)],
    );
    return rows.length === 1;
  }

  async setLeg(
    em: EntityManager,
    legId: string,
    status: LegStatus,
    capturedCents?: number,
  ): Promise<void> {
    await em.execute(
      `update ${L} set status = ?, captured_cents = coalesce(?, captured_cents), updated_at = now()
       where id = ?`,
      [status, capturedCents ?? null, legId],
    );
  }

  /** Checkouts not finished whose last change is older than `olderThanMs`, oldest first. */
  async unfinished(em: EntityManager, olderThanMs: number, limit: number): Promise<string[]> {
    const rows = await em.execute<{ id: string }[]>(
      `select id from ${T} where status not in ('PAID', 'FAILED')
         and updated_at < now() - (? * interval '1 millisecond')
         and (lease_until is null or lease_until < now())
       order by updated_at limit ?`,
      [olderThanMs, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Records a refund and its split over the legs (one transaction). */
  async insertRefund(
    em: EntityManager,
    refund: {
      id: string;
      checkoutId: string;
      amountCents: number;
      cancel: boolean;
      requestedBy: string;
      reason: string | null;
    },
    split: ReadonlyMap<string, number>,
  ): Promise<boolean> {
    return em.transactional(async (tx) => {
      const rows = await tx.execute<{ id: string }[]>(
        `insert into "payments"."checkout_refund" (id, checkout_id, amount_cents, cancel, requested_by, reason, status)
         values (?, ?, ?, ?, ?, ?, 'PENDING') on conflict (id) do nothing returning id`,
        [
          refund.id,
          refund.checkoutId,
          refund.amountCents,
          refund.cancel,
          refund.requestedBy,
          refund.reason,
        ],
      );
      if (rows.length === 0) return false;
      for (const [legId, amount] of split) {
        if (amount <= 0) continue;
        await tx.execute(
          `insert into "payments"."checkout_refund_leg" (refund_id, leg_id, amount_cents) values (?, ?, ?)`,
          [refund.id, legId, amount],
        );
      }
      return true;
    });
  }

  async refund(
    em: EntityManager,
    id: string,
  ): Promise<
    | { id: string; checkoutId: string; amountCents: number; cancel: boolean; status: string }
    | undefined
  > {
    const [row] = await em.execute<
      { id: string; checkoutId: string; amountCents: number; cancel: boolean; status: string }[]
    >(
      `select id, checkout_id as "checkoutId", amount_cents::float8 as "amountCents", cancel, status
       from "payments"."checkout_refund" where id = ?`,
      [id],
    );
    return row;
  }

  async refundLegs(
    em: EntityManager,
    refundId: string,
  ): Promise<{ legId: string; amountCents: number; done: boolean }[]> {
    return em.execute(
      // The funds' parts first: an owner may refuse (money already paid out), a card refund not.
      `select r.leg_id as "legId", r.amount_cents::float8 as "amountCents", r.done
       from "payments"."checkout_refund_leg" r join ${L} l on l.id = r.leg_id
       where r.refund_id = ? order by (l.kind = 'CARD'), l.position, r.leg_id`,
      [refundId],
    );
  }

  /**
   * Forgets a refund none of whose parts was carried out (a fund owner refused the first): as if
   * it had never been asked. False, changing nothing, once any part is done.
   */
  async dropUntouchedRefund(em: EntityManager, refundId: string): Promise<boolean> {
    return em.transactional(async (tx) => {
      const [refund] = await tx.execute<{ id: string }[]>(
        `select id from "payments"."checkout_refund" where id = ? and status = 'PENDING' for update`,
        [refundId],
      );
      if (!refund) return false;
      const [touched] = await tx.execute<{ done: boolean }[]>(
        `select bool_or(done) as done from "payments"."checkout_refund_leg" where refund_id = ?`,
        [refundId],
      );
      if (touched?.done) return false;
      await tx.execute(`delete from "payments"."checkout_refund_leg" where refund_id = ?`, [
        refundId,
      ]);
      await tx.execute(`delete from "payments"."checkout_refund" where id = ?`, [refundId]);
      return true;
    });
  }

  /** Marks one leg's part of a refund done and adds it to the leg's refunded total (once). */
  async refundLegDone(em: EntityManager, refundId: string, legId: string): Promise<void> {
    await em.transactional(async (tx) => {
      const rows = await tx.execute<{ amount: number }[]>(
        `update "payments"."checkout_refund_leg" set done = true
         where refund_id = ? and leg_id = ? and not done returning amount_cents::float8 as amount`,
        [refundId, legId],
      );
      if (rows.length === 1) {
        await tx.execute(`update ${L} set refunded_cents = refunded_cents + ? where id = ?`, [
          rows[0]!.amount,
          legId,
        ]);
      }
    });
  }

  async refundDone(em: EntityManager, refundId: string): Promise<void> {
    await em.execute(
      `update "payments"."checkout_refund" set status = 'DONE', done_at = now() where id = ? and status = 'PENDING'`,
      [refundId],
    );
  }
}
