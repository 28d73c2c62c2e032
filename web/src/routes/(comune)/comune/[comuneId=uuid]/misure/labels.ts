// Italian/English labels of the campaign pages: kinds, statuses, criteria, checks, and the
// editor's fields (also for the error summary, in form order).
import {
  type AmountMode,
  type CampaignStatus,
  ISEE_TYPES,
  OFFER_CATEGORIES,
  type OfferCategory,
  SHOP_CATEGORIES,
} from '$lib/api-enums';
import { enumLabel, enumLabelOf } from '$lib/enum-labels';
import { iseeTypeLabel } from '$lib/labels';
import { categoryLabel } from '$lib/money-labels';
import { m } from '$lib/paraglide/messages';
import {
  CRITERIA_FIELDS,
  criterionField,
  declField,
  docField,
  excludedField,
  isee,
  serviceField,
  sizeField,
} from './campaign-fields';

export { campaignKindLabel, checkLabel } from '$lib/applications';

/**
 * The label of a third-sector service category (the API's OfferCategory) in the editor: the
 * catalogue's, but for CHILDCARE, which the editor has always called "Prima infanzia" (the
 * catalogue says "Infanzia").
 */
export const serviceCategoryLabel = (category: OfferCategory): string =>
  category === 'CHILDCARE' ? m.coverage_category_childcare() : enumLabel('OfferCategory', category);
export const campaignStatusLabel = (status: CampaignStatus): string =>
  enumLabel('CampaignStatus', status);
export const criterionLabel = (criterion: string): string =>
  enumLabelOf('RankingCriterion', criterion) ?? criterion;
export const amountModeLabel = (mode: AmountMode): string => enumLabel('AmountMode', mode);

/** Bootstrap Italia badge colour of a status (the text says the status too). */
export function campaignStatusBadge(status: CampaignStatus): string {
  return status === 'PUBLISHED' ? 'bg-success' : status === 'DRAFT' ? 'bg-secondary' : 'bg-dark';
}

/** The label of an amount-by-size field: `1 componente`, …, `6 componenti o più` (the last). */
export function sizeLabel(n: number, last: number): string {
  if (n === last) return m.campaign_size_or_more({ count: String(n) });
  return n === 1 ? m.campaign_size_one() : m.campaign_size_many({ count: String(n) });
}

/** Every field of the editor with its input id and label, in form order. */
export function editorFields(shape: {
  documents: number;
  declarations: number;
  sizes: number;
}): Record<string, { id: string; label: string }> {
  const fields: Record<string, { id: string; label: string }> = {};
  const add = (name: string, label: string) => (fields[name] = { id: `campaign-${name}`, label });
  add('kind', m.campaign_field_kind());
  add('title', m.campaign_field_title());
  add('description', m.campaign_field_description());
  add('contacts', m.campaign_field_contacts());
  add('budget', m.campaign_field_budget());
  add('applicationsOpenAt', m.campaign_field_opens());
  add('applicationsCloseAt', m.campaign_field_closes());
  add('spendingFrom', m.campaign_field_spending_from());
  add('spendingUntil', m.campaign_field_spending_until());
  add('decisionDays', m.campaign_field_decision_days());
  for (const category of SHOP_CATEGORIES) {
    add(excludedField(category), m.campaign_field_excluded({ category: categoryLabel(category) }));
  }
  for (const category of OFFER_CATEGORIES) {
    add(
      serviceField(category),
      m.coverage_field_service({ category: serviceCategoryLabel(category) }),
    );
  }
  for (const type of ISEE_TYPES) {
    add(isee(type), m.campaign_field_isee({ type: iseeTypeLabel(type) }));
  }
  add('minSize', m.campaign_field_min_size());
  add('maxSize', m.campaign_field_max_size());
  add('mode', m.campaign_field_mode());
  for (let n = 1; n <= shape.sizes; n += 1) {
    add(sizeField(n), m.campaign_field_size_amount({ size: sizeLabel(n, shape.sizes) }));
  }
  add('perAdult', m.campaign_field_per_adult());
  add('perMinor', m.campaign_field_per_minor());
  add('cap', m.campaign_field_cap());
  for (let row = 0; row < shape.documents; row += 1) {
    const n = String(row + 1);
    add(docField(row, 'Code'), m.campaign_doc_code_of({ n }));
    add(docField(row, 'LabelIt'), m.campaign_doc_label_it_of({ n }));
    add(docField(row, 'LabelEn'), m.campaign_doc_label_en_of({ n }));
  }
  for (let row = 0; row < shape.declarations; row += 1) {
    const n = String(row + 1);
    add(declField(row, 'Code'), m.campaign_decl_code_of({ n }));
    add(declField(row, 'TextIt'), m.campaign_decl_text_it_of({ n }));
    add(declField(row, 'TextEn'), m.campaign_decl_text_en_of({ n }));
  }
  for (let n = 1; n <= CRITERIA_FIELDS; n += 1) {
    add(criterionField(n), m.campaign_field_criterion({ n: String(n) }));
  }
  add('variantIsee', m.campaign_field_variant_isee());
  add('variantBudget', m.campaign_field_variant_budget());
  add('variantAmountPercent', m.campaign_field_variant_percent());
  return fields;
}
