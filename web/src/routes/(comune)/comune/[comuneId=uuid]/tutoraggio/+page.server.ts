import { redirect } from '@sveltejs/kit';
import { canManageOrganisation } from '$lib/roles';
import { failWith, text } from '$lib/server/forms';
import { requireComuneStaff } from '$lib/server/guards';
import { throwIfForbidden } from '$lib/server/refusals';
import { ComuneTutoringQuery, CreateTutoringProgrammeMutation } from '$lib/server/tutoring';
import type { Actions, PageServerLoad } from './$types';

const FIELDS = [
  'providerId',
  'title',
  'description',
  'startsOn',
  'endsOn',
  'budgetMinutes',
  'groupSizeLimit',
  'cancellationNoticeHours',
] as const;

/** The Comune's tutoring programmes and, for its MANAGER, the form to create one. */
export const load: PageServerLoad = async (event) => {
  const { comuneId } = event.params;
  const viewer = requireComuneStaff(event, comuneId);
  const result = await event.locals.api(ComuneTutoringQuery, { comuneId });
  throwIfForbidden(result);
  return {
    comuneId,
    manager: canManageOrganisation(viewer, { id: comuneId, kind: 'COMUNE' }),
    programmes: result.data?.comuneTutoringProgrammes ?? [],
    providers: (result.data?.accreditedProviders ?? []).map((p) => ({
      id: p.providerId,
      name: p.provider.name,
    })),
    created: event.url.searchParams.get('esito') === 'creato',
    unavailable: result.unavailable || !result.data?.comuneTutoringProgrammes,
  };
};

/** A whole number from a form field (NaN when empty or not a number). */
function integer(value: string): number {
  return /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
}

export const actions: Actions = {
  create: async (event) => {
    const { comuneId } = event.params;
    requireComuneStaff(event, comuneId);
    const data = await event.request.formData();
    const values = Object.fromEntries(FIELDS.map((f) => [f, text(data, f)])) as Record<
      (typeof FIELDS)[number],
      string
    >;
    // The budget is asked in hours; the API takes minutes.
    const hours = /^\d+$/.test(values.budgetMinutes) ? Number(values.budgetMinutes) : 0;
    const result = await event.locals.api(CreateTutoringProgrammeMutation, {
      input: {
        comuneId,
        providerId: values.providerId,
        title: values.title,
        description: values.description || null,
        startsOn: values.startsOn,
        endsOn: values.endsOn,
        budgetMinutes: hours * 60,
        groupSizeLimit: values.groupSizeLimit ? integer(values.groupSizeLimit) || 0 : null,
        cancellationNoticeHours: values.cancellationNoticeHours
          ? Number.isNaN(integer(values.cancellationNoticeHours))
            ? -1
            : integer(values.cancellationNoticeHours)
          : null,
      },
    });
    if (!result.data?.createTutoringProgramme) return failWith(result, FIELDS, values);
    redirect(303, `/comune/${comuneId}/tutoraggio?esito=creato`);
  },
};
