import { error, fail, redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';
import { canManageOrganisation } from '$lib/roles';
import {
  AddCatalogueSynonymsMutation,
  CatalogueSynonymsQuery,
  RemoveCatalogueSynonymsMutation,
} from '$lib/server/operations-comune-catalogue';
import { failWith, raw, text } from '$lib/server/forms';
import { requireComuneStaff } from '$lib/server/guards';
import { isUuid } from '$lib/uuid';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = ['aggiunto', 'rimosso'] as const;

/** The words of the form: one per comma or line, blanks dropped (the API checks the rest). */
function splitWords(value: string): string[] {
  return value
    .split(/[,\n;]/)
    .map((w) => w.trim())
    .filter((w) => w !== '');
}

/**
 * The synonym groups the search of the Comune's catalogue uses: the built-in Italian list
 * (read-only) and the Comune's own. Its staff read them; its MANAGER adds and removes its own
 * (the API refuses anyone else). `?rimuovi=<id>` opens the confirmation of a removal.
 */
export const load: PageServerLoad = async (event) => {
  const { comuneId } = event.params;
  const viewer = requireComuneStaff(event, comuneId);
  const manager = canManageOrganisation(viewer, { id: comuneId, kind: 'COMUNE' });
  const result = await event.locals.api(CatalogueSynonymsQuery, { comuneId });
  const groups = result.data?.catalogueSynonyms ?? [];
  const own = groups.flatMap((g) => (g.id && !g.builtIn ? [{ id: g.id, words: g.words }] : []));
  const toRemove = event.url.searchParams.get('rimuovi');
  const confirming = toRemove && manager ? (own.find((g) => g.id === toRemove) ?? null) : null;
  if (toRemove && manager && !confirming && result.data) error(404, 'Not found');
  const esito = event.url.searchParams.get('esito');
  return {
    comuneId,
    manager,
    builtIn: groups.filter((g) => g.builtIn).map((g) => g.words),
    own,
    confirming,
    notice: NOTICES.find((n) => n === esito) ?? null,
    unavailable: result.unavailable || !result.data,
  };
};

export const actions: Actions = {
  add: async (event) => {
    const { comuneId } = event.params;
    requireComuneStaff(event, comuneId);
    const data = await event.request.formData();
    const values = { form: 'add', words: raw(data, 'words').trim() };
    const words = splitWords(values.words);
    if (words.length === 0) {
      return fail(400, {
        failure: { message: both(m.form_invalid), fields: { words: both(m.required_field) } },
        values,
      });
    }
    const result = await event.locals.api(AddCatalogueSynonymsMutation, { comuneId, words });
    if (!result.data?.addCatalogueSynonyms) return failWith(result, ['words'], values);
    redirect(303, `/comune/${comuneId}/catalogo/sinonimi?esito=aggiunto#esito`);
  },
  remove: async (event) => {
    const { comuneId } = event.params;
    requireComuneStaff(event, comuneId);
    const data = await event.request.formData();
    const values = { form: 'remove', id: text(data, 'id') };
    if (!isUuid(values.id)) error(404, 'Not found');
    const result = await event.locals.api(RemoveCatalogueSynonymsMutation, { id: values.id });
    if (!result.data?.removeCatalogueSynonyms) return failWith(result, [], values);
    redirect(303, `/comune/${comuneId}/catalogo/sinonimi?esito=rimosso#esito`);
  },
};
