import type { Localized } from '@welfare/kit';

/*
 * What a reward was for: stored as a code and its parameters (`reward.description_code`,
 * `reward.description_params`), rendered at read time in Italian and in English. The parameters
 * are names and titles as they were when the reward was earned; the cap's note is not stored but
 * read from the amounts (paid less than requested).
 */

/** The shapes of a reward's description, with their parameters. */
export type RewardDescription =
  | { code: 'LOCAL_PURCHASE'; params: { payee: string } }
  | { code: 'ATTENDANCE'; params: { programme: string } }
  | { code: 'VOLUNTEERING'; params: { organisation: string; text: string } }
  | { code: 'SHARING'; params: { title: string; visits: number } }
  /** A description stored before the codes, in its two languages as they were. */
  | { code: 'TEXT'; params: { it: string; en: string } };

export type RewardDescriptionCode = RewardDescription['code'];

const CODES: readonly string[] = [
  'LOCAL_PURCHASE',
  'ATTENDANCE',
  'VOLUNTEERING',
  'SHARING',
  'TEXT',
] satisfies RewardDescriptionCode[];

/** A stored code and parameters as a description (an unknown code reads as its text). */
export function storedDescription(code: string, params: unknown): RewardDescription {
  const p = (params ?? {}) as Record<string, unknown>;
  if (!CODES.includes(code)) return { code: 'TEXT', params: { it: code, en: code } };
  return { code, params: p } as RewardDescription;
}

/** The description in both languages, with the cap's note when less than requested was paid. */
export function renderDescription(
  description: RewardDescription,
  amounts: { requestedCents: number; paidCents: number },
): Localized {
  const base = renderBase(description);
  if (amounts.paidCents >= amounts.requestedCents) return base;
  return amounts.paidCents === 0
    ? {
        it: `${base.it} — tetto del periodo raggiunto: nulla pagato`,
        en: `${base.en} — cap of the period reached: nothing paid`,
      }
    : {
        it: `${base.it} — pagato fino al tetto del periodo`,
        en: `${base.en} — paid up to the cap of the period`,
      };
}

function renderBase(d: RewardDescription): Localized {
  switch (d.code) {
    case 'LOCAL_PURCHASE':
      return {
        it: `Acquisto locale da ${d.params.payee}`,
        en: `Local purchase at ${d.params.payee}`,
      };
    case 'ATTENDANCE':
      return { it: `Presenza: ${d.params.programme}`, en: `Attendance: ${d.params.programme}` };
    case 'VOLUNTEERING':
      return {
        it: `Volontariato con ${d.params.organisation}: ${d.params.text}`,
        en: `Volunteering with ${d.params.organisation}: ${d.params.text}`,
      };
    case 'SHARING':
      return {
        it: `Condivisione: ${d.params.title} (${d.params.visits} visite)`,
        en: `Sharing: ${d.params.title} (${d.params.visits} visits)`,
      };
    case 'TEXT':
      return { it: d.params.it, en: d.params.en };
  }
}
