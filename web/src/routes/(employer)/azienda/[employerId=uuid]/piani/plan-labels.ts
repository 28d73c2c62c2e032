// The plan editor's field labels and input ids (the error summary links to them).
import { m } from '$lib/paraglide/messages';
import { CATEGORY_ROWS } from './plan-form';

/** The form's fields in their order: the input each one's message links to, and its label. */
export function planFields(): Record<string, { id: string; label: string }> {
  const fields: Record<string, { id: string; label: string }> = {
    name: { id: 'cwp-name', label: m.cwp_field_name() },
    year: { id: 'cwp-year', label: m.cwp_field_year() },
    validFrom: { id: 'cwp-valid-from', label: m.cwp_field_valid_from() },
    validUntil: { id: 'cwp-valid-until', label: m.cwp_field_valid_until() },
    purposes: { id: 'cwp-purpose-0', label: m.cwp_field_purposes() },
    coveredCategories: { id: 'cwp-covered-0', label: m.cwp_field_covered() },
    endRule: { id: 'cwp-end-rule-0', label: m.cwp_field_end_rule() },
    categories: { id: 'cwp-category-0-code', label: m.cwp_categories_legend() },
  };
  for (let i = 0; i < CATEGORY_ROWS; i += 1) {
    const row = m.cwp_category_row({ n: i + 1 });
    fields[`categories.${i}.code`] = {
      id: `cwp-category-${i}-code`,
      label: `${row}: ${m.cwp_field_code()}`,
    };
    fields[`categories.${i}.name`] = {
      id: `cwp-category-${i}-name`,
      label: `${row}: ${m.cwp_field_category_name()}`,
    };
    fields[`categories.${i}.criterion`] = {
      id: `cwp-category-${i}-criterion`,
      label: `${row}: ${m.cwp_field_criterion()}`,
    };
    fields[`categories.${i}.creditCents`] = {
      id: `cwp-category-${i}-credit`,
      label: `${row}: ${m.cwp_field_credit()}`,
    };
  }
  return fields;
}
