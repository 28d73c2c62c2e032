import { redirect } from '@sveltejs/kit';
import { iesMemberListPlace, iesMemberListQuery } from '$lib/ies-members';
import { failWith, text } from '$lib/server/forms';
import { DecideIesMemberMutation, IesMemberPageQuery } from '$lib/server/operations-ies-members';
import { throwIfForbidden } from '$lib/server/refusals';
import { managedCircuit } from '../circuit.server';
import type { Actions, PageServerLoad } from './$types';

/** Members shown on a page of the list. */
const PAGE_SIZE = 50;

/**
 * The circuit's members (filters `?stato=&tipo=&cerca=`, page `&pagina=` from 1, 50 a page) with
 * how many match in all, and the staff's decisions.
 */
export const load: PageServerLoad = async (event) => {
  const { comuneId, circuitId } = event.params;
  const circuit = await managedCircuit(event, comuneId, circuitId);
  const params = event.url.searchParams;
  const place = iesMemberListPlace(params);
  const result = await event.locals.api(IesMemberPageQuery, {
    circuitId,
    status: place.status,
    kind: place.kind,
    search: place.search || null,
    limit: PAGE_SIZE,
    offset: (place.page - 1) * PAGE_SIZE,
  });
  throwIfForbidden(result);
  const total = result.data?.iesMemberCount ?? 0;
  return {
    comuneId,
    circuit: { id: circuit.id, name: circuit.name },
    filter: { status: place.status ?? '', kind: place.kind ?? '', search: place.search },
    members: result.data?.iesMembers ?? [],
    paging: {
      page: place.page,
      pageSize: PAGE_SIZE,
      total,
      hasNext: place.page * PAGE_SIZE < total,
    },
    unavailable: !result.data,
    decided: params.get('esito') === 'decided',
  };
};

export const actions: Actions = {
  decide: async (event) => {
    const { comuneId, circuitId } = event.params;
    await managedCircuit(event, comuneId, circuitId);
    const data = await event.request.formData();
    const values = {
      memberId: text(data, 'memberId'),
      decision: text(data, 'decision'),
      reason: text(data, 'reason'),
    };
    const result = await event.locals.api(DecideIesMemberMutation, {
      memberId: values.memberId,
      decision:
        (['ACCEPT', 'REJECT', 'SUSPEND'] as const).find((d) => d === values.decision) ?? 'ACCEPT',
      reason: values.reason || null,
    });
    if (!result.data) return failWith(result, ['reason'], values);
    // Back to the same place of the list: its filters and page come with the form's address
    // (checked again here: a bad value is page 1 unfiltered, never an error).
    const query = iesMemberListQuery(iesMemberListPlace(event.url.searchParams));
    redirect(
      303,
      `/comune/${comuneId}/ies/${circuitId}/membri${query ? `${query}&` : '?'}esito=decided#esito`,
    );
  },
};
