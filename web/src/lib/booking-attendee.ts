// Who attends a booking: the booker, a member of their household (from the registry) or someone
// typed in. Pure (no SvelteKit, no messages): unit-tested in booking-attendee.spec.ts.

/** A member of the booker's household as `myHouseholdMembers` returns it. */
export interface HouseholdMate {
  givenName: string;
  familyName: string;
  birthDate: string;
  fiscalCode: string;
  isCaller: boolean;
}

/** The radio's value for a household member. */
export const MEMBER_PREFIX = 'member:';

/** What the `attendeeWho` radio says: the booker, a member by codice fiscale, or typed data. */
export type AttendeeChoice =
  { kind: 'self' } | { kind: 'other' } | { kind: 'member'; fiscalCode: string };

/** The radio's posted value as a choice (anything unknown is the booker, as before the list). */
export function parseAttendeeChoice(value: string): AttendeeChoice {
  if (value === 'other') return { kind: 'other' };
  if (value.startsWith(MEMBER_PREFIX)) {
    const fiscalCode = value.slice(MEMBER_PREFIX.length).trim().toUpperCase();
    if (fiscalCode) return { kind: 'member', fiscalCode };
  }
  return { kind: 'self' };
}

/**
 * The attendee a member choice stands for, from the household as read again on the server
 * (never the names the browser sent): null for the booker themselves, undefined when the codice
 * fiscale is not one of the household's.
 */
export function memberAttendee(
  members: readonly HouseholdMate[],
  fiscalCode: string,
):
  | { givenName: string; familyName: string; fiscalCode: string; birthDate: string }
  | null
  | undefined {
  const found = members.find((m) => m.fiscalCode.toUpperCase() === fiscalCode.toUpperCase());
  if (!found) return undefined;
  if (found.isCaller) return null;
  return {
    givenName: found.givenName,
    familyName: found.familyName,
    fiscalCode: found.fiscalCode,
    birthDate: found.birthDate,
  };
}

/** Full years from a birth date to `today` (both yyyy-mm-dd). */
export function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  const beforeBirthday = tm! < bm! || (tm === bm && td! < bd!);
  return ty! - by! - (beforeBirthday ? 1 : 0);
}
