/** Coordinates of a place (WGS84 degrees) and the public map links built from them. */

export interface Coordinates {
  latitude: number;
  longitude: number;
}

/**
 * The coordinates of an input, `null` when neither is given, `undefined` when they are invalid
 * (only one given, not finite, or out of range).
 */
export function parseCoordinates(
  latitude: number | null | undefined,
  longitude: number | null | undefined,
): Coordinates | null | undefined {
  const noLat = latitude === null || latitude === undefined;
  const noLon = longitude === null || longitude === undefined;
  if (noLat && noLon) return null;
  if (noLat || noLon) return undefined;
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return undefined;
  if (latitude < -90 || latitude > 90 || longitude < -180 || longitude > 180) return undefined;
  // Six decimals (about 10 cm) are more than a shop's door needs.
  return { latitude: round6(latitude), longitude: round6(longitude) };
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

/**
 * A link to OpenStreetMap: a marker at the coordinates, or a search by address when there are none.
 */
export function mapUrl(address: string, at: Coordinates | null): string {
  if (at) {
    const { latitude: lat, longitude: lon } = at;
    return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=18/${lat}/${lon}`;
  }
  return `https://www.openstreetmap.org/search?query=${encodeURIComponent(address)}`;
}
