import { error, redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import {
  FILTER_FIELDS,
  type FilterProblem,
  householdsSearch,
  parseHouseholdFilter,
} from '$lib/households';
import type { Localized } from '$lib/locale';
import { m } from '$lib/paraglide/messages';
import { findError } from '$lib/server/errors';
import { failWith, invalid, missing, text } from '$lib/server/forms';
import { requireComuneStaff } from '$lib/server/guards';
import {
  DeleteSegmentMutation,
  HouseholdsQuery,
  InviteSegmentMutation,
  OpenCampaignsQuery,
  SaveSegmentMutation,
  SegmentsQuery,
} from '$lib/server/operations';
import { throwIfForbidden } from '$lib/server/refusals';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { registrySearch } from './search.server';

const PAGE_SIZE = 50;

const PROBLEMS: Record<FilterProblem, () => Localized> = {
  amount: () => both(m.filter_error_amount),
  size: () => both(m.filter_error_size),
  sizeRange: () => both(m.filter_error_size_range),
  choice: () => both(m.filter_error_choice),
};

export const load: PageServerLoad = async (event) => {
  const { comuneId } = event.params;
  requireComuneStaff(event, comuneId);
  const parsed = parseHouseholdFilter(event.url.searchParams);
  const fields = Object.fromEntries(
    Object.entries(parsed.problems).map(([field, problem]) => [field, PROBLEMS[problem]()]),
  );
  const invalid = Object.keys(fields).length > 0;
  const [segmentsResult, campaignsResult, search] = await Promise.all([
    event.locals.api(SegmentsQuery, { comuneId }),
    event.locals.api(OpenCampaignsQuery, { comuneId }),
    registrySearch(event.url, comuneId, event.locals.api),
  ]);
  const base = {
    comuneId,
    values: parsed.values,
    after: parsed.after,
    segments: segmentsResult.data?.segments ?? null,
    // Campaigns a segment can be invited to: published and open to applications.
    openCampaigns: (campaignsResult.data?.campaigns ?? []).filter((c) => c.acceptingApplications),
    search,
  };
  if (invalid) {
    // The list is not shown for a filter the person did not mean: they correct it first.
    return {
      ...base,
      failure: { message: both(m.registry_filter_invalid), fields },
      comune: null,
      households: null,
      unavailable: false,
    };
  }

  const result = await event.locals.api(HouseholdsQuery, {
    comuneId,
    filter: parsed.filter,
    first: PAGE_SIZE,
    after: parsed.after || null,
  });
  throwIfForbidden(result);
  const comune = result.data?.organisation ?? null;
  if (!result.unavailable && (!comune || comune.kind !== 'COMUNE')) error(404, 'Not found');
  // A stale or forged cursor: the API refuses it; start again from the first page.
  if (!result.data?.households && findError(result.errors, 'BAD_USER_INPUT') && parsed.after) {
    error(400, 'Bad cursor');
  }
  return {
    ...base,
    failure: null,
    comune,
    households: result.data?.households ?? null,
    unavailable: result.unavailable || !result.data?.households,
  };
};

/** The list's address with the filter of the page's URL (what the forms were posted from). */
function listWithFilter(event: RequestEvent): string {
  const { values } = parseHouseholdFilter(event.url.searchParams);
  return `/comune/${event.params.comuneId}/anagrafe${householdsSearch(values)}`;
}

export const actions: Actions = {
  saveSegment: async (event) => {
    const { comuneId } = event.params;
    requireComuneStaff(event, comuneId);
    const data = await event.request.formData();
    const values = {
      name: text(data, 'name'),
      ...Object.fromEntries(FILTER_FIELDS.map((f) => [f, text(data, f)])),
    } as Record<'name' | (typeof FILTER_FIELDS)[number], string>;
    const empty = missing(values, ['name']);
    if (empty) return invalid(empty, values);
    const parsed = parseHouseholdFilter(new URLSearchParams(values));
    if (Object.keys(parsed.problems).length > 0) {
      return invalid({ message: both(m.registry_filter_invalid), fields: {} }, values);
    }
    const result = await event.locals.api(SaveSegmentMutation, {
      input: { comuneId, name: values.name, filter: parsed.filter },
    });
    if (!result.data?.saveSegment) return failWith(result, ['name'], values);
    redirect(303, `/comune/${comuneId}/anagrafe${householdsSearch(parsed.values)}`);
  },
  inviteSegment: async (event) => {
    requireComuneStaff(event, event.params.comuneId);
    const data = await event.request.formData();
    const segmentId = text(data, 'segmentId');
    const campaignId = text(data, 'campaignId');
    if (!campaignId) {
      return invalid(
        {
          message: both(m.segment_invite_choose),
          fields: { [`campaign-${segmentId}`]: both(m.segment_invite_choose) },
        },
        { name: '' },
      );
    }
    const result = await event.locals.api(InviteSegmentMutation, { segmentId, campaignId });
    throwIfForbidden(result);
    const invitation = result.data?.inviteSegmentToApply;
    if (!invitation) return failWith(result, [], { name: '' });
    return { invitation: { segmentId, campaignId, ...invitation } };
  },
  deleteSegment: async (event) => {
    requireComuneStaff(event, event.params.comuneId);
    const data = await event.request.formData();
    const result = await event.locals.api(DeleteSegmentMutation, { id: text(data, 'id') });
    throwIfForbidden(result);
    if (result.data?.deleteSegment === undefined) {
      return failWith(result, [], { name: '' });
    }
    redirect(303, listWithFilter(event));
  },
};
