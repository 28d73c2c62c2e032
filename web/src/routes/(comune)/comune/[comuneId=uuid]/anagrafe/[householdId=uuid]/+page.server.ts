import { error, redirect } from '@sveltejs/kit';
import { centsOrZero } from '$lib/money';
import { failWith, invalid, missing, text } from '$lib/server/forms';
import { requireComuneStaff } from '$lib/server/guards';
import {
  AddHouseholdNoteMutation,
  HouseholdFileQuery,
} from '$lib/server/operations-household-file';
import { requireFound, throwIfForbidden } from '$lib/server/refusals';
import type { Actions, PageServerLoad } from './$types';

/** The household file (cartella sociale) of the Comune's staff: one household across measures. */
export const load: PageServerLoad = async (event) => {
  const { comuneId, householdId } = event.params;
  requireComuneStaff(event, comuneId);
  const result = await event.locals.api(HouseholdFileQuery, { id: householdId });
  throwIfForbidden(result);
  const household = requireFound(result.data?.household, result);
  // A household of another Comune (for a platform admin) is not shown under this Comune.
  if (household.comune.id !== comuneId) error(404, 'Not found');
  return {
    comuneId,
    household: {
      ...household,
      incomeHistory: household.incomeHistory.map((d) => ({
        ...d,
        iseeCents: centsOrZero(d.iseeCents),
      })),
      applications: household.applications.map((a) => ({
        ...a,
        amountCents: a.amountCents == null ? null : centsOrZero(a.amountCents),
      })),
      cardBalances: household.cardBalances.map((b) => ({
        ...b,
        creditedCents: centsOrZero(b.creditedCents),
        spentCents: centsOrZero(b.spentCents),
        availableCents: centsOrZero(b.availableCents),
      })),
      cardPayments: household.cardPayments.map((p) => ({
        ...p,
        amountCents: centsOrZero(p.amountCents),
      })),
    },
    noteAdded: event.url.searchParams.get('nota') === 'aggiunta',
  };
};

export const actions: Actions = {
  addNote: async (event) => {
    const { comuneId, householdId } = event.params;
    requireComuneStaff(event, comuneId);
    const data = await event.request.formData();
    const values = { note: text(data, 'note') };
    const empty = missing(values, ['note']);
    if (empty) return invalid(empty, values);
    const result = await event.locals.api(AddHouseholdNoteMutation, {
      input: { householdId, note: values.note },
    });
    throwIfForbidden(result);
    if (!result.data?.addHouseholdNote) return failWith(result, ['note'], values);
    redirect(303, `/comune/${comuneId}/anagrafe/${householdId}?nota=aggiunta#notes`);
  },
};
