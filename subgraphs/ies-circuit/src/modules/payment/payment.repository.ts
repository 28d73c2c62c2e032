import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Circuit, type FeePayer } from '../circuit/circuit.entity.js';
import { Member } from '../member/member.entity.js';
import { PaymentRequest, type Payment, type PaymentView } from './payment.entity.js';

const S = '"ies_circuit"';

interface PaymentRow {
  id: string;
  idempotency_key: string;
  circuit_id: string;
  request_id: string | null;
  payer_member_id: string;
  payee_member_id: string;
  amount_cents: number;
  fee_cents: number;
  fee_payer: FeePayer;
  description: string | null;
  paid_by: string;
  created_at: string | Date;
  circuit_code: string;
  payer_name: string;
  payee_name: string;
}

const VIEW = `select p.*, c.code as circuit_code, payer.display_name as payer_name,
  payee.display_name as payee_name
from ${S}."payment" p
join ${S}."circuit" c on c.id = p.circuit_id
join ${S}."member" payer on payer.id = p.payer_member_id
join ${S}."member" payee on payee.id = p.payee_member_id`;

const toView = (r: PaymentRow): PaymentView => ({
  id: r.id,
  idempotencyKey: r.idempotency_key,
  circuitId: r.circuit_id,
  requestId: r.request_id,
  payerMemberId: r.payer_member_id,
  payeeMemberId: r.payee_member_id,
  amountCents: Number(r.amount_cents),
  feeCents: Number(r.fee_cents),
  feePayer: r.fee_payer,
  description: r.description,
  paidBy: r.paid_by,
  createdAt: new Date(r.created_at),
  circuitCode: r.circuit_code,
  payerName: r.payer_name,
  payeeName: r.payee_name,
});

/** What paying a request reads before its transaction, in one statement. */
export interface PayContext {
  request: PaymentRequest;
  circuit: Circuit;
  payee: Member;
  /** The payment already recorded with the key (a retry), if any. */
  recorded: PaymentView | null;
}

/** The queries of payment requests and payments. */
export class PaymentRepository {
  /**
   * The request, its circuit, its payee and the payment recorded with `idempotencyKey`, in one
   * round trip (each row as JSON, mapped to its entity): null when there is no such request.
   */
  async payContext(
    em: EntityManager,
    requestId: string,
    idempotencyKey: string,
  ): Promise<PayContext | null> {
    const rows = await em.execute<
      {
        request: Record<string, unknown>;
        circuit: Record<string, unknown>;
        payee: Record<string, unknown>;
        recorded: PaymentRow | null;
      }[]
    >(
      `select to_jsonb(r) as request, to_jsonb(c) as circuit, to_jsonb(m) as payee,
         (select to_jsonb(v) from (${VIEW} where p.idempotency_key = ?) v) as recorded
       from ${S}."payment_request" r
       join ${S}."circuit" c on c.id = r.circuit_id
       join ${S}."member" m on m.id = r.payee_member_id
       where r.id = ?`,
      [idempotencyKey, requestId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      request: em.map(PaymentRequest, row.request),
      circuit: em.map(Circuit, row.circuit),
      payee: em.map(Member, row.payee),
      recorded: row.recorded ? toView(row.recorded) : null,
    };
  }

  request(em: EntityManager, id: string): Promise<PaymentRequest | null> {
    return em.findOne(PaymentRequest, { id });
  }

  /** The request's row locked for the rest of the transaction. */
  lockRequest(em: EntityManager, id: string): Promise<PaymentRequest | null> {
    return em.findOne(
      PaymentRequest,
      { id },
      { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
    );
  }

  /**
   * Records the payment unless its key is recorded already: its creation time when recorded now,
   * null otherwise. A concurrent insert with the same key waits for the other transaction and
   * records nothing if it commits.
   */
  async insert(em: EntityManager, p: Omit<Payment, 'createdAt'>): Promise<Date | null> {
    const rows = await em.execute<{ created_at: string | Date }[]>(
      `insert into ${S}."payment" (id, idempotency_key, circuit_id, request_id, payer_member_id,
         payee_member_id, amount_cents, fee_cents, fee_payer, description, paid_by)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (idempotency_key) do nothing returning created_at`,
      [
        p.id,
        p.idempotencyKey,
        p.circuitId,
        p.requestId,
        p.payerMemberId,
        p.payeeMemberId,
        p.amountCents,
        p.feeCents,
        p.feePayer,
        p.description,
        p.paidBy,
      ],
    );
    return rows[0] ? new Date(rows[0].created_at) : null;
  }

  /** Marks a request with an amount PAID by the payment: false when it was not OPEN. */
  async markPaid(em: EntityManager, requestId: string, paymentId: string): Promise<boolean> {
    const rows = await em.execute<{ id: string }[]>(
      `update ${S}."payment_request" set status = 'PAID', payment_id = ?
       where id = ? and status = 'OPEN' and amount_cents is not null returning id`,
      [paymentId, requestId],
    );
    return rows.length === 1;
  }

  async byKey(em: EntityManager, idempotencyKey: string): Promise<PaymentView | null> {
    const rows = await em.execute<PaymentRow[]>(`${VIEW} where p.idempotency_key = ?`, [
      idempotencyKey,
    ]);
    return rows[0] ? toView(rows[0]) : null;
  }

  /** A member's payments, made or received, newest first. */
  async ofMember(em: EntityManager, memberId: string, limit: number): Promise<PaymentView[]> {
    const rows = await em.execute<PaymentRow[]>(
      `select * from (
         (${VIEW} where p.payer_member_id = ? order by p.created_at desc limit ?)
         union all
         (${VIEW} where p.payee_member_id = ? order by p.created_at desc limit ?)
       ) m order by created_at desc, id limit ?`,
      [memberId, limit, memberId, limit, limit],
    );
    return rows.map(toView);
  }
}
