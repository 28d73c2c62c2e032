// The registry search of the list page (issue 19): by codice fiscale, family name or household
// code, a GET form (`?cerca=1&codiceFiscale=…`), so a search is a link and works without JavaScript.
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { m } from '$lib/paraglide/messages';
import { formFailure, type FormFailure } from '$lib/server/errors';
import { HouseholdSearchQuery } from '$lib/server/operations-household-file';
import { throwIfForbidden } from '$lib/server/refusals';
import type { ResultOf } from 'gql.tada';

/** The search form's fields, as in the URL. */
export const SEARCH_FIELDS = ['codiceFiscale', 'cognome', 'codiceFamiglia'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

/** The API's field names (`search.fiscalCode`…) as the form's. */
const API_FIELDS: Record<string, SearchField> = {
  'search.fiscalCode': 'codiceFiscale',
  'search.familyName': 'cognome',
  'search.code': 'codiceFamiglia',
};

export interface RegistrySearch {
  values: Record<SearchField, string>;
  results: ResultOf<typeof HouseholdSearchQuery>['householdSearch'] | null;
  failure: FormFailure | null;
  unavailable: boolean;
}

/** The search the URL asks for (null when none was submitted). */
export async function registrySearch(
  url: URL,
  comuneId: string,
  api: App.Locals['api'],
): Promise<RegistrySearch | null> {
  if (!url.searchParams.has('cerca')) return null;
  const values = Object.fromEntries(
    SEARCH_FIELDS.map((f) => [f, (url.searchParams.get(f) ?? '').trim()]),
  ) as Record<SearchField, string>;
  if (!values.codiceFiscale && !values.cognome && !values.codiceFamiglia) {
    const fields: Record<string, Localized> = { codiceFiscale: both(m.hf_search_empty) };
    return {
      values,
      results: null,
      failure: { message: both(m.hf_search_empty), fields },
      unavailable: false,
    };
  }
  const result = await api(HouseholdSearchQuery, {
    comuneId,
    search: {
      ...(values.codiceFiscale ? { fiscalCode: values.codiceFiscale } : {}),
      ...(values.cognome ? { familyName: values.cognome } : {}),
      ...(values.codiceFamiglia ? { code: values.codiceFamiglia } : {}),
    },
  });
  throwIfForbidden(result);
  const results = result.data?.householdSearch ?? null;
  if (results || result.unavailable) {
    return { values, results, failure: null, unavailable: result.unavailable };
  }
  const failure = formFailure(
    result.errors.map((e) => ({
      ...e,
      fields: e.fields.map((f) => ({ ...f, field: API_FIELDS[f.field] ?? f.field })),
    })),
    SEARCH_FIELDS,
  );
  return { values, results: null, failure, unavailable: false };
}
