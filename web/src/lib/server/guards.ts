// Access checks shared by the route groups' +layout.server.ts and their pages and actions.
import { error, redirect } from '@sveltejs/kit';
import { AREA_KINDS, type AreaId } from '$lib/nav';
import { type AccessMembership, canUseRegistry, membershipsOfKinds } from '$lib/roles';
import { loginPath } from './redirect';
import type { Viewer } from './viewer';

interface GuardEvent {
  locals: App.Locals;
  url: URL;
}

/** The logged-in person; anonymous visitors go to the login page and come back afterwards. */
export function requireViewer({ locals, url }: GuardEvent): Viewer {
  if (locals.viewer) return locals.viewer;
  if (locals.identityUnavailable) error(503, 'Identity service unavailable');
  redirect(303, loginPath(`${url.pathname}${url.search}`));
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

/**
 * A Comune's registry and imports: its active OPERATOR/MANAGER and platform admins (403 for
 * everyone else; the `[comuneId=uuid]` route matcher makes an id that is not a UUID a 404). The
 * API enforces the same rule.
 */
export function requireComuneStaff(event: GuardEvent, comuneId: string): Viewer {
  const viewer = requireViewer(event);
  if (!canUseRegistry(viewer, comuneId)) error(403, 'Forbidden');
  return viewer;
}
