import type { AccessViewer } from '$lib/roles';

/**
 * True when the viewer is the Comune's active MANAGER (responsabile) or a platform admin: they
 * publish and close campaigns, set budgets and compute rankings. The API enforces the same rule.
 */
export function isComuneManager(viewer: AccessViewer | null, comuneId: string): boolean {
  if (!viewer) return false;
  if (viewer.platformAdmin) return true;
  return viewer.memberships.some(
    (m) =>
      m.status === 'ACTIVE' &&
      m.organisation.id === comuneId &&
      m.organisation.kind === 'COMUNE' &&
      m.role === 'MANAGER',
  );
}
