import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Where a fringe benefit comes from: DECLARED by the employer's HR from outside the platform (a
 * company car, shopping vouchers, utilities paid by the employer), or granted from a PLAN's credit
 * (the book's FRINGE_BENEFIT transfer, employee credit to the plan's payroll account).
 */
export const FRINGE_BENEFIT_SOURCES = ['DECLARED', 'PLAN'] as const;
export type FringeBenefitSource = (typeof FRINGE_BENEFIT_SOURCES)[number];

/**
 * One fringe benefit (art. 51 c.3 TUIR) of an employee in a tax year. The cap counts the declared
 * ones by this table and the granted ones by the book (this row names their transfer).
 */
@Entity({ tableName: 'fringe_benefit' })
export class FringeBenefit {
  [OptionalProps]?: 'createdAt' | 'planId' | 'transferId';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The employer (identity Organisation id): the tenant. */
  @Property({ type: 'uuid' })
  employerId!: string;

  @Property({ type: 'uuid' })
  employeeId!: string;

  /** The tax year it counts in: a declared benefit's date's year, a granted one's plan's year. */
  @Property({ type: 'int' })
  taxYear!: number;

  @Property({ type: 'text' })
  source!: FringeBenefitSource;

  @Property({ type: 'bigint', runtimeType: 'number' })
  amountCents!: number;

  @Property({ type: 'text' })
  description!: string;

  /** The day it was given (Rome). */
  @Property({ type: 'date' })
  benefitDate!: string;

  /** The plan whose credit paid it (PLAN only). */
  @Property({ type: 'uuid', nullable: true })
  planId?: string | null;

  /** The book's FRINGE_BENEFIT transfer (PLAN only): deterministic, so a retry grants once. */
  @Property({ type: 'uuid', nullable: true })
  transferId?: string | null;

  /** The HR person who declared or granted it. */
  @Property({ type: 'uuid' })
  createdBy!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
