// Where a person lands after logging in (`/inizio`): their work, not their profile. Pure.
import { AREA_KINDS } from './nav';
import { type AccessViewer, canUseRegistry, membershipsOfKinds } from './roles';

/** The address the login page sends to when no other was asked for. */
export const HOME_PATH = '/inizio';

/**
 * A Comune's staff (OPERATOR, MANAGER) land on its worklist (`/comune/<id>`), or on the Comune
 * area to pick one when they work for several; a cooperative's, association's, employer's or
 * shop's staff on their area; everyone else (citizens, platform admins without a membership) on
 * their profile.
 */
export function homePath(viewer: AccessViewer | null): string {
  if (!viewer) return '/accedi';
  const comuni = new Set(
    membershipsOfKinds(viewer, AREA_KINDS.comune)
      .map((m) => m.organisation.id)
      .filter((id) => canUseRegistry(viewer, id)),
  );
  if (comuni.size === 1) return `/comune/${[...comuni][0]}`;
  if (comuni.size > 1) return '/comune';
  for (const area of ['ente', 'azienda', 'esercente'] as const) {
    if (membershipsOfKinds(viewer, AREA_KINDS[area]).length > 0) return `/${area}`;
  }
  return '/profilo';
}
