import type { EntityManager } from '@mikro-orm/postgresql';
import { FieldErrors } from '@welfare/kit';
import { isUuid } from '../shared/access.js';
import { romeDay } from '../shared/dates.js';
import {
  OFFER_CATEGORIES,
  OFFER_TARGETS,
  type OfferCategoryValue,
  type OfferTargetValue,
} from '../offer/offer.enums.js';
import type { OfferRecord, OfferService } from '../offer/offer.service.js';

/** Free or paid, as the catalogue filters and counts offers. */
export const CATALOGUE_PRICINGS = ['FREE', 'PAID'] as const;
export type CataloguePricingValue = (typeof CATALOGUE_PRICINGS)[number];

export interface CatalogueQuery {
  /** Words to look for (Italian stemming, typo tolerant); up to 200 characters. */
  text?: string | null;
  comuneId?: string | null;
  providerId?: string | null;
  categories?: OfferCategoryValue[] | null;
  targets?: OfferTargetValue[] | null;
  pricing?: CataloguePricingValue[] | null;
  municipalities?: string[] | null;
  /** ISO weekdays (1 Monday … 7 Sunday): an offer with a slot on one of them. */
  weekdays?: number[] | null;
  /** `HH:MM`: an offer with a slot covering that time (on one of `weekdays`, if given). */
  time?: string | null;
  /** 1-based. */
  page?: number | null;
  /** 1 to 50 (default 20). */
  pageSize?: number | null;
}

export interface FacetCount<T> {
  value: T;
  count: number;
}

export interface CatalogueFacets {
  categories: FacetCount<OfferCategoryValue>[];
  targets: FacetCount<OfferTargetValue>[];
  pricing: FacetCount<CataloguePricingValue>[];
  municipalities: FacetCount<string>[];
  weekdays: FacetCount<number>[];
}

export interface CataloguePage {
  items: OfferRecord[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  facets: CatalogueFacets;
}

/** A search's result before its offers are loaded. */
type SearchResult = Omit<CataloguePage, 'items'> & { ids: string[] };

export const CATALOGUE_PAGE_SIZE_DEFAULT = 20;
/** Searches kept in the result cache by default (each a page of ids and the facet counts). */
export const CATALOGUE_CACHE_SIZE_DEFAULT = 500;
export const CATALOGUE_PAGE_SIZE_MAX = 50;
const TEXT_MAX = 200;
const WORDS_MAX = 8;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * A PostgreSQL array literal (`{"a","b"}`) for a `?::text[]` parameter: the driver's raw query
 * would expand a JavaScript array into a list of parameters.
 */
function pgArray(values: readonly (string | number)[]): string {
  return `{${values.map((v) => `"${String(v).replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

type FacetName = 'category' | 'target' | 'pricing' | 'municipality' | 'weekday';

/**
 * The public catalogue: the offers PUBLISHED whose provider is accredited by the offer's Comune
 * at the moment of the query (a suspension or an expiry hides them at once), searched in Italian
 * (stemmed full text; a misspelt word also matches the catalogue's most similar words, by
 * trigrams) and filtered, with disjunctive facet counts (each facet counted with every other
 * filter applied). A small query reads the words' alternatives; one statement returns the page's
 * ids, the total and every facet; three more load the page's offers, places and schedule.
 */
export class CatalogueService {
  constructor(
    private readonly offers: OfferService,
    private readonly now: () => Date = () => new Date(),
    private readonly cacheSize = CATALOGUE_CACHE_SIZE_DEFAULT,
  ) {}

  /**
   * Results by query, valid while the catalogue's version (see the `catalogue_version` migration)
   * and the day (accreditations expire by date) are unchanged: a repeated search skips the
   * statement that scans the catalogue, and any write to offers or accreditations, from any
   * process, invalidates it at once. Oldest entries go first beyond `cacheSize` (0: no cache).
   */
  private readonly cache = new Map<string, { version: string; result: SearchResult }>();

  async search(em: EntityManager, query: CatalogueQuery): Promise<CataloguePage> {
    const q = this.validate(query);
    const connection = em.getConnection();
    // Read before the search: a write committed in between makes the entry stale, never wrong.
    const [current] = await connection.execute<{ version: string }[]>(
      `select "version"::text as "version" from "third_sector"."catalogue_version"`,
    );
    const version = current?.version ?? '';
    const key = JSON.stringify([romeDay(this.now()), q]);
    let result = this.cache.get(key)?.version === version ? this.cache.get(key)!.result : null;
    if (!result) {
      result = await this.compute(connection, q);
      this.cache.delete(key);
      if (this.cacheSize > 0) this.cache.set(key, { version, result });
      if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
    }
    const { ids, ...page } = result;
    return { ...page, items: await this.offers.byIds(em, ids) };
  }

  /** The search itself: the page's ids, the total and the facets, in two statements at most. */
  private async compute(
    connection: ReturnType<EntityManager['getConnection']>,
    q: ReturnType<CatalogueService['validate']>,
  ): Promise<SearchResult> {
    // Per search word: is it a stop word ("per", "di": dropped), and, when the catalogue's
    // vocabulary does not have it, its most similar words there (typos: "dopscuola" ->
    // "doposcuola"). One small indexed query.
    const words = q.words.length
      ? await connection.execute<{ w: string; meaningful: boolean; similar: string[] }[]>(
          `select q.w, numnode(plainto_tsquery('italian', q.w)) > 0 as meaningful,
                  case when exists (select 1 from "third_sector"."offer_word" e where e."word" = q.w)
                       then '{}'::text[]
                       else array(select x."word" from "third_sector"."offer_word" x
                                   where x."word" % q.w and similarity(x."word", q.w) >= 0.45
                                   order by similarity(x."word", q.w) desc, x."word" limit 3)
                  end as similar
             from unnest(?::text[]) with ordinality q(w, n) order by q.n`,
          [pgArray(q.words)],
        )
      : [];

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
    // Every word must match in Italian full text (stemmed: "lezioni" finds "lezione"), itself or
    // one of its similar words: one tsquery per word, all on the GIN index of `search`.
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
    const weekdayParams: unknown[] = q.time ? [q.time, q.time] : [];

    // One boolean per facet's filter; each facet is counted with the others applied.
    const flags: Record<FacetName, { sql: string; params: unknown[] }> = {
      category: q.categories.length
        ? { sql: `o."category" = any(?::text[])`, params: [pgArray(q.categories)] }
        : { sql: 'true', params: [] },
      target: q.targets.length
        ? { sql: `o."targets" && ?::text[]`, params: [pgArray(q.targets)] }
        : { sql: 'true', params: [] },
      pricing:
        q.pricing.length === 1
          ? { sql: `(o."price_kind" = 'FREE') = ?`, params: [q.pricing[0] === 'FREE'] }
          : { sql: 'true', params: [] },
      municipality: q.municipalities.length
        ? { sql: `o."municipalities" && ?::text[]`, params: [pgArray(q.municipalities)] }
        : { sql: 'true', params: [] },
      weekday: q.weekdays.length
        ? { sql: `${weekdays} && ?::smallint[]`, params: [pgArray(q.weekdays)] }
        : q.time
          ? { sql: `cardinality(${weekdays}) > 0`, params: [] }
          : { sql: 'true', params: [] },
    };
    const names = Object.keys(flags) as FacetName[];
    const others = (except: FacetName | null) =>
      names
        .filter((n) => n !== except)
        .map((n) => `f."f_${n}"`)
        .join(' and ');
    // Facets with a fixed domain are counted in one pass (FILTER clauses); the values are our
    // own constants, safe to write into the statement.
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

    const sql = `with accredited as materialized (
        select distinct a."provider_id", a."comune_id" from "third_sector"."accreditation_request" a
         where a."status" = 'ACCREDITED' and a."valid_until" >= ?::date
      )${slots}, f as materialized (
        select o."id", o."title", o."category", o."targets", o."price_kind" = 'FREE' as "free",
               o."municipalities", ${weekdays} as "weekdays", ${rank} as "rank",
               ${names.map((n) => `${flags[n].sql} as "f_${n}"`).join(', ')}
          from "third_sector"."offer" o ${slotsJoin}
         where (o."provider_id", o."comune_id") in (select a."provider_id", a."comune_id" from accredited a)
           and ${where.join(' and ')}
      )
      select 'counts' as "facet", json_build_object(${counts.join(', ')})::text as "value"
        from f
      union all
      select 'municipality:' || m, count(*)::text from f, unnest(f."municipalities") m
       where ${others('municipality')} group by m
      union all
      select 'items', coalesce(json_agg(p."id" order by p."rank" desc, p."title", p."id"), '[]')::text
        from (select f."id", f."rank", f."title" from f where ${others(null)}
               order by f."rank" desc, f."title", f."id" limit ? offset ?) p`;
    const allParams = [
      romeDay(this.now()),
      ...weekdayParams,
      ...rankParams,
      ...names.flatMap((n) => flags[n].params),
      ...params,
      q.pageSize,
      (q.page - 1) * q.pageSize,
    ];
    const rows = await connection.execute<{ facet: string; value: string }[]>(sql, allParams);

    const totals = JSON.parse(rows.find((r) => r.facet === 'counts')?.value ?? '{}') as Record<
      string,
      number
    >;
    const mun = new Map(
      rows
        .filter((r) => r.facet.startsWith('municipality:'))
        .map((r) => [r.facet.slice('municipality:'.length), Number(r.value)]),
    );
    const ids = JSON.parse(rows.find((r) => r.facet === 'items')?.value ?? '[]') as string[];
    const total = totals.total ?? 0;
    const municipalityNames = new Set([...mun.keys(), ...q.municipalities]);
    return {
      ids,
      total,
      page: q.page,
      pageSize: q.pageSize,
      pageCount: Math.ceil(total / q.pageSize),
      facets: {
        categories: OFFER_CATEGORIES.map((value) => ({
          value,
          count: totals[`category:${value}`] ?? 0,
        })),
        targets: OFFER_TARGETS.map((value) => ({ value, count: totals[`target:${value}`] ?? 0 })),
        pricing: CATALOGUE_PRICINGS.map((value) => ({
          value,
          count: totals[`pricing:${value}`] ?? 0,
        })),
        municipalities: [...municipalityNames]
          .sort((a, b) => a.localeCompare(b, 'it'))
          .map((value) => ({ value, count: mun.get(value) ?? 0 })),
        weekdays: [1, 2, 3, 4, 5, 6, 7].map((value) => ({
          value,
          count: totals[`weekday:${value}`] ?? 0,
        })),
      },
    };
  }

  /** Checks the query (every bad field reported at once) and normalises it. */
  private validate(query: CatalogueQuery) {
    const errors = new FieldErrors();
    const text = (query.text ?? '').trim();
    if (text.length > TEXT_MAX) {
      errors.add(
        'text',
        `Testo di ricerca troppo lungo (al massimo ${TEXT_MAX} caratteri).`,
        `Search text too long (at most ${TEXT_MAX} characters).`,
      );
    }
    const words = [
      ...new Set(
        (text.toLocaleLowerCase('it').match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length >= 2),
      ),
    ].slice(0, WORDS_MAX);
    const comuneId = query.comuneId ?? null;
    if (comuneId !== null && !isUuid(comuneId)) {
      errors.add('comuneId', 'Comune non valido.', 'Invalid Comune.');
    }
    const providerId = query.providerId ?? null;
    if (providerId !== null && !isUuid(providerId)) {
      errors.add('providerId', 'Ente non valido.', 'Invalid provider.');
    }
    const categories = [...new Set(query.categories ?? [])];
    if (categories.some((c) => !OFFER_CATEGORIES.includes(c))) {
      errors.add('categories', 'Categoria non valida.', 'Invalid category.');
    }
    const targets = [...new Set(query.targets ?? [])];
    if (targets.some((t) => !OFFER_TARGETS.includes(t))) {
      errors.add('targets', 'Destinatari non validi.', 'Invalid target group.');
    }
    const pricing = [...new Set(query.pricing ?? [])];
    if (pricing.some((p) => !CATALOGUE_PRICINGS.includes(p))) {
      errors.add('pricing', 'Filtro di prezzo non valido.', 'Invalid price filter.');
    }
    const municipalities = [
      ...new Set((query.municipalities ?? []).map((m) => m.trim()).filter((m) => m !== '')),
    ];
    if (municipalities.length > 20 || municipalities.some((m) => m.length > 100)) {
      errors.add('municipalities', 'Comuni del luogo non validi.', 'Invalid municipalities.');
    }
    const weekdays = [...new Set(query.weekdays ?? [])];
    if (weekdays.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
      errors.add(
        'weekdays',
        'Giorno della settimana da 1 (lunedì) a 7 (domenica).',
        'Weekday from 1 (Monday) to 7 (Sunday).',
      );
    }
    const time = query.time?.trim() || null;
    if (time !== null && !TIME.test(time)) {
      errors.add('time', 'Ora non valida (HH:MM).', 'Invalid time (HH:MM).');
    }
    const page = query.page ?? 1;
    if (!Number.isInteger(page) || page < 1 || page > 10_000) {
      errors.add('page', 'Pagina non valida.', 'Invalid page.');
    }
    const pageSize = query.pageSize ?? CATALOGUE_PAGE_SIZE_DEFAULT;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > CATALOGUE_PAGE_SIZE_MAX) {
      errors.add(
        'pageSize',
        `Risultati per pagina da 1 a ${CATALOGUE_PAGE_SIZE_MAX}.`,
        `Results per page from 1 to ${CATALOGUE_PAGE_SIZE_MAX}.`,
      );
    }
    errors.throwIfAny();
    return {
      words,
      comuneId,
      providerId,
      categories,
      targets,
      pricing,
      municipalities,
      weekdays,
      time,
      page,
      pageSize,
    };
  }
}
