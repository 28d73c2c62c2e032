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
  /**
   * The offer's last day in the catalogue, `YYYY-MM-DD` (a tutoring programme's end date; null
   * for an ordinary offer): a search on a later day does not find it.
   */
  availableUntil: string | null;
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

/** What changed since an index's version (see `loadCatalogueChanges`). */
export interface CatalogueChanges extends CatalogueData {
  /** The ids of every offer written since: each is removed, then re-added if in `offers`. */
  changed: string[];
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

/** The offers (numbers, ascending) a stem occurs in, with its fields in each: grows at the end. */
interface Postings {
  docs: Uint32Array;
  fields: Uint8Array;
  length: number;
}

function appendPosting(p: Postings, doc: number, field: number): void {
  if (p.length === p.docs.length) {
    const docs = new Uint32Array(Math.max(4, p.docs.length * 2));
    docs.set(p.docs);
    const fields = new Uint8Array(docs.length);
    fields.set(p.fields);
    p.docs = docs;
    p.fields = fields;
  }
  p.docs[p.length] = doc;
  p.fields[p.length++] = field;
}

/** The slots of one weekday: offer, start and end minute; grows at the end. */
class SlotList {
  doc = new Uint32Array(16);
  start = new Uint16Array(16);
  end = new Uint16Array(16);
  length = 0;

  push(doc: number, start: number, end: number): void {
    if (this.length === this.doc.length) {
      const grow = <T extends Uint32Array | Uint16Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.doc = grow(this.doc, (n) => new Uint32Array(n));
      this.start = grow(this.start, (n) => new Uint16Array(n));
      this.end = grow(this.end, (n) => new Uint16Array(n));
    }
    this.doc[this.length] = doc;
    this.start[this.length] = start;
    this.end[this.length++] = end;
  }
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

function clearBit(bits: Bits, i: number): void {
  bits[i >>> 5]! &= ~(1 << (i & 31));
}

function hasBit(bits: Bits, i: number): boolean {
  return ((bits[i >>> 5]! >>> (i & 31)) & 1) === 1;
}

/**
 * Calls `fn` with each set bit's position below `limit`, ascending, until it returns false;
 * false if it did.
 */
function eachBit(bits: Bits, fn: (i: number) => boolean | void, limit = Infinity): boolean {
  for (let w = 0; w < bits.length; w++) {
    let x = bits[w]!;
    while (x) {
      const low = x & -x;
      const i = (w << 5) + 31 - Math.clz32(low);
      if (i >= limit) return true;
      if (fn(i) === false) return false;
      x ^= low;
    }
  }
  return true;
}

const LABELS = (text: string) => words(text).filter((w) => !isStopWord(w));
const CATEGORY_LABELS = new Map(Object.entries(CATEGORY_WORDS).map(([c, t]) => [c, LABELS(t)]));
const TARGET_LABELS = new Map(Object.entries(TARGET_WORDS).map(([t, text]) => [t, LABELS(text)]));

/**
 * An offer's words: its stems with the fields they occur in (title, description, the category's
 * and target groups' names), and the surface words of its title and description (the
 * vocabulary for prefixes and typos).
 */
function analyse(o: { title: string; description: string; category: string; targets: string[] }): {
  fields: Map<string, number>;
  surface: Set<string>;
} {
  const fields = new Map<string, number>();
  const surface = new Set<string>();
  const add = (list: string[], field: number, isSurface: boolean) => {
    for (const w of list) {
      if (isStopWord(w)) continue;
      const s = stem(w);
      if (isSurface && w.length >= 2) surface.add(w);
      fields.set(s, (fields.get(s) ?? 0) | field);
    }
  };
  add(words(o.title), TITLE, true);
  add(words(o.description), DESCRIPTION, true);
  add(CATEGORY_LABELS.get(o.category) ?? [], LABEL, false);
  for (const t of o.targets) add(TARGET_LABELS.get(t) ?? [], LABEL, false);
  return { fields, surface };
}

/** Room for offers added after a build, before the next full reload: an eighth, at least 256. */
const slack = (n: number) => Math.max(256, Math.ceil(n / 8));

function minutes(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/**
 * The catalogue in memory: every published offer, numbered in title order (so a search without
 * text pages by walking its result bits), with a bitset per facet value (category, target group,
 * free or paid, municipality, weekday), the slots per weekday (for the time of day), and inverted
 * lists of stems with the fields they occur in (title, category or target words, description).
 * A search is set operations on bitsets: the text's matching offers, the base filters (live,
 * visible on the day: provider accredited and the offer's last day not past, Comune, provider), then each facet counted with every other filter applied.
 *
 * Built from a full snapshot, then kept up to date in place by `apply` (see `CatalogueService`):
 * a changed offer's number is cleared from `live` (a tombstone: its bits stay, every search ANDs
 * `live`) and the offer, if still published, is appended with a new number after the built ones
 * (inverted lists and slots grow at their end, so they stay sorted); appended offers keep their
 * title order through `tailOrder` (each with the count of built offers sorting before it). The
 * vocabulary and each stem's count of live offers are kept exact, so prefixes and typos match
 * what a fresh build would. Accreditations and synonyms are replaced whole. A change applies
 * synchronously, between two searches: a search never sees half of one. Room for appended
 * offers is fixed at the build (`slack`); beyond it `apply` refuses and the caller rebuilds.
 */
export class CatalogueIndex {
  private currentVersion: string;
  /** Numbers in use (built + appended) and room for them. */
  private count = 0;
  private readonly capacity: number;
  /** Offers numbered at the build, in title order; appended ones come after. */
  private readonly built: number;
  private readonly words: number;
  private readonly live: Bits;
  private readonly numberOf = new Map<string, number>();
  private readonly ids: string[] = [];
  private readonly titles: string[] = [];
  private readonly records: OfferRecord[] = [];
  private readonly comuneOf: string[] = [];
  private readonly providerOf: string[] = [];
  /** Each offer's last day (`CatalogueDoc.availableUntil`). */
  private readonly untilOf: (string | null)[] = [];
  /** Each offer's (provider, Comune) pair, and each pair's last accredited day. */
  private readonly pairOf: Int32Array;
  private readonly pairNumber = new Map<string, number>();
  private pairUntil: (string | null)[] = [];
  private readonly categories = new Map<string, Bits>();
  private readonly targets = new Map<string, Bits>();
  private readonly free: Bits;
  private readonly paid: Bits;
  private readonly municipalityNames: string[] = [];
  private readonly municipalityNumber = new Map<string, number>();
  private readonly municipalityBits: Bits[] = [];
  /** Each offer's municipalities (numbers). */
  private readonly municipalitiesOf: number[][] = [];
  private readonly weekdays: Bits[] = [];
  /** The slots of each weekday (1..7). */
  private readonly slots: SlotList[] = [];
  private readonly postings = new Map<string, Postings>();
  /** Live offers per stem (a stem with none is not in the catalogue). */
  private readonly stemCount = new Map<string, number>();
  /** The catalogue's words (folded), sorted, each with its stem and its live offers. */
  private vocabulary: string[] = [];
  /** True while the constructor numbers the built offers (the vocabulary is sorted after). */
  private building = true;
  private readonly stemOf = new Map<string, string>();
  private readonly wordCount = new Map<string, number>();
  private readonly builtIn = new SynonymSet();
  private comuneSynonyms = new Map<string, SynonymSet>();
  /** Appended offers in title order, and how many built offers sort before each. */
  private readonly tailOrder: number[] = [];
  private readonly tailSlot = new Map<number, number>();
  private readonly collator = new Intl.Collator('it');
  /** Built on first use: visible offers per day, offers per Comune and per provider. */
  private readonly visible = new Map<string, Bits>();
  private readonly byComune = new Map<string, Bits>();
  private readonly byProvider = new Map<string, Bits>();
  /** Scratch scores, one per offer (a search runs synchronously, so one set per index). */
  private readonly unitScore: Float32Array;
  private readonly score: Float32Array;

  constructor(version: string, data: CatalogueData) {
    this.currentVersion = version;
    const offers = [...data.offers].sort((a, b) => this.compare(a, b));
    const n = offers.length;
    this.built = n;
    this.capacity = n + slack(n);
    this.words = Math.ceil(this.capacity / 32);
    this.live = this.bits();
    this.pairOf = new Int32Array(this.capacity);
    for (const c of OFFER_CATEGORIES) this.categories.set(c, this.bits());
    for (const t of OFFER_TARGETS) this.targets.set(t, this.bits());
    this.free = this.bits();
    this.paid = this.bits();
    for (let d = 0; d <= 7; d++) {
      this.weekdays.push(this.bits());
      this.slots.push(new SlotList());
    }
    this.setAccreditations(data.accreditations);
    for (const o of offers) this.insert(o);
    this.vocabulary = [...this.wordCount.keys()].sort();
    this.building = false;
    for (const group of BUILT_IN_SYNONYMS) this.builtIn.add(group);
    this.setSynonyms(data.synonyms);
    this.unitScore = new Float32Array(this.capacity);
    this.score = new Float32Array(this.capacity);
  }

  /** The catalogue version the index holds. */
  get version(): string {
    return this.currentVersion;
  }

  /** Live offers. */
  get size(): number {
    return this.numberOf.size;
  }

  /** How many more offers `apply` can append before a rebuild. */
  get room(): number {
    return this.capacity - this.count;
  }

  /**
   * Applies the changes since this index's version: every changed offer removed, those published
   * now added back, accreditations and synonyms replaced. False (and nothing changed) when there
   * is no room for the added offers: the caller builds a new index.
   */
  apply(changes: CatalogueChanges): boolean {
    if (changes.offers.length > this.room) return false;
    for (const id of changes.changed) {
      const i = this.numberOf.get(id);
      if (i !== undefined) this.remove(i);
    }
    for (const o of changes.offers) {
      const i = this.insert(o);
      this.placeInTail(i, o);
    }
    this.setAccreditations(changes.accreditations);
    this.setSynonyms(changes.synonyms);
    this.visible.clear();
    this.currentVersion = changes.version;
    return true;
  }

  /** Title order (Italian collation), then id. */
  private compare(a: { title: string; id: string }, b: { title: string; id: string }): number {
    return this.collator.compare(a.title, b.title) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  }

  /** Numbers an offer (the next number) and indexes it. */
  private insert(o: CatalogueDoc): number {
    const i = this.count++;
    setBit(this.live, i);
    this.numberOf.set(o.id, i);
    this.ids[i] = o.id;
    this.titles[i] = o.title;
    this.records[i] = o.record;
    this.comuneOf[i] = o.comuneId;
    this.providerOf[i] = o.providerId;
    this.untilOf[i] = o.availableUntil;
    this.pairOf[i] = this.pair(o.providerId, o.comuneId);
    const category = this.categories.get(o.category);
    if (category) setBit(category, i);
    for (const t of o.targets) if (this.targets.has(t)) setBit(this.targets.get(t)!, i);
    setBit(o.free ? this.free : this.paid, i);
    const municipalities: number[] = [];
    for (const m of new Set(o.municipalities)) {
      let k = this.municipalityNumber.get(m);
      if (k === undefined) {
        k = this.municipalityNames.push(m) - 1;
        this.municipalityNumber.set(m, k);
        this.municipalityBits.push(this.bits());
      }
      municipalities.push(k);
      setBit(this.municipalityBits[k]!, i);
    }
    this.municipalitiesOf[i] = municipalities;
    for (const s of o.slots) {
      setBit(this.weekdays[s.weekday]!, i);
      this.slots[s.weekday]!.push(i, s.start, s.end);
    }
    const { fields, surface } = analyse(o);
    for (const [s, field] of fields) {
      let p = this.postings.get(s);
      if (!p)
        this.postings.set(
          s,
          (p = { docs: new Uint32Array(4), fields: new Uint8Array(4), length: 0 }),
        );
      appendPosting(p, i, field);
      this.stemCount.set(s, (this.stemCount.get(s) ?? 0) + 1);
    }
    for (const w of surface) {
      const n = this.wordCount.get(w) ?? 0;
      this.wordCount.set(w, n + 1);
      if (n > 0) continue;
      this.stemOf.set(w, stem(w));
      if (!this.building) this.vocabulary.splice(this.vocabularyAt(w), 0, w);
    }
    // Comune and provider bitsets already built take the offer too.
    const comune = this.byComune.get(o.comuneId);
    if (comune) setBit(comune, i);
    const provider = this.byProvider.get(o.providerId);
    if (provider) setBit(provider, i);
    return i;
  }

  /** Tombstones an offer: out of `live`, its words' counts and the vocabulary. */
  private remove(i: number): void {
    clearBit(this.live, i);
    this.numberOf.delete(this.ids[i]!);
    const { fields, surface } = analyse({ ...this.records[i]!, title: this.titles[i]! });
    for (const s of fields.keys()) {
      const n = this.stemCount.get(s)! - 1;
      if (n > 0) this.stemCount.set(s, n);
      else this.stemCount.delete(s);
    }
    for (const w of surface) {
      const n = this.wordCount.get(w)! - 1;
      if (n > 0) {
        this.wordCount.set(w, n);
        continue;
      }
      this.wordCount.delete(w);
      this.stemOf.delete(w);
      this.vocabulary.splice(this.vocabularyAt(w), 1);
    }
    if (i >= this.built) {
      this.tailOrder.splice(this.tailOrder.indexOf(i), 1);
      this.tailSlot.delete(i);
    }
  }

  /** An appended offer's place in title order: after the built offers sorting before it. */
  private placeInTail(i: number, o: CatalogueDoc): void {
    let lo = 0;
    let hi = this.built;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare({ title: this.titles[mid]!, id: this.ids[mid]! }, o) < 0) lo = mid + 1;
      else hi = mid;
    }
    this.tailSlot.set(i, lo);
    const before = (j: number) =>
      this.tailSlot.get(j)! < lo ||
      (this.tailSlot.get(j) === lo &&
        this.compare({ title: this.titles[j]!, id: this.ids[j]! }, o) < 0);
    let at = 0;
    let end = this.tailOrder.length;
    while (at < end) {
      const mid = (at + end) >>> 1;
      if (before(this.tailOrder[mid]!)) at = mid + 1;
      else end = mid;
    }
    this.tailOrder.splice(at, 0, i);
  }

  /** Where `word` is, or would be, in the sorted vocabulary. */
  private vocabularyAt(word: string): number {
    let lo = 0;
    let hi = this.vocabulary.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.vocabulary[mid]! < word) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private pair(providerId: string, comuneId: string): number {
    const key = `${providerId}/${comuneId}`;
    let k = this.pairNumber.get(key);
    if (k === undefined) {
      k = this.pairUntil.push(null) - 1;
      this.pairNumber.set(key, k);
    }
    return k;
  }

  private setAccreditations(rows: CatalogueData['accreditations']): void {
    this.pairUntil = this.pairUntil.map(() => null);
    for (const a of rows) this.pairUntil[this.pair(a.providerId, a.comuneId)] = a.validUntil;
  }

  private setSynonyms(rows: CatalogueData['synonyms']): void {
    this.comuneSynonyms = new Map();
    for (const { comuneId, words: group } of rows) {
      let set = this.comuneSynonyms.get(comuneId);
      if (!set) this.comuneSynonyms.set(comuneId, (set = new SynonymSet()));
      set.add(group);
    }
  }

  /**
   * Calls `fn` with each offer of `bits` in title order (then id) until it returns false: the
   * built offers in their numbering, the appended ones merged in at their place.
   */
  private eachInOrder(bits: Bits, fn: (i: number) => boolean | void): void {
    const order = this.tailOrder;
    if (order.length === 0) {
      eachBit(bits, fn);
      return;
    }
    let t = 0;
    const more = eachBit(
      bits,
      (i) => {
        while (t < order.length && this.tailSlot.get(order[t]!)! <= i) {
          const j = order[t++]!;
          if (hasBit(bits, j) && fn(j) === false) return false;
        }
        return fn(i);
      },
      this.built,
    );
    if (!more) return;
    for (; t < order.length; t++) {
      const j = order[t]!;
      if (hasBit(bits, j) && fn(j) === false) return;
    }
  }

  private bits(): Bits {
    return new Uint32Array(this.words);
  }

  /**
   * The offers whose provider is accredited by their Comune on `day` and whose last day (if any)
   * is not before it (cached per day).
   */
  private visibleOn(day: string): Bits {
    let b = this.visible.get(day);
    if (!b) {
      b = this.bits();
      const visiblePair = this.pairUntil.map((until) => until !== null && until >= day);
      eachBit(this.live, (i) => {
        const until = this.untilOf[i];
        if (visiblePair[this.pairOf[i]!] && (until == null || until >= day)) setBit(b!, i);
      });
      if (this.visible.size > 4) this.visible.clear();
      this.visible.set(day, b);
    }
    return b;
  }

  private owned(cache: Map<string, Bits>, of: string[], id: string): Bits {
    let b = cache.get(id);
    if (!b) {
      b = this.bits();
      for (let i = 0; i < this.count; i++) if (of[i] === id) setBit(b, i);
      if (cache.size > 1000) cache.clear();
      cache.set(id, b);
    }
    return b;
  }

  /** The offers with a slot on `weekday` covering `time` (minutes). */
  private coveringOn(weekday: number, time: number): Bits {
    const b = this.bits();
    const { doc, start, end, length } = this.slots[weekday]!;
    for (let k = 0; k < length; k++) {
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
      let found = own.every((s) => this.stemCount.has(s));
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
        const [first, ...rest] = (lists as Postings[]).sort((a, b) => a.length - b.length);
        for (let k = 0; k < first!.length; k++) {
          const doc = first!.docs[k]!;
          let field = FIELD_WEIGHT[first!.fields[k]!]!;
          let all = true;
          for (const p of rest) {
            const at = findDoc(p.docs, p.length, doc);
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
    const base = this.visibleOn(today).slice(); // live offers only
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
            const k = this.municipalityNumber.get(m as string);
            return k === undefined ? empty : this.municipalityBits[k]!;
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
      for (const k of this.municipalitiesOf[i]!) perNumber[k]!++;
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
      this.eachInOrder(matching, (i) => {
        if (k >= from) ids.push(i);
        return ++k < to;
      });
      return ids;
    }
    const byScore = new Map<number, number[]>();
    this.eachInOrder(matching, (i) => {
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
function findDoc(docs: Uint32Array, length: number, doc: number): number {
  let lo = 0;
  let hi = length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = docs[mid]!;
    if (v === doc) return mid;
    if (v < doc) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
