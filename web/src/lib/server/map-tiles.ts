import { config } from '$lib/server/config';
import type { MapTiles } from '$lib/map';

/** The maps' tiles as the pages need them (no origin: the security headers use that). */
export function mapTiles(): MapTiles | null {
  const tiles = config().mapTiles;
  return tiles ? { url: tiles.url, attribution: tiles.attribution } : null;
}
