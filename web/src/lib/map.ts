// The places a map shows (MapDisclosure.svelte) and its tiles.

/** A place on the map. */
export interface MapPoint {
  id: string;
  latitude: number;
  longitude: number;
  /** The name read out on the marker and shown in bold in its popup. */
  label: string;
  /** A line under the name (an address). */
  detail?: string;
  /** A link in the popup (the offer's page, the shop's map link). */
  href?: string;
  hrefLabel?: string;
}

/** The map's tiles (from the portal's configuration), or null for a plain background. */
export interface MapTiles {
  url: string;
  attribution: string;
}
