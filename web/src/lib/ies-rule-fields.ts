// The labels of an IES circuit's rule fields (IesCircuitRuleFields.svelte) and their entries in
// the forms' error summaries.
import { IES_RULES_FIELDS } from '$lib/ies-members';
import { m } from '$lib/paraglide/messages';

type RuleField = (typeof IES_RULES_FIELDS)[number];

/** Each rule field's label (the fields' own and the error summary's). */
export const IES_RULE_LABELS: Record<RuleField, () => string> = {
  feeFixedCents: m.iem_rule_fee_fixed,
  feeBasisPoints: m.iem_rule_fee_bps,
  feeMaxCents: m.iem_rule_fee_max,
  feePayer: m.iem_rule_fee_payer,
  welfareExempt: m.iem_rule_welfare_exempt,
  conversionFeeBasisPoints: m.iem_rule_conversion_bps,
  conversionFeeMinCents: m.iem_rule_conversion_min,
  demurrageBasisPoints: m.iem_rule_demurrage,
  expiryMonths: m.iem_rule_expiry,
};

/** The error summary's entries of the rule fields, for inputs whose ids start with `prefix`. */
export function iesRuleSummaryFields(
  prefix: string,
): Record<RuleField, { id: string; label: string }> {
  return Object.fromEntries(
    IES_RULES_FIELDS.map((f) => [
      f,
      {
        id: f === 'feePayer' ? `${prefix}-feePayer-PAYER` : `${prefix}-${f}`,
        label: IES_RULE_LABELS[f](),
      },
    ]),
  ) as Record<RuleField, { id: string; label: string }>;
}
