import { registerEnumType } from 'type-graphql';
import type { ShopCategory } from '../shared/categories.js';

/** Kinds of measure (misura) a Comune runs. */
export const CAMPAIGN_KINDS = ['FOOD_VOUCHERS', 'BILLS', 'RENT', 'ARREARS', 'OTHER'] as const;
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];
export const CampaignKind = Object.fromEntries(CAMPAIGN_KINDS.map((k) => [k, k])) as {
  [K in CampaignKind]: K;
};

/** Where a campaign is in its life. */
export const CAMPAIGN_STATUSES = ['DRAFT', 'PUBLISHED', 'CLOSED'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export const CampaignStatus = Object.fromEntries(CAMPAIGN_STATUSES.map((k) => [k, k])) as {
  [K in CampaignStatus]: K;
};

/** How the amount of a household's entitlement is computed. */
export const AMOUNT_MODES = ['BY_SIZE', 'PER_MEMBER'] as const;
export type AmountMode = (typeof AMOUNT_MODES)[number];
export const AmountMode = { BY_SIZE: 'BY_SIZE', PER_MEMBER: 'PER_MEMBER' } as const;

/** Ranking criteria, applied in the order the campaign lists them. */
export const RANKING_CRITERIA = [
  'ISEE_ASC',
  'MINORS_DESC',
  'SIZE_DESC',
  'DISABILITY_FIRST',
  'SUBMITTED_ASC',
] as const;
export type RankingCriterion = (typeof RANKING_CRITERIA)[number];
export const RankingCriterion = Object.fromEntries(RANKING_CRITERIA.map((k) => [k, k])) as {
  [K in RankingCriterion]: K;
};

registerEnumType(CampaignKind, {
  name: 'CampaignKind',
  description: 'Kind of measure.',
  valuesConfig: {
    FOOD_VOUCHERS: { description: 'Buoni spesa: vouchers for food and basic necessities.' },
    BILLS: { description: 'Contributo bollette: help with utility bills.' },
    RENT: { description: 'Contributo affitto: help with rent.' },
    ARREARS: { description: 'Morosità incolpevole: rent arrears not caused by the tenant.' },
    OTHER: { description: 'Any other measure.' },
  },
});

registerEnumType(CampaignStatus, {
  name: 'CampaignStatus',
  description: 'Where a campaign is in its life.',
  valuesConfig: {
    DRAFT: {
      description: 'Being prepared: only the Comune’s staff see it; everything can change.',
    },
    PUBLISHED: {
      description:
        'Public: citizens see its page and apply within the window. Rules, schedule and documents are frozen; the budget may still grow.',
    },
    CLOSED: { description: 'Ended by the Comune: no more applications.' },
  },
});

registerEnumType(AmountMode, {
  name: 'AmountMode',
  description: 'How the entitlement of a household is computed.',
  valuesConfig: {
    BY_SIZE: {
      description:
        'An amount per household size: the n-th amount for n members, the last for larger households.',
    },
    PER_MEMBER: { description: 'An amount per adult plus an amount per minor, up to a cap.' },
  },
});

registerEnumType(RankingCriterion, {
  name: 'RankingCriterion',
  description: 'One ranking criterion; a campaign applies its criteria in order.',
  valuesConfig: {
    ISEE_ASC: { description: 'Lower ISEE first (no ISEE last).' },
    MINORS_DESC: { description: 'More minors first.' },
    SIZE_DESC: { description: 'Larger households first.' },
    DISABILITY_FIRST: { description: 'Households with a member with a disability first.' },
    SUBMITTED_ASC: { description: 'Earlier submission first (always the last tie-break).' },
  },
});

/** Categories a campaign excludes unless it says otherwise. */
export const DEFAULT_EXCLUDED_CATEGORIES: ShopCategory[] = [
  'ALCOHOL',
  'TOBACCO',
  'GAMBLING',
  'PHONE_TOPUP',
];
