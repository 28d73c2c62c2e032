import { error, redirect } from '@sveltejs/kit';
import { canReadAuditLog, canReconcileMoney, canUseRegistry } from '$lib/roles';
import { findError } from '$lib/server/errors';
import { failWith, text } from '$lib/server/forms';
import { requireArea } from '$lib/server/guards';
import {
  MoneyReconciliationQuery,
  ReconcileMoneyMutation,
  toRun,
} from '$lib/server/reconciliation';
import { isUuid } from '$lib/uuid';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { viewer, memberships } = requireArea(event, 'comune');
  // Each Comune once, with links to its registry and imports (its OPERATOR/MANAGER).
  const comuni = new Map<string, { id: string; name: string; audit: boolean }>();
  for (const { organisation } of memberships) {
    if (canUseRegistry(viewer, organisation.id)) {
      comuni.set(organisation.id, {
        id: organisation.id,
        name: organisation.name,
        // The audit log: its MANAGERs only.
        audit: canReadAuditLog(viewer, organisation.id),
      });
    }
  }
  // The money check of each Comune the person manages (MANAGER): operators neither see it nor
  // ask for it (the API would answer FORBIDDEN).
  const managed = [...comuni.values()].filter((c) => canReconcileMoney(viewer, c.id));
  const checks = await Promise.all(
    managed.map(async (comune) => {
      const result = await event.locals.api(MoneyReconciliationQuery, { comuneId: comune.id });
      if (findError(result.errors, 'FORBIDDEN')) return null;
      const run = result.data?.moneyReconciliation;
      return {
        comuneId: comune.id,
        name: comune.name,
        run: run ? toRun(run) : null,
        unavailable: result.unavailable || !result.data,
      };
    }),
  );
  const done = event.url.searchParams.get('verificato');
  return {
    memberships,
    comuni: [...comuni.values()],
    checks: checks.filter((c) => c !== null),
    /** The Comune whose check was just run (`?verificato=`), for the notice. */
    done: done && managed.some((c) => c.id === done) ? done : null,
  };
};

export const actions: Actions = {
  /** "Verifica ora": runs the Comune's money check now (its MANAGER), then shows the new run. */
  reconcile: async (event) => {
    const { viewer } = requireArea(event, 'comune');
    const data = await event.request.formData();
    const comuneId = text(data, 'comuneId');
    if (!isUuid(comuneId) || !canReconcileMoney(viewer, comuneId)) error(403, 'Forbidden');
    const result = await event.locals.api(ReconcileMoneyMutation, { comuneId });
    if (!result.data?.reconcileMoney) return failWith(result, [], { comuneId });
    redirect(303, `/comune?verificato=${comuneId}#verifica-${comuneId}`);
  },
};
