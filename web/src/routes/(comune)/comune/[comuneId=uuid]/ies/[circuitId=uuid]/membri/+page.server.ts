import { redirect } from '@sveltejs/kit';
import { IES_MEMBER_KINDS, IES_MEMBER_STATUSES } from '$lib/ies-members';
import { pageNumber } from '$lib/paging';
import { failWith, text } from '$lib/server/forms';
import { DecideIesMemberMutation, IesMembersQuery } from '$lib/server/operations-ies-members';
import { throwIfForbidden } from '$lib/server/refusals';
import { managedCircuit } from '../circuit.server';
import type { Actions, PageServerLoad } from './$types';

/** Members shown on a page of the list. */
const PAGE_SIZE = 50;

/**
 * The circuit's members (filters `?stato=&tipo=&cerca=`, page `&pagina=` from 1, 50 a page), and
 * the staff's decisions.
 */
export const load: PageServerLoad = async (event) => {
  const { comuneId, circuitId } = event.params;
  const circuit = await managedCircuit(event, comuneId, circuitId);
  const params = event.url.searchParams;
  const status = IES_MEMBER_STATUSES.find((s) => s === params.get('stato')) ?? null;
  const kind = IES_MEMBER_KINDS.find((k) => k === params.get('tipo')) ?? null;
  const search = (params.get('cerca') ?? '').trim().slice(0, 100);
  const page = pageNumber(params);
  // One more than shown: is there a next page? (The API gives no total.)
  const result = await event.locals.api(IesMembersQuery, {
    circuitId,
    status,
    kind,
    search: search || null,
    limit: PAGE_SIZE + 1,
    offset: (page - 1) * PAGE_SIZE,
  });
  throwIfForbidden(result);
  const found = result.data?.iesMembers ?? [];
  return {
    comuneId,
    circuit: { id: circuit.id, name: circuit.name },
    filter: { status: status ?? '', kind: kind ?? '', search },
    members: found.slice(0, PAGE_SIZE),
    paging: { page, pageSize: PAGE_SIZE, hasNext: found.length > PAGE_SIZE },
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
    redirect(303, `/comune/${comuneId}/ies/${circuitId}/membri?esito=decided#esito`);
  },
};
