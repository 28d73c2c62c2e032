import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { FeePayer } from '../circuit/circuit.entity.js';

export const PAYMENT_REQUEST_STATUSES = ['OPEN', 'PAID'] as const;
export type PaymentRequestStatus = (typeof PAYMENT_REQUEST_STATUSES)[number];

/**
 * What a payee shows as a QR code to be paid: with an amount (paid once, then PAID) or without one
 * (the payer types it; paid any number of times until it expires, like a shop's counter sign).
 */
@Entity({ tableName: 'payment_request' })
export class PaymentRequest {
  [OptionalProps]?: 'amountCents' | 'status' | 'paymentId' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  circuitId!: string;

  /** The member paid (a citizen or an organisation). */
  @Property({ type: 'uuid' })
  payeeMemberId!: string;

  /** Null: the payer chooses the amount. */
  @Property({ type: 'integer', nullable: true })
  amountCents?: number | null = null;

  /** What it is for, shown to the payer (1 to 140 characters). */
  @Property({ type: 'text' })
  description!: string;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'text' })
  status: PaymentRequestStatus = 'OPEN';

  /** A request with an amount, once PAID: the payment. */
  @Property({ type: 'uuid', nullable: true })
  paymentId?: string | null = null;

  /** The identity Person who created it. */
  @Property({ type: 'uuid' })
  createdBy!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

/**
 * A payment between two members of a circuit, as recorded beside its transfers (table `payment`,
 * written and read with SQL by the repository). What the `afterPayment` hooks receive.
 */
export interface Payment {
  id: string;
  /** The client's uuid: the same key is the same payment. */
  idempotencyKey: string;
  circuitId: string;
  /** The request paid, if any. */
  requestId: string | null;
  payerMemberId: string;
  payeeMemberId: string;
  /** The amount paid (what the payee asked), in cents. */
  amountCents: number;
  /** The circuit's fee on it, in cents. */
  feeCents: number;
  feePayer: FeePayer;
  description: string | null;
  /** The identity Person who confirmed it. */
  paidBy: string;
  createdAt: Date;
}

/** A payment with the names of both members, as shown to them. */
export interface PaymentView extends Payment {
  circuitCode: string;
  payerName: string;
  payeeName: string;
}
