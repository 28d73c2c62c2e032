import snowball from 'snowball-stemmers';
import { STOP_WORDS } from './catalogue.words.js';

/**
 * The catalogue's Italian text handling, the same for offers and searches: lower case, accents
 * folded ("attività" = "attivita"), words of letters and digits, Snowball's Italian stemmer
 * ("lezioni" and "lezione" are both "lezion"), the Snowball stop words dropped.
 */
const italian = snowball.newStemmer('italian');
const stems = new Map<string, string>();
const STOP = new Set(STOP_WORDS.map((w) => fold(w)));

/** Lower case with accents and other marks removed. */
export function fold(text: string): string {
  return text
    .toLocaleLowerCase('it')
    .normalize('NFD')
    .replace(/\p{M}+/gu, '');
}

/** The folded words of a text (letters and digits; apostrophes split: "dell'arte"). */
export function words(text: string): string[] {
  return fold(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

export function isStopWord(word: string): boolean {
  return STOP.has(word);
}

/** The stem of a folded word (memoised: the vocabulary is small). */
export function stem(word: string): string {
  let s = stems.get(word);
  if (s === undefined) {
    s = italian.stem(word);
    if (stems.size < 200_000) stems.set(word, s);
  }
  return s;
}

/**
 * Whether `a` and `b` are at most `max` edits apart (insertions, deletions, substitutions and
 * swaps of two neighbours: "dopscuola" is one from "doposcuola"); a banded computation that
 * gives up as soon as the distance exceeds `max`.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, prev2[j - 2]! + 1);
      }
      row.push(d);
      if (d < best) best = d;
    }
    if (best > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/** The edits a search word may be away from a catalogue word: none below 4 letters. */
export function typoAllowance(word: string): number {
  if (word.length < 4 || /^\d+$/.test(word)) return 0;
  return word.length < 7 ? 1 : 2;
}
