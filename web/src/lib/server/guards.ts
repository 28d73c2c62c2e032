// Access checks shared by the route groups' +layout.server.ts and their pages and actions.
import { error, redirect } from '@sveltejs/kit';
import { AREA_KINDS, type AreaId } from '$lib/nav';
import { type AccessMembership, canUseRegistry, membershipsOfKinds } from '$lib/roles';
import type { Viewer } from './viewer';

interface GuardEvent {
  locals: App.Locals;
  url: URL;
}

/** The logged-in person; anonymous visitors go to the login page and come back afterwards. */
export function requireViewer({ locals, url }: GuardEvent): Viewer {
  if (locals.viewer) return locals.viewer;
  if (locals.identityUnavailable) error(503, 'Identity service unavailable');
  const back = `${url.pathname}${url.search}`;
  redirect(303, `/accedi?redirectTo=${encodeURIComponent(back)}`);
}

/** Platform admins only (403 for everyone else). */
export function requireAdmin(event: GuardEvent): Viewer {
  const viewer = requireViewer(event);
  if (!viewer.platformAdmin) error(403, 'Forbidden');
  return viewer;
}

/** People with an active membership of the area's kinds; returns those memberships. */
export function requireArea(
  event: GuardEvent,
  area: Exclude<AreaId, 'admin'>,
): { viewer: Viewer; memberships: AccessMembership[] } {
  const viewer = requireViewer(event);
  const memberships = membershipsOfKinds(viewer, AREA_KINDS[area]);
  if (memberships.length === 0) error(403, 'Forbidden');
  return { viewer, memberships };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when a route parameter is a UUID (the API's ids). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * A Comune's registry and imports: its active OPERATOR/MANAGER and platform admins (403 for
 * everyone else, 404 when the id is not a UUID). The API enforces the same rule.
 */
export function requireComuneStaff(event: GuardEvent, comuneId: string): Viewer {
  const viewer = requireViewer(event);
  if (!isUuid(comuneId)) error(404, 'Not found');
  if (!canUseRegistry(viewer, comuneId)) error(403, 'Forbidden');
  return viewer;
}
