// What the campaign editor sends to the API and reads back: the API's CampaignInput and
// SimulationInput (without the Comune), a simulation's figures and a saved campaign. Types only.
import type {
  AmountMode,
  CampaignKind,
  IseeType,
  OfferCategory,
  RankingCriterion,
  ShopCategory,
} from '$lib/api-enums';

export interface IseeThreshold {
  type: IseeType;
  maxCents: number;
}
export interface EligibilityRules {
  requireResidency: boolean;
  iseeThresholds: IseeThreshold[];
  minSize: number | null;
  maxSize: number | null;
  excludePublicSupport: boolean;
}
export interface AmountSchedule {
  mode: AmountMode;
  bySizeCents: number[];
  perAdultCents: number;
  perMinorCents: number;
  capCents: number | null;
}
export interface RequiredDocument {
  code: string;
  labelIt: string;
  labelEn: string;
  mandatory: boolean;
}
export interface Declaration {
  code: string;
  textIt: string;
  textEn: string;
}
/** The API's CampaignInput without the Comune. */
export interface CampaignFields {
  kind: CampaignKind;
  title: string;
  description: string;
  contacts: string;
  budgetCents: number;
  applicationsOpenAt: string;
  applicationsCloseAt: string;
  spendingFrom: string;
  spendingUntil: string;
  rules: EligibilityRules;
  amountSchedule: AmountSchedule;
  requiredDocuments: RequiredDocument[];
  declarations: Declaration[];
  rankingCriteria: RankingCriterion[];
  decisionDays: number;
  excludedCategories: ShopCategory[];
  serviceCategories: OfferCategory[];
}
/** The API's SimulationInput without the Comune. */
export interface SimulationFields {
  rules: EligibilityRules;
  amountSchedule: AmountSchedule;
  budgetCents: number;
  rankingCriteria: RankingCriterion[];
}

/** A simulation's figures (the API's SafeInts as numbers). */
export interface SimulationView {
  households: number;
  eligible: number;
  totalCostCents: number;
  budgetCents: number;
  funded: number;
  fundedCents: number;
  shortfallCents: number;
  exclusions: { code: string; excluded: number }[];
  bySize: { size: number; households: number; costCents: number }[];
  tookMs: number;
}

/** A campaign as the API returns it (the fields the editor needs). */
export interface CampaignData {
  kind: CampaignKind;
  title: string;
  description: string;
  contacts: string;
  budgetCents: unknown;
  applicationsOpenAt: string;
  applicationsCloseAt: string;
  spendingFrom: string;
  spendingUntil: string;
  rules: {
    requireResidency: boolean;
    iseeThresholds: readonly { type: string; maxCents: unknown }[];
    minSize: number | null;
    maxSize: number | null;
    excludePublicSupport: boolean;
  };
  amountSchedule: {
    mode: AmountMode;
    bySizeCents: readonly unknown[];
    perAdultCents: unknown;
    perMinorCents: unknown;
    capCents: unknown;
  };
  requiredDocuments: readonly RequiredDocument[];
  declarations: readonly Declaration[];
  rankingCriteria: readonly string[];
  decisionDays: number;
  excludedCategories: readonly string[];
  serviceCategories: readonly string[];
}
