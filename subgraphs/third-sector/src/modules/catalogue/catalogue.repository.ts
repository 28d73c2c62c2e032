import type { EntityManager } from '@mikro-orm/postgresql';
import { OFFER_CATEGORIES, OFFER_TARGETS } from '../offer/offer.enums.js';
import type { CataloguePricingValue } from './catalogue.enums.js';

type Connection = ReturnType<EntityManager['getConnection']>;

/** A validated, normalised catalogue search (see `CatalogueService`). */
export interface CatalogueSearch {
  /** Lower-case words of the search text (letters and digits), at most eight. */
  words: string[];
  comuneId: string | null;
  providerId: string | null;
  categories: string[];
  targets: string[];
  pricing: CataloguePricingValue[];
  municipalities: string[];
  weekdays: number[];
  time: string | null;
  page: number;
  pageSize: number;
}

/** What one search statement returns: the page's ids, the fixed-domain counts, the places'. */
export interface CatalogueCounts {
  ids: string[];
  /** `total`, `category:<C>`, `target:<T>`, `pricing:FREE|PAID`, `weekday:<d>`. */
  totals: Record<string, number>;
  municipalities: Map<string, number>;
}

/** A search word: a stop word or not, and its closest catalogue words when it is not one. */
interface WordAlternatives {
  w: string;
  meaningful: boolean;
  similar: string[];
}

type FacetName = 'category' | 'target' | 'pricing' | 'municipality' | 'weekday';
type Flag = { sql: string; params: unknown[] };

/**
 * A PostgreSQL array literal (`{"a","b"}`) for a `?::text[]` parameter: the driver's raw query
 * would expand a JavaScript array into a list of parameters.
 */
function pgArray(values: readonly (string | number)[]): string {
  return `{${values.map((v) => `"${String(v).replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

/** The catalogue's version: any write to offers or accreditations changes it. */
export async function readCatalogueVersion(em: EntityManager): Promise<string> {
  const [current] = await em
    .getConnection()
    .execute<{ version: string }[]>(
      `select "version"::text as "version" from "third_sector"."catalogue_version"`,
    );
  return current?.version ?? '';
}

/**
 * Per search word: is it a stop word ("per", "di": dropped), and, when the catalogue's
 * vocabulary does not have it, its most similar words there (typos: "dopscuola" ->
 * "doposcuola"). One small indexed query.
 */
async function wordAlternatives(connection: Connection, words: string[]) {
  if (!words.length) return [];
  return connection.execute<WordAlternatives[]>(
    `select q.w, numnode(plainto_tsquery('italian', q.w)) > 0 as meaningful,
            case when exists (select 1 from "third_sector"."offer_word" e where e."word" = q.w)
                 then '{}'::text[]
                 else array(select x."word" from "third_sector"."offer_word" x
                             where x."word" % q.w and similarity(x."word", q.w) >= 0.45
                             order by similarity(x."word", q.w) desc, x."word" limit 3)
            end as similar
       from unnest(?::text[]) with ordinality q(w, n) order by q.n`,
    [pgArray(words)],
  );
}

/**
 * The conditions every offer must meet (published, of the Comune and provider asked, every word
 * matching) and the rank of the words. Every word must match in Italian full text (stemmed:
 * "lezioni" finds "lezione"), itself or one of its similar words: one tsquery per word, all on
 * the GIN index of `search`.
 */
function searchConditions(q: CatalogueSearch, words: WordAlternatives[]) {
  const params: unknown[] = [];
  const where: string[] = [`o."status" = 'PUBLISHED'`];
  if (q.comuneId) {
    where.push(`o."comune_id" = ?::uuid`);
    params.push(q.comuneId);
  }
  if (q.providerId) {
    where.push(`o."provider_id" = ?::uuid`);
    params.push(q.providerId);
  }
  const rankParts: string[] = [];
  const rankParams: unknown[] = [];
  for (const word of words.filter((w) => w.meaningful || w.similar.length > 0)) {
    // The word's stem as a prefix ("laboratori" finds "laboratorio", "dopo" finds
    // "doposcuola"; words are letters and digits only, so safe in to_tsquery), or a similar word.
    const alternatives = [`${word.w}:*`, ...word.similar];
    const tsquery = `(${[
      `to_tsquery('italian', ?)`,
      ...word.similar.map(() => `plainto_tsquery('italian', ?)`),
    ].join(' || ')})`;
    where.push(`o."search" @@ ${tsquery}`);
    params.push(...alternatives);
    rankParts.push(`ts_rank(o."search", ${tsquery})`);
    rankParams.push(...alternatives);
  }
  const rank = rankParts.length ? rankParts.join(' + ') : '0';
  return { where, params, rank, rankParams };
}

/** One boolean per facet's filter; each facet is counted with the others applied. */
function facetFlags(q: CatalogueSearch, weekdays: string): Record<FacetName, Flag> {
  const none: Flag = { sql: 'true', params: [] };
  return {
    category: q.categories.length
      ? { sql: `o."category" = any(?::text[])`, params: [pgArray(q.categories)] }
      : none,
    target: q.targets.length
      ? { sql: `o."targets" && ?::text[]`, params: [pgArray(q.targets)] }
      : none,
    pricing:
      q.pricing.length === 1
        ? { sql: `(o."price_kind" = 'FREE') = ?`, params: [q.pricing[0] === 'FREE'] }
        : none,
    municipality: q.municipalities.length
      ? { sql: `o."municipalities" && ?::text[]`, params: [pgArray(q.municipalities)] }
      : none,
    weekday: q.weekdays.length
      ? { sql: `${weekdays} && ?::smallint[]`, params: [pgArray(q.weekdays)] }
      : q.time
        ? { sql: `cardinality(${weekdays}) > 0`, params: [] }
        : none,
  };
}

/**
 * The counts of the facets with a fixed domain, in one pass (FILTER clauses); the values are
 * our own constants, safe to write into the statement.
 */
function fixedFacetCounts(others: (except: FacetName | null) => string): string[] {
  const counts: string[] = [`'total', count(*) filter (where ${others(null)})`];
  for (const c of OFFER_CATEGORIES) {
    counts.push(
      `'category:${c}', count(*) filter (where f."category" = '${c}' and ${others('category')})`,
    );
  }
  for (const t of OFFER_TARGETS) {
    counts.push(
      `'target:${t}', count(*) filter (where '${t}' = any(f."targets") and ${others('target')})`,
    );
  }
  counts.push(`'pricing:FREE', count(*) filter (where f."free" and ${others('pricing')})`);
  counts.push(`'pricing:PAID', count(*) filter (where not f."free" and ${others('pricing')})`);
  for (const d of [1, 2, 3, 4, 5, 6, 7]) {
    counts.push(
      `'weekday:${d}', count(*) filter (where ${d} = any(f."weekdays") and ${others('weekday')})`,
    );
  }
  return counts;
}

/** The search statement and its parameters, for the offers accredited on `today`. */
function searchStatement(q: CatalogueSearch, words: WordAlternatives[], today: string) {
  const conditions = searchConditions(q, words);
  // The weekdays an offer is found on: all of its slots', or (with a time of day) those of the
  // slots covering that time, aggregated once for the whole catalogue.
  const weekdays = q.time ? `coalesce(w."weekdays", '{}'::smallint[])` : `o."weekdays"`;
  const slots = q.time
    ? `, slots as materialized (
        select s."offer_id", array_agg(distinct s."weekday") as "weekdays"
          from "third_sector"."offer_schedule_slot" s
         where s."start_time" <= ? and s."end_time" > ? group by s."offer_id")`
    : '';
  const slotsJoin = q.time ? `left join slots w on w."offer_id" = o."id"` : '';
  const flags = facetFlags(q, weekdays);
  const names = Object.keys(flags) as FacetName[];
  const others = (except: FacetName | null) =>
    names
      .filter((n) => n !== except)
      .map((n) => `f."f_${n}"`)
      .join(' and ');
  const sql = `with accredited as materialized (
      select distinct a."provider_id", a."comune_id" from "third_sector"."accreditation_request" a
       where a."status" = 'ACCREDITED' and a."valid_until" >= ?::date
    )${slots}, f as materialized (
      select o."id", o."title", o."category", o."targets", o."price_kind" = 'FREE' as "free",
             o."municipalities", ${weekdays} as "weekdays", ${conditions.rank} as "rank",
             ${names.map((n) => `${flags[n].sql} as "f_${n}"`).join(', ')}
        from "third_sector"."offer" o ${slotsJoin}
       where (o."provider_id", o."comune_id") in (select a."provider_id", a."comune_id" from accredited a)
         and ${conditions.where.join(' and ')}
    )
    select 'counts' as "facet", json_build_object(${fixedFacetCounts(others).join(', ')})::text as "value"
      from f
    union all
    select 'municipality:' || m, count(*)::text from f, unnest(f."municipalities") m
     where ${others('municipality')} group by m
    union all
    select 'items', coalesce(json_agg(p."id" order by p."rank" desc, p."title", p."id"), '[]')::text
      from (select f."id", f."rank", f."title" from f where ${others(null)}
             order by f."rank" desc, f."title", f."id" limit ? offset ?) p`;
  const params = [
    today,
    ...(q.time ? [q.time, q.time] : []),
    ...conditions.rankParams,
    ...names.flatMap((n) => flags[n].params),
    ...conditions.params,
    q.pageSize,
    (q.page - 1) * q.pageSize,
  ];
  return { sql, params };
}

/**
 * The search: the words' alternatives (one small query), then one statement for the page's
 * ids, the total and every facet count, over the offers whose provider is accredited on `today`.
 */
export async function searchCatalogue(
  em: EntityManager,
  q: CatalogueSearch,
  today: string,
): Promise<CatalogueCounts> {
  const connection = em.getConnection();
  const words = await wordAlternatives(connection, q.words);
  const { sql, params } = searchStatement(q, words, today);
  const rows = await connection.execute<{ facet: string; value: string }[]>(sql, params);
  return {
    ids: JSON.parse(rows.find((r) => r.facet === 'items')?.value ?? '[]') as string[],
    totals: JSON.parse(rows.find((r) => r.facet === 'counts')?.value ?? '{}') as Record<
      string,
      number
    >,
    municipalities: new Map(
      rows
        .filter((r) => r.facet.startsWith('municipality:'))
        .map((r) => [r.facet.slice('municipality:'.length), Number(r.value)]),
    ),
  };
}
