import { findError } from '$lib/server/errors';
import { CatalogueMeasuresQuery, CatalogueQuery } from '$lib/server/offers';
import { mapTiles } from '$lib/server/map-tiles';
import type { PageServerLoad } from './$types';
import { PAGE_SIZE, parseCatalogueParams, type CatalogueParams } from './catalogue-params';

/** The words of a search, for matching the Comune's measures by title and description. */
function words(text: string): string[] {
  return (text.toLocaleLowerCase('it').match(/[\p{L}\p{N}]{3,}/gu) ?? []).map((w) =>
    // A rough Italian stem: "lezioni" and "lezione" share "lezion".
    w.length > 4 ? w.slice(0, -1) : w,
  );
}

interface PayingCampaign {
  id: string;
  comune: { id: string };
  serviceCategories: readonly string[];
}

/**
 * The catalogue filters for "can be paid with" a campaign: the campaign's Comune and the
 * categories its credit pays for (intersected with the chosen ones). Null when nothing can match.
 */
function paidByFilter(params: CatalogueParams, campaign: PayingCampaign | undefined) {
  if (!params.paidBy) return { comuneId: params.comuneId || null, categories: params.categories };
  if (!campaign || campaign.serviceCategories.length === 0) return null;
  if (params.comuneId && params.comuneId !== campaign.comune.id) return null;
  const categories = (
    params.categories.length > 0
      ? params.categories.filter((c) => campaign.serviceCategories.includes(c))
      : campaign.serviceCategories
  ) as CatalogueParams['categories'];
  return categories.length > 0 ? { comuneId: campaign.comune.id, categories } : null;
}

/**
 * The public catalogue (anonymous too): the offers of accredited providers, searched and
 * filtered with facet counts, and beside them the Comune's open measures matching the search.
 * "Can be paid with" a measure narrows the search to the measure's Comune and categories.
 */
export const load: PageServerLoad = async ({ locals, url, setHeaders }) => {
  const started = performance.now();
  const params = parseCatalogueParams(url);
  const measuresCall = locals.api(CatalogueMeasuresQuery);
  const search = async (filter: NonNullable<ReturnType<typeof paidByFilter>>) =>
    locals.api(CatalogueQuery, {
      input: {
        text: params.q || null,
        categories: filter.categories,
        targets: params.targets,
        pricing: params.pricing,
        municipalities: params.municipalities,
        weekdays: params.weekdays,
        time: params.time || null,
        comuneId: filter.comuneId,
        page: params.page,
        pageSize: PAGE_SIZE,
      },
    });
  let measures: Awaited<typeof measuresCall>;
  let catalogue: Awaited<ReturnType<typeof search>> | null;
  if (params.paidBy) {
    measures = await measuresCall;
    const campaign = measures.data?.publishedCampaigns.find((c) => c.id === params.paidBy);
    const filter = paidByFilter(params, campaign);
    catalogue = filter ? await search(filter) : null;
  } else {
    [measures, catalogue] = await Promise.all([
      measuresCall,
      search({ comuneId: params.comuneId || null, categories: params.categories }),
    ]);
  }
  const invalid = catalogue ? findError(catalogue.errors, 'BAD_USER_INPUT') : undefined;
  const all = measures.data?.publishedCampaigns ?? [];
  const searchWords = words(params.q);
  const campaigns = all.filter((campaign) => {
    if (params.comuneId && campaign.comune.id !== params.comuneId) return false;
    if (searchWords.length === 0) return true;
    const text = `${campaign.title} ${campaign.description}`.toLocaleLowerCase('it');
    return searchWords.some((w) => text.includes(w));
  });
  // How long the load waited for the API (the page's budget is 100 ms; the benchmark
  // `npm run bench -- catalogue-page` reads it beside the whole response's time).
  setHeaders({ 'server-timing': `load;dur=${(performance.now() - started).toFixed(1)}` });
  return {
    params,
    // No campaign matches "can be paid with": an empty page (facets of nothing).
    page: catalogue ? (catalogue.data?.catalogue ?? null) : null,
    nothingPays: catalogue === null,
    invalid: invalid ? { message: invalid.messages, fields: invalid.fields } : null,
    unavailable:
      catalogue !== null && !invalid && (catalogue.unavailable || !catalogue.data?.catalogue),
    measures: campaigns.slice(0, 6),
    measuresUnavailable: measures.unavailable || !measures.data?.publishedCampaigns,
    payingCampaigns: all
      .filter((c) => c.serviceCategories.length > 0)
      .map((c) => ({ id: c.id, title: c.title, comune: c.comune.name })),
    tiles: mapTiles(),
  };
};
