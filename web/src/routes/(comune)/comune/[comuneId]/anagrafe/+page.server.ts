import { error } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import { type FilterProblem, parseHouseholdFilter } from '$lib/households';
import type { Localized } from '$lib/locale';
import { m } from '$lib/paraglide/messages';
import { findError } from '$lib/server/errors';
import { requireComuneStaff } from '$lib/server/guards';
import { HouseholdsQuery } from '$lib/server/operations';
import type { PageServerLoad } from './$types';

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
  const base = { comuneId, values: parsed.values, after: parsed.after };
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
  if (findError(result.errors, 'FORBIDDEN')) error(403, 'Forbidden');
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
