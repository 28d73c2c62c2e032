import type { EntityManager } from '@mikro-orm/postgresql';

const S = '"ies_circuit"';

/** A sale's IES part the holder owes: its hold lapsed and the wallet could not cover it again. */
export interface CardFallbackDebt {
  authorisationId: string;
  circuitId: string;
  holderMemberId: string;
  holderName: string;
  shopMemberId: string;
  shopName: string;
  /** What the shop was to receive, in cents of IES. */
  amountCents: number;
  /** The circuit's fee on it, in cents of IES (0 when exempt). */
  feeCents: number;
  status: 'OPEN' | 'SETTLED';
  createdAt: Date;
  settledAt: Date | null;
}

interface DebtRow {
  authorisation_id: string;
  circuit_id: string;
  holder_member_id: string;
  holder_name: string;
  shop_member_id: string;
  shop_name: string;
  amount_cents: number;
  fee_cents: number;
  status: 'OPEN' | 'SETTLED';
  created_at: string | Date;
  settled_at: string | Date | null;
}

const toDebt = (r: DebtRow): CardFallbackDebt => ({
  authorisationId: r.authorisation_id,
  circuitId: r.circuit_id,
  holderMemberId: r.holder_member_id,
  holderName: r.holder_name,
  shopMemberId: r.shop_member_id,
  shopName: r.shop_name,
  amountCents: Number(r.amount_cents),
  feeCents: Number(r.fee_cents),
  status: r.status,
  createdAt: new Date(r.created_at),
  settledAt: r.settled_at === null ? null : new Date(r.settled_at),
});

/** The card fallback's debts. */
export class CardFallbackRepository {
  /** Records the debt of an authorisation, once (a second record of it changes nothing). */
  async recordDebt(
    em: EntityManager,
    debt: {
      authorisationId: string;
      circuitId: string;
      holderMemberId: string;
      shopMemberId: string;
      amountCents: number;
      feeCents: number;
    },
  ): Promise<void> {
    await em.execute(
      `insert into ${S}."card_fallback_debt"
         ("authorisation_id", "circuit_id", "holder_member_id", "shop_member_id", "amount_cents", "fee_cents")
       values (?, ?, ?, ?, ?, ?) on conflict ("authorisation_id") do nothing`,
      [
        debt.authorisationId,
        debt.circuitId,
        debt.holderMemberId,
        debt.shopMemberId,
        debt.amountCents,
        debt.feeCents,
      ],
    );
  }

  /** Settles an authorisation's OPEN debt (its amount re-taken): nothing when there is none. */
  async settleDebt(tx: EntityManager, authorisationId: string): Promise<void> {
    await tx.execute(
      `update ${S}."card_fallback_debt" set "status" = 'SETTLED', "settled_at" = now()
        where "authorisation_id" = ? and "status" = 'OPEN'`,
      [authorisationId],
    );
  }

  /** A circuit's debts, the OPEN ones first, newest first. */
  async debts(em: EntityManager, circuitId: string, limit: number): Promise<CardFallbackDebt[]> {
    const rows = await em.execute<DebtRow[]>(
      `select d.*, h.display_name as holder_name, s.display_name as shop_name
         from ${S}."card_fallback_debt" d
         join ${S}."member" h on h.id = d.holder_member_id
         join ${S}."member" s on s.id = d.shop_member_id
        where d.circuit_id = ?
        order by (d.status = 'OPEN') desc, d.created_at desc, d.authorisation_id
        limit ?`,
      [circuitId, limit],
    );
    return rows.map(toDebt);
  }
}
