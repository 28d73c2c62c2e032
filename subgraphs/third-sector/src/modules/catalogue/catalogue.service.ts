import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller } from '@welfare/kit';
import { isComuneManager, isUuid, requireComuneManager } from '@welfare/kit/access';
import { romeDay } from '@welfare/kit/dates';
import {
  OFFER_CATEGORIES,
  OFFER_TARGETS,
  type OfferCategoryValue,
  type OfferTargetValue,
} from '../offer/offer.enums.js';
import type { OfferRecord } from '../offer/offer.service.js';
import { CATALOGUE_PRICINGS, type CataloguePricingValue } from './catalogue.enums.js';
import { CatalogueIndex } from './catalogue.index.js';
import {
  deleteSynonyms,
  findSynonyms,
  insertSynonyms,
  listSynonyms,
  loadCatalogue,
  loadCatalogueChanges,
  pruneCatalogueChanges,
  readCatalogueVersion,
  type CatalogueCounts,
  type CatalogueSearch,
} from './catalogue.repository.js';
import { isStopWord, words as textWords } from './catalogue.text.js';
import { BUILT_IN_SYNONYMS } from './catalogue.words.js';

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

/** A search's result (its offers as the index holds them). */
type SearchResult = CataloguePage;

export const CATALOGUE_PAGE_SIZE_DEFAULT = 20;
/** Searches kept in the result cache by default (each a page of ids and the facet counts). */
export const CATALOGUE_CACHE_SIZE_DEFAULT = 500;
export const CATALOGUE_PAGE_SIZE_MAX = 50;
/**
 * The change log's rows are kept an hour (an index older than that reloads the whole catalogue),
 * pruned by each process at most once a minute.
 */
const CATALOGUE_CHANGE_KEEP_SECONDS = 3600;
const CATALOGUE_PRUNE_EVERY_MS = 60_000;
const TEXT_MAX = 200;
const WORDS_MAX = 8;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
/** A Comune's synonym groups: at most this many, each of 2 to 10 words or phrases. */
export const SYNONYM_LIMITS = { groupsMax: 200, termsMin: 2, termsMax: 10, termMax: 60 } as const;
const SYNONYM_TERM = /^[\p{L}\p{N}]+(?:[ '’-][\p{L}\p{N}]+){0,2}$/u;

/** A synonym group: built in (no id) or the Comune's own. */
export interface SynonymGroup {
  id: string | null;
  comuneId: string | null;
  words: string[];
}

const synonymNotFound = () =>
  DomainError.notFound({ it: 'Gruppo di sinonimi non trovato.', en: 'Synonym group not found.' });

/** The page and the facets from what the search statement returned. */
function pageOf(q: CatalogueSearch, counts: CatalogueCounts): SearchResult {
  const { items, totals, municipalities: mun } = counts;
  const total = totals.total ?? 0;
  const municipalityNames = new Set([...mun.keys(), ...q.municipalities]);
  return {
    items,
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

/**
 * The public catalogue: the offers PUBLISHED whose provider is accredited by the offer's Comune
 * at the moment of the query (a suspension or an expiry hides them at once), searched in Italian
 * (stems, synonyms, typos) and filtered, with disjunctive facet counts (each facet counted with
 * every other filter applied). Searches run on an in-memory index of the whole catalogue (see
 * `CatalogueIndex`), one per process, refreshed from PostgreSQL when the catalogue's version
 * changes (the offers changed since, from the change log; a full reload when the log cannot
 * tell): each search reads the version (one small query), so the next search after any
 * committed write, from any process, sees it. The index holds the offers whole (with places and
 * schedule), so a page needs no further query.
 */
export class CatalogueService {
  constructor(
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
  /** The index of the newest catalogue version loaded, and the load under way (one at a time). */
  private index: CatalogueIndex | null = null;
  private loading: Promise<CatalogueIndex> | null = null;
  /** When this process last pruned the change log (ms since the epoch). */
  private prunedAt = 0;
  /** The index's refreshes so far, by kind (for tests and diagnostics). */
  readonly refreshes = { full: 0, incremental: 0 };

  async search(em: EntityManager, query: CatalogueQuery): Promise<CataloguePage> {
    const q = this.validate(query);
    // Read before the search: a write committed in between makes the answer stale, never wrong.
    const version = await readCatalogueVersion(em);
    const key = JSON.stringify([romeDay(this.now()), q]);
    let result = this.cache.get(key)?.version === version ? this.cache.get(key)!.result : null;
    if (!result) {
      const index = await this.indexOf(em, version);
      result = pageOf(q, index.search(q, romeDay(this.now())));
      this.cache.delete(key);
      if (this.cacheSize > 0) this.cache.set(key, { version, result });
      if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
    }
    return result;
  }

  /**
   * The index of `version` or a newer one: the current one, or the current one refreshed (the
   * changes since its version applied, or a new one loaded from a snapshot); concurrent searches
   * wait for the same refresh.
   */
  private async indexOf(em: EntityManager, version: string): Promise<CatalogueIndex> {
    const atLeast = (index: CatalogueIndex | null) =>
      index !== null && BigInt(index.version || '0') >= BigInt(version || '0');
    while (!atLeast(this.index)) {
      this.loading ??= this.refresh(em).finally(() => {
        this.loading = null;
      });
      await this.loading;
    }
    return this.index!;
  }

  /**
   * Brings the index to the newest version: the offers changed since its version, from the
   * change log, applied in place (milliseconds for a few offers); a full reload for the first
   * index, or when the log cannot tell (pruned past the index's version, a change not about single
   * offers, more changed offers than the index has room for). Prunes the log now and then.
   */
  private async refresh(em: EntityManager): Promise<CatalogueIndex> {
    const current = this.index;
    const changes = current ? await loadCatalogueChanges(em, current.version, current.room) : null;
    let applied = false;
    try {
      applied = current !== null && changes !== null && current.apply(changes);
    } catch (error) {
      this.index = null; // never search a half-applied index: the next search reloads
      throw error;
    }
    if (applied) {
      this.refreshes.incremental++;
    } else {
      this.refreshes.full++;
      const data = await loadCatalogue(em);
      const index = new CatalogueIndex(data.version, data);
      if (!this.index || BigInt(data.version || '0') >= BigInt(this.index.version || '0')) {
        this.index = index;
      }
    }
    if (this.now().getTime() - this.prunedAt >= CATALOGUE_PRUNE_EVERY_MS) {
      this.prunedAt = this.now().getTime();
      await pruneCatalogueChanges(em, CATALOGUE_CHANGE_KEEP_SECONDS);
    }
    return this.index!;
  }

  /** The synonym groups a Comune's catalogue searches with: the built-in ones, then its own. */
  async synonyms(em: EntityManager, comuneId: string): Promise<SynonymGroup[]> {
    const own = isUuid(comuneId) ? await listSynonyms(em, comuneId) : [];
    return [
      ...BUILT_IN_SYNONYMS.map((words) => ({ id: null, comuneId: null, words: [...words] })),
      ...own.map(({ id, words }) => ({ id, comuneId, words })),
    ];
  }

  /** Adds a synonym group to the Comune's catalogue (its MANAGERs only). */
  async addSynonyms(
    em: EntityManager,
    caller: Caller,
    comuneId: string,
    words: string[],
  ): Promise<SynonymGroup> {
    const person = requireComuneManager(caller, comuneId);
    const errors = new FieldErrors();
    const terms = [
      ...new Map(
        words
          .map((w) => w.trim().replace(/\s+/g, ' ').toLocaleLowerCase('it'))
          .filter((w) => w !== '')
          .map((w) => [textWords(w).join(' '), w]),
      ).values(),
    ];
    const bad = terms.filter(
      (t) =>
        t.length > SYNONYM_LIMITS.termMax ||
        !SYNONYM_TERM.test(t) ||
        textWords(t).every((w) => isStopWord(w)),
    );
    if (bad.length > 0) {
      errors.add(
        'words',
        `Parole non valide: ${bad.join(', ')} (lettere e cifre, al massimo tre parole e ${SYNONYM_LIMITS.termMax} caratteri ciascuna).`,
        `Invalid words: ${bad.join(', ')} (letters and digits, at most three words and ${SYNONYM_LIMITS.termMax} characters each).`,
      );
    } else if (terms.length < SYNONYM_LIMITS.termsMin || terms.length > SYNONYM_LIMITS.termsMax) {
      errors.add(
        'words',
        `Da ${SYNONYM_LIMITS.termsMin} a ${SYNONYM_LIMITS.termsMax} parole o espressioni diverse.`,
        `From ${SYNONYM_LIMITS.termsMin} to ${SYNONYM_LIMITS.termsMax} different words or phrases.`,
      );
    }
    errors.throwIfAny();
    return em.transactional(async (tx) => {
      // One writer per Comune at a time, so the limit holds.
      await tx
        .getConnection()
        .execute(`select pg_advisory_xact_lock(hashtext('catalogue_synonym:' || ?))`, [comuneId]);
      if ((await listSynonyms(tx, comuneId)).length >= SYNONYM_LIMITS.groupsMax) {
        new FieldErrors()
          .add(
            'words',
            `Al massimo ${SYNONYM_LIMITS.groupsMax} gruppi di sinonimi per Comune.`,
            `At most ${SYNONYM_LIMITS.groupsMax} synonym groups per Comune.`,
          )
          .throwIfAny();
      }
      const row = await insertSynonyms(tx, comuneId, terms, person.personId);
      return { id: row.id, comuneId, words: row.words };
    });
  }

  /** Removes one of the Comune's synonym groups (its MANAGERs only; NOT_FOUND for anyone else). */
  async removeSynonyms(em: EntityManager, caller: Caller, id: string): Promise<boolean> {
    if (!isUuid(id)) throw synonymNotFound();
    const row = await findSynonyms(em, id);
    if (!row || !isComuneManager(caller, row.comuneId)) throw synonymNotFound();
    await deleteSynonyms(em, id);
    return true;
  }

  /** Checks the query (every bad field reported at once) and normalises it. */
  private validate(query: CatalogueQuery): CatalogueSearch {
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
