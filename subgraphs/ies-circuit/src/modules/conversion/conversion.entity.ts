import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

export const CONVERSION_STATUSES = ['PENDING', 'APPROVED', 'REJECTED'] as const;
export type ConversionStatus = (typeof CONVERSION_STATUSES)[number];

/**
 * An organisation's conversion of IES to euro: the amount less the conversion fee held from its
 * wallet to the issuer and the fee held to the fees account, until the circuit's manager approves
 * (the euro leave the reserve by SEPA credit transfer) or rejects it (the holds voided).
 */
@Entity({ tableName: 'conversion' })
export class Conversion {
  [OptionalProps]?: 'status' | 'decidedBy' | 'decidedAt' | 'reason' | 'createdAt' | 'netCents';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  circuitId!: string;

  @Property({ type: 'uuid' })
  memberId!: string;

  /** The member organisation (the tenant). */
  @Property({ type: 'uuid' })
  organisationId!: string;

  /** The IES converted, in cents (fee included). */
  @Property({ type: 'bigint', runtimeType: 'number' })
  amountCents!: number;

  /** The conversion fee, in cents, to the circuit's fees. */
  @Property({ type: 'bigint', runtimeType: 'number' })
  feeCents!: number;

  /** The payee of the SEPA credit transfer (the member's name when requested). */
  @Property({ type: 'text' })
  creditorName!: string;

  /** The member's IBAN when requested. */
  @Property({ type: 'text' })
  iban!: string;

  @Property({ type: 'text' })
  status: ConversionStatus = 'PENDING';

  @Property({ type: 'text' })
  clientKey!: string;

  @Property({ type: 'text' })
  requestedBy!: string;

  @Property({ type: 'text', nullable: true })
  decidedBy?: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  decidedAt?: Date | null = null;

  /** Why it was rejected. */
  @Property({ type: 'text', nullable: true })
  reason?: string | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  /** What reaches the member's bank account. */
  get netCents(): number {
    return this.amountCents - this.feeCents;
  }
}
