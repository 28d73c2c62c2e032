import type { OrganisationKind } from './api-enums';
import { type AccessViewer, membershipsOfKinds } from './roles';

/** The role areas: one route group each, reachable from the header. */
export type AreaId = 'admin' | 'comune' | 'ente' | 'azienda' | 'esercente';
export type NavId =
  | AreaId
  | 'servizi'
  | 'misure'
  | 'prenotazioni'
  | 'pagamenti'
  | 'domande'
  | 'carta'
  | 'welfare-aziendale'
  | 'ies'
  | 'messaggi'
  | 'profilo'
  | 'accedi';

export interface NavItem {
  id: NavId;
  href: `/${NavId}`;
  /** Stable hook for browser tests: `nav-<id>`. */
  testid: `nav-${NavId}`;
}

/** The organisation kinds that open each role area (the admin area is for platform admins). */
export const AREA_KINDS: Record<Exclude<AreaId, 'admin'>, readonly OrganisationKind[]> = {
  comune: ['COMUNE'],
  ente: ['COOPERATIVE', 'ASSOCIATION'],
  azienda: ['EMPLOYER'],
  esercente: ['MERCHANT'],
};

function item(id: NavId): NavItem {
  return { id, href: `/${id}`, testid: `nav-${id}` };
}

/** The header navigation for a person (or for an anonymous visitor when `viewer` is null). */
export function navItems(viewer: AccessViewer | null): NavItem[] {
  // The catalogue of services and the published measures (misure) are public: everyone sees them.
  if (!viewer) return [item('servizi'), item('misure'), item('accedi')];
  const items: NavItem[] = [];
  if (viewer.platformAdmin) items.push(item('admin'));
  for (const area of ['comune', 'ente', 'azienda', 'esercente'] as const) {
    if (membershipsOfKinds(viewer, AREA_KINDS[area]).length > 0) items.push(item(area));
  }
  items.push(item('servizi'), item('misure'));
  // A family's bookings (services and tutoring lessons) go with its codice fiscale.
  if (viewer.citizen) items.push(item('prenotazioni'));
  // Their payments of those bookings, with the receipts.
  if (viewer.citizen) items.push(item('pagamenti'));
  // Applications belong to a codice fiscale (SPID/CIE): citizens see theirs.
  if (viewer.citizen) items.push(item('domande'));
  // Their beneficiary card (QR code) goes with the same codice fiscale.
  if (viewer.citizen) items.push(item('carta'));
  // Their employers' welfare plans, found by the same codice fiscale (corporate welfare).
  if (viewer.citizen) items.push(item('welfare-aziendale'));
  // Their IES wallets (the local circuits they belong to or may join), by the same codice fiscale.
  if (viewer.citizen) items.push(item('ies'));
  // Citizens (a known codice fiscale: SPID/CIE) have a personal area with the Comuni's messages.
  if (viewer.citizen) items.push(item('messaggi'));
  items.push(item('profilo'));
  return items;
}

/** True when `pathname` is the item's page or below it (for aria-current). */
export function isCurrent(href: string, pathname: string): boolean {
  return pathname === href || pathname.startsWith(`${href}/`);
}
