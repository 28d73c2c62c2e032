// The coordinates of a shop's point of sale as the accreditation form reads them: an optional
// latitude/longitude pair (WGS84 degrees), decimals written with a dot or a comma.
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { m } from '$lib/paraglide/messages';

/** A point of sale's coordinates read from the form, or the field errors found. */
export type CoordinatesReading =
  | { ok: true; at: { latitude: number; longitude: number } | null }
  | { ok: false; errors: { latitude?: Localized; longitude?: Localized } };

const DECIMAL = /^[+-]?\d{1,3}(?:[.,]\d+)?$/;

/** A decimal written with a dot or a comma ("38,0507"), or null when it is not one. */
function decimal(text: string): number | null {
  return DECIMAL.test(text) ? Number(text.replace(',', '.')) : null;
}

/**
 * Reads a pair of typed coordinates: both empty is "not given" (null); one alone, a text that is
 * not a decimal or a value out of range (latitude -90 to 90, longitude -180 to 180) is an error
 * on its field. The API checks the same rules.
 */
export function readCoordinates(latitude: string, longitude: string): CoordinatesReading {
  const lat = latitude.trim();
  const lon = longitude.trim();
  if (!lat && !lon) return { ok: true, at: null };
  const errors: { latitude?: Localized; longitude?: Localized } = {};
  const latValue = decimal(lat);
  const lonValue = decimal(lon);
  if (!lat) errors.latitude = both(m.shop_error_coord_pair);
  else if (latValue === null) errors.latitude = both(m.shop_error_coord_number);
  else if (latValue < -90 || latValue > 90) errors.latitude = both(m.shop_error_latitude_range);
  if (!lon) errors.longitude = both(m.shop_error_coord_pair);
  else if (lonValue === null) errors.longitude = both(m.shop_error_coord_number);
  else if (lonValue < -180 || lonValue > 180) errors.longitude = both(m.shop_error_longitude_range);
  if (errors.latitude || errors.longitude || latValue === null || lonValue === null) {
    return { ok: false, errors };
  }
  return { ok: true, at: { latitude: latValue, longitude: lonValue } };
}
