import { randomUUID } from 'node:crypto';
import { BigIntType, Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import {
  CAMPAIGN_KINDS,
  CAMPAIGN_STATUSES,
  type CampaignKind,
  type CampaignStatus,
  type RankingCriterion,
} from './campaign.enums.js';
import type { AmountSchedule, Declaration, EligibilityRules, RequiredDocument } from './rules.js';

/**
 * A measure (misura) of a Comune: who may apply, what they get, the budget and the windows.
 * Money in integer cents; the database checks the budget and the windows too.
 */
@Entity({ tableName: 'campaign' })
export class Campaign {
  [OptionalProps]?:
    | 'status'
    | 'createdAt'
    | 'updatedAt'
    | 'publishedAt'
    | 'rankedAt'
    | 'version'
    | 'excludedCategories'
    | 'serviceCategories';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  comuneId!: string;

  @Enum({ items: [...CAMPAIGN_KINDS], type: 'text' })
  kind!: CampaignKind;

  @Enum({ items: [...CAMPAIGN_STATUSES], type: 'text' })
  status: CampaignStatus = 'DRAFT';

  @Property({ type: 'text' })
  title!: string;

  /** Who it is for and what you get (plain text, paragraphs separated by blank lines). */
  @Property({ type: 'text' })
  description!: string;

  /** How to apply and whom to contact. */
  @Property({ type: 'text' })
  contacts!: string;

  /** Budget in cents (checked ≥ 0 in the database). */
  @Property({ type: new BigIntType('number') })
  budgetCents!: number;

  @Property({ type: 'timestamptz' })
  applicationsOpenAt!: Date;

  @Property({ type: 'timestamptz' })
  applicationsCloseAt!: Date;

  @Property({ type: 'date' })
  spendingFrom!: string;

  @Property({ type: 'date' })
  spendingUntil!: string;

  @Property({ type: 'jsonb' })
  rules!: EligibilityRules;

  @Property({ type: 'jsonb' })
  amountSchedule!: AmountSchedule;

  @Property({ type: 'jsonb' })
  requiredDocuments!: RequiredDocument[];

  @Property({ type: 'jsonb' })
  declarations!: Declaration[];

  @Property({ type: 'jsonb' })
  rankingCriteria!: RankingCriterion[];

  /** Categories shops may not be paid for with this campaign's credit. */
  @Property({ type: 'text[]', default: '{ALCOHOL,TOBACCO,GAMBLING,PHONE_TOPUP}' })
  excludedCategories: string[] = ['ALCOHOL', 'TOBACCO', 'GAMBLING', 'PHONE_TOPUP'];

  /**
   * Third-sector service categories (`OfferCategory`) this campaign's credit can pay for at
   * accredited providers; empty: none (checked against the taxonomy in the database too).
   */
  @Property({ type: 'text[]', default: '{}' })
  serviceCategories: string[] = [];

  /** Days an operator has to decide after submission (due-by date of each case). */
  @Property({ type: 'int' })
  decisionDays!: number;

  @Property({ type: 'uuid' })
  createdBy!: string;

  @Property({ type: 'timestamptz', nullable: true })
  publishedAt: Date | null = null;

  /** When the ranking was last computed. */
  @Property({ type: 'timestamptz', nullable: true })
  rankedAt: Date | null = null;

  @Property({ type: 'int', version: true })
  version: number = 1;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
