import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** What euro received is for: a member's purchase of IES, or a funding of the circuit's rewards. */
export const RECEIPT_KINDS = ['PURCHASE', 'REWARD_FUNDING'] as const;
export type ReceiptKind = (typeof RECEIPT_KINDS)[number];

/**
 * Euro received into a circuit's reserve, recorded by its staff from the bank statement: a
 * member's purchase (IES issued into the member's wallet) or a rewards funding by the Comune, an
 * employer or a sponsor (IES issued into the rewards account). Once per client key.
 */
@Entity({ tableName: 'reserve_receipt' })
export class ReserveReceipt {
  [OptionalProps]?: 'memberId' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  circuitId!: string;

  @Property({ type: 'text' })
  kind!: ReceiptKind;

  /** The member who bought IES (a PURCHASE only). */
  @Property({ type: 'uuid', nullable: true })
  memberId?: string | null = null;

  /** Who paid the euro, as the bank statement names them. */
  @Property({ type: 'text' })
  funderName!: string;

  /** The bank transfer's reference (CRO/TRN). */
  @Property({ type: 'text' })
  bankReference!: string;

  @Property({ type: 'bigint', runtimeType: 'number' })
  amountCents!: number;

  /** The client's idempotency key: the same key records once. */
  @Property({ type: 'text' })
  clientKey!: string;

  /** The issuance on the book. */
  @Property({ type: 'uuid' })
  transferId!: string;

  /** Who recorded it (the audit log's actor). */
  @Property({ type: 'text' })
  recordedBy!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

/** Where fees go: to the rewards, to a third-sector project, or out to euro for the circuit's costs. */
export const FEE_USE_KINDS = ['REWARDS', 'PROJECT', 'COSTS'] as const;
export type FeeUseKind = (typeof FEE_USE_KINDS)[number];

/** A use of the fees collected, decided by the circuit's manager and shown publicly. */
@Entity({ tableName: 'fee_use' })
export class FeeUse {
  [OptionalProps]?: 'projectId' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  circuitId!: string;

  @Property({ type: 'text' })
  kind!: FeeUseKind;

  /** The project credited (a PROJECT use only). */
  @Property({ type: 'uuid', nullable: true })
  projectId?: string | null = null;

  @Property({ type: 'bigint', runtimeType: 'number' })
  amountCents!: number;

  /** What it paid for, in words (public). */
  @Property({ type: 'text' })
  description!: string;

  @Property({ type: 'text' })
  clientKey!: string;

  @Property({ type: 'uuid' })
  transferId!: string;

  @Property({ type: 'text' })
  recordedBy!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
