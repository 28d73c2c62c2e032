import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** A conversion's life: REQUESTED by the employee, then CONFIRMED (credited) or REJECTED by HR. */
export const BONUS_CONVERSION_STATUSES = ['REQUESTED', 'CONFIRMED', 'REJECTED'] as const;
export type BonusConversionStatus = (typeof BONUS_CONVERSION_STATUSES)[number];

/**
 * An employee's request to convert all or part of a performance bonus into welfare credit in a
 * plan that allows it, with the comparison they were shown (kept as it was computed, with the
 * rates and their source), and HR's decision.
 */
@Entity({ tableName: 'bonus_conversion' })
export class BonusConversion {
  [OptionalProps]?: 'status' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The employer (identity Organisation id): the tenant. */
  @Property({ type: 'uuid' })
  employerId!: string;

  @Property({ type: 'uuid' })
  planId!: string;

  @Property({ type: 'uuid' })
  employeeId!: string;

  @Property({ type: 'bigint', runtimeType: 'number' })
  bonusCents!: number;

  @Property({ type: 'bigint', runtimeType: 'number' })
  convertedCents!: number;

  @Property({ type: 'bigint', runtimeType: 'number' })
  priorYearIncomeCents!: number;

  /** Net cash had the whole bonus been paid as cash. */
  @Property({ type: 'bigint', runtimeType: 'number' })
  cashNetIfAllCashCents!: number;

  /** Net cash of the part not converted. */
  @Property({ type: 'bigint', runtimeType: 'number' })
  cashNetCents!: number;

  @Property({ type: 'int' })
  taxBasisPoints!: number;

  @Property({ type: 'int' })
  contributionBasisPoints!: number;

  @Property({ type: 'text' })
  ratesSource!: string;

  @Property({ type: 'text' })
  status: BonusConversionStatus = 'REQUESTED';

  @Property({ type: 'uuid' })
  requestedBy!: string;

  @Property({ type: 'uuid', nullable: true })
  decidedBy?: string | null;

  @Property({ type: 'text', nullable: true })
  decisionReason?: string | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  decidedAt?: Date | null;
}
