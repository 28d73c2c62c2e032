import { randomUUID } from 'node:crypto';
import {
  Collection,
  Entity,
  ManyToOne,
  OneToMany,
  OptionalProps,
  PrimaryKey,
  Property,
} from '@mikro-orm/core';

/**
 * What a plan's credit may pay for (art. 51 TUIR):
 * - SERVICES_IN_KIND: services in kind from the accredited catalogue (c.2 f: education,
 *   recreation, social and health assistance);
 * - EDUCATION_CHILDCARE: reimbursement against receipts of education and care of children
 *   (c.2 f-bis);
 * - ELDERLY_CARE: reimbursement against receipts of care of elderly or dependent relatives (c.2 f-ter);
 * - PUBLIC_TRANSPORT: reimbursement of public transport passes (c.2 d-bis);
 * - FRINGE_BENEFIT: goods and services within the fringe-benefit cap (c.3).
 */
export const PLAN_PURPOSES = [
  'SERVICES_IN_KIND',
  'EDUCATION_CHILDCARE',
  'ELDERLY_CARE',
  'PUBLIC_TRANSPORT',
  'FRINGE_BENEFIT',
] as const;
export type PlanPurpose = (typeof PLAN_PURPOSES)[number];

/** The purposes paid by reimbursing a documented expense (claims with receipts). */
export const REIMBURSABLE_PURPOSES = [
  'EDUCATION_CHILDCARE',
  'ELDERLY_CARE',
  'PUBLIC_TRANSPORT',
] as const satisfies readonly PlanPurpose[];

/** A plan's life: DRAFT (being written), ACTIVE (published and funded), CLOSED (ended). */
export const PLAN_STATUSES = ['DRAFT', 'ACTIVE', 'CLOSED'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/**
 * What happens to credit unspent at the plan's end, as the regulation says: it returns to the
 * employer, or it carries over to the employee's credit in the employer's next plan.
 */
export const PLAN_END_RULES = ['RETURN_TO_EMPLOYER', 'CARRY_OVER'] as const;
export type PlanEndRule = (typeof PLAN_END_RULES)[number];

/**
 * An employer's welfare plan for one year: its regulation, the categories of employees it covers
 * with the credit of each, what the credit may pay for and the rule at its end. The money is in the
 * book (`ledger.ts`): the plan's pool and one credit account per employee.
 */
@Entity({ tableName: 'plan' })
export class Plan {
  [OptionalProps]?:
    | 'status'
    | 'coveredCategories'
    | 'bonusConversion'
    | 'createdAt'
    | 'updatedAt'
    | 'version'
    | 'categories';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The employer (identity Organisation id): the plan's tenant. */
  @Property({ type: 'uuid' })
  employerId!: string;

  @Property({ type: 'text' })
  name!: string;

  /** The tax year the plan belongs to. */
  @Property({ type: 'int' })
  year!: number;

  /** First and last day (Italian days, inclusive) the credit can be spent. */
  @Property({ type: 'date' })
  validFrom!: string;

  @Property({ type: 'date' })
  validUntil!: string;

  @Property({ type: 'text' })
  status: PlanStatus = 'DRAFT';

  @Property({ type: 'text[]' })
  purposes!: PlanPurpose[];

  /** The catalogue's offer categories the credit pays in kind (SERVICES_IN_KIND). */
  @Property({ type: 'text[]' })
  coveredCategories: string[] = [];

  @Property({ type: 'text' })
  endRule!: PlanEndRule;

  /** Employees may convert a performance bonus into credit (where the agreement allows it). */
  @Property({ type: 'boolean' })
  bonusConversion = false;

  /** The regulation (PDF, JPEG or PNG), required before the plan is published. */
  @Property({ type: 'text', nullable: true })
  regulationFileName?: string | null;

  @Property({ type: 'text', nullable: true })
  regulationContentType?: string | null;

  @Property({ type: 'int', nullable: true })
  regulationSizeBytes?: number | null;

  @Property({ type: 'text', nullable: true })
  regulationSha256?: string | null;

  @Property({ type: 'blob', nullable: true, lazy: true })
  regulation?: Buffer | null;

  /** When HR published it: no longer editable, ready to be funded (still DRAFT until then). */
  @Property({ type: 'timestamptz', nullable: true })
  publishedAt?: Date | null;

  /** When the employer funded it (the pool credited and every covered employee's credit). */
  @Property({ type: 'timestamptz', nullable: true })
  fundedAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  closedAt?: Date | null;

  /** Closed with CARRY_OVER: the next plan the unspent credit went to (null: back to the employer). */
  @Property({ type: 'uuid', nullable: true })
  carriedOverTo?: string | null;

  @Property({ type: 'uuid' })
  createdBy!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Property({ type: 'int', version: true })
  version = 1;

  @OneToMany(() => PlanCategory, (category) => category.plan, {
    orphanRemoval: true,
    orderBy: { code: 'asc' },
  })
  categories = new Collection<PlanCategory>(this);
}

/**
 * A category of employees a plan covers ("categoria omogenea": defined by an objective criterion
 * such as level, shift or length of service, never by a personal circumstance), with the credit
 * each of its employees receives. Employees belong to a category by its code.
 */
@Entity({ tableName: 'plan_category' })
export class PlanCategory {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Plan, { fieldName: 'plan_id', deleteRule: 'cascade' })
  plan!: Plan;

  /** The code employees are enrolled with (`OPERAI`, `IMPIEGATI`): A-Z, 0-9 and _. */
  @Property({ type: 'text' })
  code!: string;

  @Property({ type: 'text' })
  name!: string;

  /** The objective criterion that defines the category ("Livelli 1-3 del CCNL"). */
  @Property({ type: 'text' })
  criterion!: string;

  /** The credit of each employee of the category, in cents. */
  @Property({ type: 'bigint', runtimeType: 'number' })
  creditCents!: number;
}
