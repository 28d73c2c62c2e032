import { describe, expect, it } from 'vitest';
import { amountDueCents, parseBookingForm, parseQuantity } from './offer-booking';

const values = (extra: Partial<Record<string, string>> = {}) => ({
  serviceDate: '2027-03-10',
  quantity: '3',
  note: '',
  idempotencyKey: 'abcdefgh-1234',
  ...extra,
});

describe('the booking form', () => {
  it('accepts a day from today and a whole quantity from 1 to 50', () => {
    expect(parseBookingForm(values(), 'PER_HOUR', '2027-03-10')).toEqual({
      input: { serviceDate: '2027-03-10', quantity: 3, note: null },
      problems: {},
    });
    expect(parseQuantity('50')).toBe(50);
    expect(parseQuantity('1')).toBe(1);
  });

  it('refuses 0, 51, fractions, signs and words', () => {
    for (const q of ['0', '51', '1.5', '1,5', '-1', '+2', 'due', '']) {
      expect(parseQuantity(q)).toBeNull();
    }
    expect(parseBookingForm(values({ quantity: '0' }), 'PER_HOUR', '2027-01-01').problems).toEqual({
      quantity: 'quantity',
    });
    expect(parseBookingForm(values({ quantity: '' }), 'PER_HOUR', '2027-01-01').problems).toEqual({
      quantity: 'required',
    });
  });

  it('refuses a past or impossible day, and a long note, all at once', () => {
    const parsed = parseBookingForm(
      values({ serviceDate: '2027-03-09', quantity: '51', note: 'x'.repeat(1001) }),
      'PER_SESSION',
      '2027-03-10',
    );
    expect(parsed.input).toBeNull();
    expect(parsed.problems).toEqual({
      serviceDate: 'past',
      quantity: 'quantity',
      note: 'noteLong',
    });
    expect(
      parseBookingForm(values({ serviceDate: '2027-02-30' }), 'PER_HOUR', '2027-01-01').problems,
    ).toEqual({ serviceDate: 'date' });
  });

  it('books one unit of a free offer whatever the form says', () => {
    expect(parseBookingForm(values({ quantity: '' }), 'FREE', '2027-01-01').input?.quantity).toBe(
      1,
    );
  });

  it('owes unit price × quantity, in cents', () => {
    expect(amountDueCents(1250, 3)).toBe(3750);
    expect(amountDueCents(null, 3)).toBe(0);
    expect(amountDueCents(1250, null)).toBe(0);
  });
});
