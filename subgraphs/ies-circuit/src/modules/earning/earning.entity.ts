import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** What a rule rewards. */
export const EARNING_KINDS = ['LOCAL_PURCHASE', 'ATTENDANCE', 'VOLUNTEERING', 'SHARING'] as const;
export type EarningKind = (typeof EARNING_KINDS)[number];

/** The period a rule's cap per person runs over (calendar periods in Italy). */
export const CAP_PERIODS = ['DAY', 'WEEK', 'MONTH', 'YEAR'] as const;
export type CapPeriod = (typeof CAP_PERIODS)[number];

/** What a volunteering rule pays per: each hour confirmed, or each shift whatever its length. */
export const VOLUNTEERING_UNITS = ['HOUR', 'SHIFT'] as const;
export type VolunteeringUnit = (typeof VOLUNTEERING_UNITS)[number];

/**
 * A rule of earning by taking part, configured by the circuit's staff: LOCAL_PURCHASE returns
 * `basisPoints` of a citizen's payment to a member business; ATTENDANCE pays `amountCents` per
 * tutoring attendance marked present; VOLUNTEERING pays `amountCents` per hour or per shift
 * confirmed by an association or cooperative; SHARING pays `amountCents` every `visitsPerReward`
 * distinct visits of a citizen's link to an initiative. Each pays at most `capCents` per person
 * and `capPeriod`, between `startsOn` and `endsOn` (days in Italy), while `active`.
 */
@Entity({ tableName: 'earning_rule' })
export class EarningRule {
  [OptionalProps]?:
    | 'amountCents'
    | 'basisPoints'
    | 'volunteeringUnit'
    | 'visitsPerReward'
    | 'endsOn'
    | 'active'
    | 'createdAt'
    | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  circuitId!: string;

  @Property({ type: 'text' })
  kind!: EarningKind;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'integer', nullable: true })
  amountCents?: number | null = null;

  @Property({ type: 'integer', nullable: true })
  basisPoints?: number | null = null;

  @Property({ type: 'text', nullable: true })
  volunteeringUnit?: VolunteeringUnit | null = null;

  @Property({ type: 'integer', nullable: true })
  visitsPerReward?: number | null = null;

  @Property({ type: 'integer' })
  capCents!: number;

  @Property({ type: 'text' })
  capPeriod!: CapPeriod;

  @Property({ type: 'date' })
  startsOn!: string;

  @Property({ type: 'date', nullable: true })
  endsOn?: string | null = null;

  @Property({ type: 'boolean' })
  active = true;

  @Property({ type: 'uuid' })
  createdBy!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
