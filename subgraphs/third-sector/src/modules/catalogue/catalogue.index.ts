import { OFFER_CATEGORIES, OFFER_TARGETS } from '../offer/offer.enums.js';
import type { OfferRecord } from '../offer/offer.service.js';
import type { CatalogueCounts, CatalogueSearch } from './catalogue.repository.js';
import { editDistance, fold, isStopWord, stem, typoAllowance, words } from './catalogue.text.js';
import { BUILT_IN_SYNONYMS, CATEGORY_WORDS, TARGET_WORDS } from './catalogue.words.js';

/** A published offer as the index needs it (see `loadCatalogue`). */
export interface CatalogueDoc {
  id: string;
  providerId: string;
  comuneId: string;
  title: string;
  description: string;
  category: string;
  targets: string[];
  free: boolean;
  municipalities: string[];
  /** Weekly slots, times in minutes from midnight, `end` excluded. */
  slots: { weekday: number; start: number; end: number }[];
  /** The whole offer, as a page of results returns it. */
  record: OfferRecord;
}

/** Everything the index is built from, read in one snapshot. */
export interface CatalogueData {
  /** The `catalogue_version` the snapshot saw. */
  version: string;
  offers: CatalogueDoc[];
  /** The last day of the current accreditation of each (provider, Comune), `YYYY-MM-DD`. */
  accreditations: { providerId: string; comuneId: string; validUntil: string }[];
  /** The Comuni's own synonym groups. */
  synonyms: { comuneId: string; words: string[] }[];
}

type Bits = Uint32Array;

/** Where a word occurs in an offer: bit flags, ranked title > category or target > description. */
const TITLE = 1;
const DESCRIPTION = 2;
const LABEL = 4;
const FIELD_WEIGHT = Array.from({ length: 8 }, (_, mask) =>
  mask & TITLE ? 3 : mask & LABEL ? 2 : mask & DESCRIPTION ? 1 : 0,
);
/** How much an alternative of a search word counts against the word itself. */
const EXACT = 1;
const PREFIX = 0.9;
const SYNONYM = 0.8;
const TYPO = 0.7;
/** Similar catalogue words a misspelt word is taken as, at most. */
const TYPO_ALTERNATIVES = 3;

interface Postings {
  docs: Uint32Array;
  fields: Uint8Array;
}

/** One way a search word matches: every stem of a phrase, in any field; with its weight. */
interface Alternative {
  stems: string[];
  weight: number;
}

/** Synonym groups, each a list of terms (the stems of a word or short phrase). */
class SynonymSet {
  private readonly groups: string[][][] = [];
  /** Group numbers by a term's first stem. */
  private readonly byFirst = new Map<string, number[]>();

  add(group: readonly string[]): void {
    const terms = group
      .map((term) =>
        words(term)
          .filter((w) => !isStopWord(w))
          .map(stem),
      )
      .filter((t) => t.length > 0);
    if (terms.length < 2) return;
    const n = this.groups.push(terms) - 1;
    for (const first of new Set(terms.map((t) => t[0]!))) {
      const list = this.byFirst.get(first) ?? [];
      list.push(n);
      this.byFirst.set(first, list);
    }
  }

  /** The longest term starting at `at` in `stems`, and the groups it belongs to. */
  match(stems: string[], at: number): { length: number; groups: string[][][] } | null {
    let best: { length: number; groups: string[][][] } | null = null;
    for (const n of this.byFirst.get(stems[at]!) ?? []) {
      for (const term of this.groups[n]!) {
        if (term.length < (best?.length ?? 1)) continue;
        if (!term.every((s, k) => stems[at + k] === s)) continue;
        if (!best || term.length > best.length) best = { length: term.length, groups: [] };
        best.groups.push(this.groups[n]!);
      }
    }
    return best;
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function countBits(a: Bits): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i]) n += popcount(a[i]!);
  return n;
}

function countAnd(a: Bits, b: Bits): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! & b[i]!;
    if (x) n += popcount(x);
  }
  return n;
}

function andInto(target: Bits, other: Bits): Bits {
  for (let i = 0; i < target.length; i++) target[i]! &= other[i]!;
  return target;
}

function orInto(target: Bits, other: Bits): Bits {
  for (let i = 0; i < target.length; i++) target[i]! |= other[i]!;
  return target;
}

function setBit(bits: Bits, i: number): void {
  bits[i >>> 5]! |= 1 << (i & 31);
}

/** Calls `fn` with each set bit's position, ascending, until it returns false. */
function eachBit(bits: Bits, fn: (i: number) => boolean | void): void {
  for (let w = 0; w < bits.length; w++) {
    let x = bits[w]!;
    while (x) {
      const low = x & -x;
      if (fn((w << 5) + 31 - Math.clz32(low)) === false) return;
      x ^= low;
    }
  }
}

function minutes(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/**
 * The catalogue in memory: every published offer, numbered in title order (so a search without
 * text pages by walking its result bits), with a bitset per facet value (category, target group,
 * free or paid, municipality, weekday), the slots per weekday (for the time of day), and inverted
 * lists of stems with the fields they occur in (title, category or target words, description).
 * A search is set operations on bitsets: the text's matching offers, the base filters (visible
 * on the day, Comune, provider), then each facet counted with every other filter applied. Built
 * once per catalogue version (see `CatalogueService`) and never changed: a new version builds a
 * new index.
 */
export class CatalogueIndex {
  readonly size: number;
  private readonly words: number;
  private readonly ids: string[];
  private readonly records: OfferRecord[];
  private readonly validUntil: (string | null)[];
  private readonly comuneOf: string[];
  private readonly providerOf: string[];
  private readonly categories = new Map<string, Bits>();
  private readonly targets = new Map<string, Bits>();
  private readonly free: Bits;
  private readonly paid: Bits;
  private readonly municipalityNames: string[] = [];
  private readonly municipalityBits: Bits[] = [];
  /** Each offer's municipalities (numbers), as offsets into `municipalityList`. */
  private readonly municipalityStart: Uint32Array;
  private readonly municipalityList: Uint32Array;
  private readonly weekdays: Bits[] = [];
  /** The slots of each weekday (1..7): offer, start and end minute. */
  private readonly slots: { doc: Uint32Array; start: Uint16Array; end: Uint16Array }[] = [];
  private readonly postings = new Map<string, Postings>();
  /** The catalogue's words (folded), sorted, each with its stem: prefixes and typos. */
  private readonly vocabulary: string[];
  private readonly stemOf = new Map<string, string>();
  private readonly builtIn = new SynonymSet();
  private readonly comuneSynonyms = new Map<string, SynonymSet>();
  /** Built on first use: visible offers per day, offers per Comune and per provider. */
  private readonly visible = new Map<string, Bits>();
  private readonly byComune = new Map<string, Bits>();
  private readonly byProvider = new Map<string, Bits>();
  /** Scratch scores, one per offer (a search runs synchronously, so one set per index). */
  private readonly unitScore: Float32Array;
  private readonly score: Float32Array;

  constructor(
    readonly version: string,
    data: CatalogueData,
  ) {
    const collator = new Intl.Collator('it');
    const offers = [...data.offers].sort(
      (a, b) => collator.compare(a.title, b.title) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    const n = offers.length;
    this.size = n;
    this.words = Math.max(1, Math.ceil(n / 32));
    this.ids = offers.map((o) => o.id);
    this.records = offers.map((o) => o.record);
    this.comuneOf = offers.map((o) => o.comuneId);
    this.providerOf = offers.map((o) => o.providerId);
    const until = new Map(
      data.accreditations.map((a) => [`${a.providerId}/${a.comuneId}`, a.validUntil]),
    );
    this.validUntil = offers.map((o) => until.get(`${o.providerId}/${o.comuneId}`) ?? null);
    for (const c of OFFER_CATEGORIES) this.categories.set(c, this.bits());
    for (const t of OFFER_TARGETS) this.targets.set(t, this.bits());
    this.free = this.bits();
    this.paid = this.bits();
    for (let d = 0; d <= 7; d++) this.weekdays.push(this.bits());
    const municipalityNumber = new Map<string, number>();
    const municipalityStart = new Uint32Array(n + 1);
    const municipalityList: number[] = [];
    const slots = Array.from({ length: 8 }, () => ({
      doc: [] as number[],
      start: [] as number[],
      end: [] as number[],
    }));
    const building = new Map<string, { docs: number[]; fields: number[] }>();
    const labels = (text: string) => words(text).filter((w) => !isStopWord(w));
    const categoryWords = new Map(
      Object.entries(CATEGORY_WORDS).map(([c, text]) => [c, labels(text)]),
    );
    const targetWords = new Map(Object.entries(TARGET_WORDS).map(([t, text]) => [t, labels(text)]));

    offers.forEach((o, i) => {
      setBit(this.categories.get(o.category) ?? this.bits(), i);
      for (const t of o.targets) if (this.targets.has(t)) setBit(this.targets.get(t)!, i);
      setBit(o.free ? this.free : this.paid, i);
      municipalityStart[i] = municipalityList.length;
      for (const m of new Set(o.municipalities)) {
        let k = municipalityNumber.get(m);
        if (k === undefined) {
          k = this.municipalityNames.push(m) - 1;
          municipalityNumber.set(m, k);
          this.municipalityBits.push(this.bits());
        }
        municipalityList.push(k);
        setBit(this.municipalityBits[k]!, i);
      }
      for (const s of o.slots) {
        setBit(this.weekdays[s.weekday]!, i);
        slots[s.weekday]!.doc.push(i);
        slots[s.weekday]!.start.push(s.start);
        slots[s.weekday]!.end.push(s.end);
      }
      // The offer's stems and where they occur.
      const fields = new Map<string, number>();
      const add = (list: string[], field: number, surface: boolean) => {
        for (const w of list) {
          if (isStopWord(w)) continue;
          const s = stem(w);
          if (surface && w.length >= 2 && !this.stemOf.has(w)) this.stemOf.set(w, s);
          fields.set(s, (fields.get(s) ?? 0) | field);
        }
      };
      add(words(o.title), TITLE, true);
      add(words(o.description), DESCRIPTION, true);
      add(categoryWords.get(o.category) ?? [], LABEL, false);
      for (const t of o.targets) add(targetWords.get(t) ?? [], LABEL, false);
      for (const [s, field] of fields) {
        let p = building.get(s);
        if (!p) building.set(s, (p = { docs: [], fields: [] }));
        p.docs.push(i);
        p.fields.push(field);
      }
    });
    municipalityStart[n] = municipalityList.length;
    this.municipalityStart = municipalityStart;
    this.municipalityList = Uint32Array.from(municipalityList);
    for (const s of slots) {
      this.slots.push({
        doc: Uint32Array.from(s.doc),
        start: Uint16Array.from(s.start),
        end: Uint16Array.from(s.end),
      });
    }
    for (const [s, p] of building) {
      this.postings.set(s, { docs: Uint32Array.from(p.docs), fields: Uint8Array.from(p.fields) });
    }
    this.vocabulary = [...this.stemOf.keys()].sort();
    for (const group of BUILT_IN_SYNONYMS) this.builtIn.add(group);
    for (const { comuneId, words: group } of data.synonyms) {
      let set = this.comuneSynonyms.get(comuneId);
      if (!set) this.comuneSynonyms.set(comuneId, (set = new SynonymSet()));
      set.add(group);
    }
    this.unitScore = new Float32Array(n);
    this.score = new Float32Array(n);
  }

  private bits(): Bits {
    return new Uint32Array(this.words);
  }

  /** The offers whose provider is accredited by their Comune on `day` (cached per day). */
  private visibleOn(day: string): Bits {
    let b = this.visible.get(day);
    if (!b) {
      b = this.bits();
      for (let i = 0; i < this.size; i++) {
        const until = this.validUntil[i];
        if (until != null && until >= day) setBit(b, i);
      }
      if (this.visible.size > 4) this.visible.clear();
      this.visible.set(day, b);
    }
    return b;
  }

  private owned(cache: Map<string, Bits>, of: string[], id: string): Bits {
    let b = cache.get(id);
    if (!b) {
      b = this.bits();
      for (let i = 0; i < this.size; i++) if (of[i] === id) setBit(b, i);
      if (cache.size > 1000) cache.clear();
      cache.set(id, b);
    }
    return b;
  }

  /** The offers with a slot on `weekday` covering `time` (minutes). */
  private coveringOn(weekday: number, time: number): Bits {
    const b = this.bits();
    const { doc, start, end } = this.slots[weekday]!;
    for (let k = 0; k < doc.length; k++) {
      if (start[k]! <= time && end[k]! > time) setBit(b, doc[k]!);
    }
    return b;
  }

  /**
   * The search words as units, each matched by any of its alternatives: the word's stem, any
   * catalogue word it begins ("dopo" → "doposcuola", "laboratori" → "laboratorio"), its synonyms (a phrase
   * of the synonym lists is one unit: "baby sitting"), and, when the catalogue has no such word,
   * the catalogue words one or two edits away ("dopscuola" → "doposcuola"). Stop words are
   * dropped unless part of a phrase.
   */
  private units(q: CatalogueSearch): Alternative[][] {
    const tokens = q.words.map(fold).flatMap((w) => words(w));
    const stems = tokens.map(stem);
    const sets = [this.builtIn, ...(q.comuneId ? [this.comuneSynonyms.get(q.comuneId)] : [])];
    const units: Alternative[][] = [];
    for (let i = 0; i < tokens.length;) {
      const phrase = sets
        .map((s) => s?.match(stems, i) ?? null)
        .reduce<{ length: number; groups: string[][][] } | null>(
          (best, m) =>
            !m || (best && best.length > m.length)
              ? best
              : best && best.length === m.length
                ? { length: m.length, groups: [...best.groups, ...m.groups] }
                : m,
          null,
        );
      const length = phrase && phrase.length > 1 ? phrase.length : 1;
      const word = tokens[i]!;
      if (length === 1 && isStopWord(word)) {
        i++;
        continue;
      }
      const own = stems.slice(i, i + length);
      const alternatives: Alternative[] = [{ stems: own, weight: EXACT }];
      let found = own.every((s) => this.postings.has(s));
      if (length === 1 && word.length >= 3) {
        for (const w of this.withPrefix(word)) {
          const s = this.stemOf.get(w)!;
          if (s === own[0]) continue;
          alternatives.push({ stems: [s], weight: PREFIX });
          found = true;
        }
      }
      const groups = [...(phrase?.groups ?? [])];
      if (!found && length === 1) {
        for (const w of this.similar(word)) {
          const s = this.stemOf.get(w)!;
          alternatives.push({ stems: [s], weight: TYPO });
          for (const set of sets) groups.push(...(set?.match([s], 0)?.groups ?? []));
        }
      }
      for (const group of groups) {
        for (const term of group) alternatives.push({ stems: term, weight: SYNONYM });
      }
      units.push(alternatives);
      i += length;
    }
    return units;
  }

  /** The catalogue words beginning with `prefix` (a sorted range). */
  private withPrefix(prefix: string): string[] {
    let lo = 0;
    let hi = this.vocabulary.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.vocabulary[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    const found: string[] = [];
    for (let k = lo; k < this.vocabulary.length && this.vocabulary[k]!.startsWith(prefix); k++) {
      if (this.vocabulary[k] !== prefix) found.push(this.vocabulary[k]!);
    }
    return found;
  }

  /** The catalogue words closest to a misspelt word, within its edit allowance. */
  private similar(word: string): string[] {
    const max = typoAllowance(word);
    if (max === 0) return [];
    const close: { w: string; d: number }[] = [];
    for (const w of this.vocabulary) {
      if (Math.abs(w.length - word.length) > max || w.length < 3) continue;
      const d = editDistance(word, w, max);
      if (d <= max) close.push({ w, d });
    }
    close.sort((a, b) => a.d - b.d || (a.w < b.w ? -1 : 1));
    return close.slice(0, TYPO_ALTERNATIVES).map((c) => c.w);
  }

  /**
   * The offers matching every unit, each unit scored by its best alternative (the alternative's
   * weight times the weight of the best field the word is in); the units' scores add up in
   * `this.score`. Null when the search has no words to match (no condition).
   */
  private matchText(q: CatalogueSearch, touched: number[]): Bits | null {
    const units = this.units(q);
    if (units.length === 0) return null;
    let result: Bits | null = null;
    const unitScore = this.unitScore;
    for (const alternatives of units) {
      const seen: number[] = [];
      for (const alt of alternatives) {
        const lists = alt.stems.map((s) => this.postings.get(s));
        if (lists.some((p) => !p)) continue;
        const [first, ...rest] = (lists as Postings[]).sort(
          (a, b) => a.docs.length - b.docs.length,
        );
        for (let k = 0; k < first!.docs.length; k++) {
          const doc = first!.docs[k]!;
          let field = FIELD_WEIGHT[first!.fields[k]!]!;
          let all = true;
          for (const p of rest) {
            const at = findDoc(p.docs, doc);
            if (at < 0) {
              all = false;
              break;
            }
            field = Math.min(field, FIELD_WEIGHT[p.fields[at]!]!);
          }
          if (!all) continue;
          const w = alt.weight * field;
          if (unitScore[doc] === 0) seen.push(doc);
          if (w > unitScore[doc]!) unitScore[doc] = w;
        }
      }
      const bits = this.bits();
      for (const doc of seen) {
        setBit(bits, doc);
        if (this.score[doc] === 0) touched.push(doc);
        this.score[doc]! += unitScore[doc]!;
        unitScore[doc] = 0;
      }
      result = result ? andInto(result, bits) : bits;
    }
    return result;
  }

  /** The page's ids, the total and every facet's counts: the same answer as the SQL search. */
  search(q: CatalogueSearch, today: string): CatalogueCounts {
    const touched: number[] = [];
    try {
      return this.run(q, today, touched);
    } finally {
      for (const doc of touched) this.score[doc] = 0;
    }
  }

  private run(q: CatalogueSearch, today: string, touched: number[]): CatalogueCounts {
    const base = this.visibleOn(today).slice();
    if (q.comuneId) andInto(base, this.owned(this.byComune, this.comuneOf, q.comuneId));
    if (q.providerId) andInto(base, this.owned(this.byProvider, this.providerOf, q.providerId));
    const text = q.words.length ? this.matchText(q, touched) : null;
    if (text) andInto(base, text);

    const anyOf = (values: readonly (string | number)[], of: (v: string | number) => Bits) => {
      const b = this.bits();
      for (const v of values) orInto(b, of(v));
      return b;
    };
    const empty = this.bits();
    const time = q.time ? minutes(q.time) : null;
    const dayBits = Array.from({ length: 8 }, (_, d) =>
      d === 0 ? empty : time === null ? this.weekdays[d]! : this.coveringOn(d, time),
    );
    const filters = {
      category: q.categories.length
        ? anyOf(q.categories, (c) => this.categories.get(c as string) ?? empty)
        : null,
      target: q.targets.length
        ? anyOf(q.targets, (t) => this.targets.get(t as string) ?? empty)
        : null,
      pricing: q.pricing.length === 1 ? (q.pricing[0] === 'FREE' ? this.free : this.paid) : null,
      municipality: q.municipalities.length
        ? anyOf(q.municipalities, (m) => {
            const k = this.municipalityNames.indexOf(m as string);
            return k < 0 ? empty : this.municipalityBits[k]!;
          })
        : null,
      weekday: q.weekdays.length
        ? anyOf(q.weekdays, (d) => dayBits[d as number]!)
        : time !== null
          ? anyOf([1, 2, 3, 4, 5, 6, 7], (d) => dayBits[d as number]!)
          : null,
    };
    type Facet = keyof typeof filters;
    const names = Object.keys(filters) as Facet[];
    const others = (except: Facet | null): Bits => {
      const b = base.slice();
      for (const n of names) if (n !== except && filters[n]) andInto(b, filters[n]);
      return b;
    };

    const matching = others(null);
    const totals: Record<string, number> = { total: countBits(matching) };
    const byCategory = others('category');
    for (const c of OFFER_CATEGORIES) {
      totals[`category:${c}`] = countAnd(byCategory, this.categories.get(c)!);
    }
    const byTarget = others('target');
    for (const t of OFFER_TARGETS) totals[`target:${t}`] = countAnd(byTarget, this.targets.get(t)!);
    const byPricing = others('pricing');
    totals['pricing:FREE'] = countAnd(byPricing, this.free);
    totals['pricing:PAID'] = countAnd(byPricing, this.paid);
    const byWeekday = others('weekday');
    for (let d = 1; d <= 7; d++) totals[`weekday:${d}`] = countAnd(byWeekday, dayBits[d]!);
    const municipalities = this.countMunicipalities(others('municipality'));

    const page = this.page(matching, text !== null, q);
    return {
      ids: page.map((i) => this.ids[i]!),
      items: page.map((i) => this.records[i]!),
      totals,
      municipalities,
    };
  }

  /** Matching offers per municipality (only those with some). */
  private countMunicipalities(bits: Bits): Map<string, number> {
    const counts = new Map<string, number>();
    if (this.municipalityNames.length <= 64) {
      this.municipalityNames.forEach((name, k) => {
        const n = countAnd(bits, this.municipalityBits[k]!);
        if (n > 0) counts.set(name, n);
      });
      return counts;
    }
    const perNumber = new Uint32Array(this.municipalityNames.length);
    eachBit(bits, (i) => {
      for (let k = this.municipalityStart[i]!; k < this.municipalityStart[i + 1]!; k++) {
        perNumber[this.municipalityList[k]!]!++;
      }
    });
    perNumber.forEach((n, k) => {
      if (n > 0) counts.set(this.municipalityNames[k]!, n);
    });
    return counts;
  }

  /**
   * The page's offers (numbers): by score (highest first) when searching text, then in title order (the
   * offers' numbering), then by id.
   */
  private page(matching: Bits, ranked: boolean, q: CatalogueSearch): number[] {
    const from = (q.page - 1) * q.pageSize;
    const to = from + q.pageSize;
    const ids: number[] = [];
    if (!ranked) {
      let k = 0;
      eachBit(matching, (i) => {
        if (k >= from) ids.push(i);
        return ++k < to;
      });
      return ids;
    }
    const byScore = new Map<number, number[]>();
    eachBit(matching, (i) => {
      const s = this.score[i]!;
      const list = byScore.get(s);
      if (list) list.push(i);
      else byScore.set(s, [i]);
    });
    let k = 0;
    for (const s of [...byScore.keys()].sort((a, b) => b - a)) {
      for (const i of byScore.get(s)!) {
        if (k >= to) return ids;
        if (k >= from) ids.push(i);
        k++;
      }
    }
    return ids;
  }
}

/** The position of `doc` in a sorted list, or -1. */
function findDoc(docs: Uint32Array, doc: number): number {
  let lo = 0;
  let hi = docs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = docs[mid]!;
    if (v === doc) return mid;
    if (v < doc) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
