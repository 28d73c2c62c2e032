// Labels and formats of offers and the catalogue (categories, targets, prices, schedule). Pure.
// The offers' enums and their value lists: api-enums.ts; their labels: enum-labels.ts.
import type { OfferFormat } from './api-enums';
import { enumLabel, enumLabelOf } from './enum-labels';
import { formatEuro } from './money';
import type { Locale } from './locale';
import { m } from './paraglide/messages';

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

const WEEKDAY: Record<number, () => string> = {
  1: m.offer_weekday_1,
  2: m.offer_weekday_2,
  3: m.offer_weekday_3,
  4: m.offer_weekday_4,
  5: m.offer_weekday_5,
  6: m.offer_weekday_6,
  7: m.offer_weekday_7,
};

export const categoryLabel = (value: string): string =>
  enumLabelOf('OfferCategory', value) ?? value;
export const targetLabel = (value: string): string => enumLabelOf('OfferTarget', value) ?? value;
export const priceKindLabel = (value: string): string =>
  enumLabelOf('OfferPriceKind', value) ?? value;
export const offerStatusLabel = (value: string): string =>
  enumLabelOf('OfferStatus', value) ?? value;
export const offerFormatLabel = (value: OfferFormat): string => enumLabel('OfferFormat', value);
export const weekdayLabel = (value: number): string => WEEKDAY[value]?.() ?? String(value);
/** "Gratuito" for FREE, "A pagamento" for anything else. */
export const pricingLabel = (value: string): string =>
  enumLabel('CataloguePricing', value === 'FREE' ? 'FREE' : 'PAID');

/** The price as a citizen reads it: "Gratuito" or "12,50 € all'ora". */
export function priceLabel(
  offer: { priceKind: string; priceCents: number | null },
  locale: Locale,
): string {
  if (offer.priceKind === 'FREE' || offer.priceCents === null) return m.offer_price_free();
  const amount = formatEuro(offer.priceCents, locale);
  if (offer.priceKind === 'PER_HOUR') return m.offer_price_per_hour({ amount });
  if (offer.priceKind === 'PER_SESSION') return m.offer_price_per_session({ amount });
  return m.offer_price_per_package({ amount });
}

/** "Individuale" or "In gruppo, fino a 12 persone". */
export function formatLabel(offer: { format: string; capacity: number }): string {
  return offer.format === 'GROUP'
    ? m.offer_format_group_capacity({ capacity: String(offer.capacity) })
    : m.offer_format_individual();
}

/** "Martedì dalle 15:00 alle 17:00". */
export function slotLabel(slot: { weekday: number; startTime: string; endTime: string }): string {
  return m.offer_slot({
    day: weekdayLabel(slot.weekday),
    start: slot.startTime,
    end: slot.endTime,
  });
}
