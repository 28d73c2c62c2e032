import { redirect } from '@sveltejs/kit';
import { iesMemberListPlace, iesMemberListQuery } from '$lib/ies-members';
import { both } from '$lib/i18n';
import { pageWithItems } from '$lib/paging';
import { m } from '$lib/paraglide/messages';
import { failWith, invalid, text } from '$lib/server/forms';
import {
  DecideIesMemberMutation,
  IesMemberCountQuery,
  IesMemberPageQuery,
} from '$lib/server/operations-ies-members';
import { throwIfForbidden } from '$lib/server/refusals';
import { managedCircuit } from '../circuit.server';
import type { Actions, PageServerLoad } from './$types';

/** Members shown on a page of the list. */
const PAGE_SIZE = 50;

/**
 * The circuit's members (filters `?stato=&tipo=&cerca=`, page `&pagina=` from 1, 50 a page) with
 * how many match in all, and the staff's decisions (each confirmed first).
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

/** The decisions the staff take, as the API names them. */
const DECISIONS = ['ACCEPT', 'REJECT', 'SUSPEND'] as const;

export const actions: Actions = {
  /**
   * A decision on a member, confirmed first: the first post checks the reason (rejecting,
   * suspending) and sends nothing to the API, the page asks for the confirmation, which posts the
   * same values again with `confirmed=1`.
   */
  decide: async (event) => {
    const { comuneId, circuitId } = event.params;
    await managedCircuit(event, comuneId, circuitId);
    const data = await event.request.formData();
    const decision = DECISIONS.find((d) => d === text(data, 'decision')) ?? 'ACCEPT';
    const values = { memberId: text(data, 'memberId'), decision, reason: text(data, 'reason') };
    // The subgraph's bounds of a reason (3 to 500 characters), checked before confirming.
    const reasonLength = values.reason.replace(/\s+/g, ' ').length;
    if (decision !== 'ACCEPT' && (reasonLength < 3 || reasonLength > 500)) {
      return invalid(
        { message: both(m.form_invalid), fields: { reason: both(m.iem_error_reason) } },
        values,
      );
    }
    if (data.get('confirmed') !== '1') return { confirm: values };
    const result = await event.locals.api(DecideIesMemberMutation, {
      memberId: values.memberId,
      decision,
      reason: values.reason || null,
    });
    if (!result.data) return failWith(result, ['reason'], values);
    // Back to the same place of the list: its filters and page come with the form's address
    // (checked again here: a bad value is page 1 unfiltered, never an error). A decision that
    // moved the last member of a later page out of the filter lands on the last page with some.
    const place = iesMemberListPlace(event.url.searchParams);
    if (place.page > 1) {
      const count = await event.locals.api(IesMemberCountQuery, {
        circuitId,
        status: place.status,
        kind: place.kind,
        search: place.search || null,
      });
      const total = count.data?.iesMemberCount;
      if (total !== undefined) place.page = pageWithItems(place.page, PAGE_SIZE, total);
    }
    const query = iesMemberListQuery(place);
    redirect(
      303,
      `/comune/${comuneId}/ies/${circuitId}/membri${query ? `${query}&` : '?'}esito=decided#esito`,
    );
  },
};
