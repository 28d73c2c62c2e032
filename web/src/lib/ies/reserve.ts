// The IES reserve pages' shared bits: IES amounts, the member kinds' and fee uses' labels.
import { type Locale, localeTag } from '$lib/locale';
import { m } from '$lib/paraglide/messages';

/** Cents of IES as the pages show them (`1.234,50 IES`): 1 IES = 1 euro. */
export function formatIes(cents: number, locale: Locale): string {
  const amount = new Intl.NumberFormat(localeTag(locale), {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(cents / 100);
  return `${amount} IES`;
}

/** The label of a member kind as the transparency figures give it (a code). */
export function memberKindLabel(kind: string): string {
  const labels: Record<string, () => string> = {
    CITIZEN: m.ier_kind_citizen,
    BUSINESS: m.ier_kind_business,
    ASSOCIATION: m.ier_kind_association,
    COOPERATIVE: m.ier_kind_cooperative,
    COMUNE: m.ier_kind_comune,
  };
  return labels[kind]?.() ?? kind;
}
