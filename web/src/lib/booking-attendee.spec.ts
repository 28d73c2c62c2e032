import { describe, expect, it } from 'vitest';
import { ageOn, memberAttendee, parseAttendeeChoice } from './booking-attendee';

const MEMBERS = [
  {
    givenName: 'Mario',
    familyName: 'Rossi',
    birthDate: '1980-01-01',
    fiscalCode: 'RSSMRA80A01A592B',
    isCaller: true,
  },
  {
    givenName: 'Luca',
    familyName: 'Rossi',
    birthDate: '2015-03-03',
    fiscalCode: 'RSSLCU15C03A592O',
    isCaller: false,
  },
];

describe('who attends a booking', () => {
  it('reads the radio: the booker, typed data or a member by codice fiscale', () => {
    expect(parseAttendeeChoice('self')).toEqual({ kind: 'self' });
    expect(parseAttendeeChoice('other')).toEqual({ kind: 'other' });
    expect(parseAttendeeChoice('member:rsslcu15c03a592o')).toEqual({
      kind: 'member',
      fiscalCode: 'RSSLCU15C03A592O',
    });
    expect(parseAttendeeChoice('member:')).toEqual({ kind: 'self' });
    expect(parseAttendeeChoice('')).toEqual({ kind: 'self' });
  });

  it('takes a member’s data from the household, never from the form', () => {
    expect(memberAttendee(MEMBERS, 'rsslcu15c03a592o')).toEqual({
      givenName: 'Luca',
      familyName: 'Rossi',
      fiscalCode: 'RSSLCU15C03A592O',
      birthDate: '2015-03-03',
    });
    // The booker themselves: no attendee (the booker attends).
    expect(memberAttendee(MEMBERS, 'RSSMRA80A01A592B')).toBeNull();
    // Someone not in the household.
    expect(memberAttendee(MEMBERS, 'NRESRA95E45A592V')).toBeUndefined();
  });

  it('counts full years', () => {
    expect(ageOn('2015-03-03', '2026-03-02')).toBe(10);
    expect(ageOn('2015-03-03', '2026-03-03')).toBe(11);
    expect(ageOn('2015-03-03', '2026-12-07')).toBe(11);
    expect(ageOn('2016-02-29', '2027-02-28')).toBe(10);
  });
});
