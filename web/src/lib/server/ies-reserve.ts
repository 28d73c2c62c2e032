// The IES reserve's server helpers shared by the manager's and the organisations' pages.
import { error, type RequestEvent } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { parseEuroCents } from '$lib/money';
import { m } from '$lib/paraglide/messages';
import { requireComuneStaff } from './guards';
import { IesManagedCircuitsQuery } from './operations-ies-reserve';
import { throwIfForbidden } from './refusals';

/** The circuit `circuitId` managed by the Comune `comuneId`, for its staff (403/404 otherwise). */
export async function managedCircuit(
  event: Pick<RequestEvent, 'locals' | 'url'>,
  comuneId: string,
  circuitId: string,
) {
  requireComuneStaff(event, comuneId);
  const result = await event.locals.api(IesManagedCircuitsQuery);
  throwIfForbidden(result);
  if (result.unavailable) error(503, 'Service unavailable');
  const circuit = result.data?.myManagedIesCircuits.find(
    (c) => c.id === circuitId && c.managerId === comuneId,
  );
  if (!circuit) error(404, 'Not found');
  return circuit;
}

/** An amount in euro from a form field: cents, or the field's message. */
export function formCents(value: string): { cents: number } | { problem: Localized } {
  if (!value) return { problem: both(m.required_field) };
  const cents = parseEuroCents(value);
  if (cents === null || cents < 1) return { problem: both(m.ier_amount_invalid) };
  return { cents };
}
