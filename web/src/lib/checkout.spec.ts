import { describe, expect, it } from 'vitest';
import {
  CARD_FIELD,
  cardPartOf,
  failureKind,
  fundField,
  parseSplit,
  refundableCents,
  splitFieldOf,
} from './checkout';

const funds = [
  { owner: 'public-welfare', fundId: 'a', spendableCents: 2_000 },
  { owner: 'public-welfare', fundId: 'b', spendableCents: 500 },
];
const cards = { cardAvailable: true, cardMinimumCents: 50 };

describe('parseSplit', () => {
  it('reads euro amounts (empty is zero) and gives the card the rest', () => {
    expect(parseSplit(['15,50', ''], funds, 3_000, cards)).toEqual({
      parts: [
        { owner: 'public-welfare', fundId: 'a', amountCents: 1_550 },
        { owner: 'public-welfare', fundId: 'b', amountCents: 0 },
      ],
      cardCents: 1_450,
    });
    expect(parseSplit(['20', '5'], funds, 2_500, cards)).toMatchObject({ cardCents: 0 });
  });

  it('refuses unreadable amounts and amounts above what a fund can pay, field by field', () => {
    expect(parseSplit(['abc', '6'], funds, 3_000, cards)).toEqual({
      problems: { [fundField(0)]: 'amount', [fundField(1)]: 'tooMuch' },
    });
    expect(parseSplit(['-1', ''], funds, 3_000, cards)).toEqual({
      problems: { [fundField(0)]: 'amount' },
    });
  });

  it('refuses a total above the price and a card part the payee cannot take', () => {
    expect(parseSplit(['20', '5'], funds, 2_000, cards)).toEqual({
      problems: { [CARD_FIELD]: 'overPrice' },
    });
    expect(parseSplit(['19,80', ''], funds, 2_000, cards)).toEqual({
      problems: { [CARD_FIELD]: 'cardMinimum' },
    });
    expect(
      parseSplit(['10', ''], funds, 2_000, { cardAvailable: false, cardMinimumCents: 50 }),
    ).toEqual({ problems: { [CARD_FIELD]: 'cardUnavailable' } });
  });
});

describe('the rest', () => {
  it('maps the API’s fields to the form’s', () => {
    expect(splitFieldOf('parts.1.amountCents')).toBe(fundField(1));
    expect(splitFieldOf('parts.0.fundId')).toBe(fundField(0));
    expect(splitFieldOf('parts')).toBe(CARD_FIELD);
    expect(splitFieldOf('payableRef')).toBeNull();
  });

  it('computes the card part as typed, null while unreadable', () => {
    expect(cardPartOf(['10', '2,5'], 3_000)).toBe(1_750);
    expect(cardPartOf(['x'], 3_000)).toBeNull();
  });

  it('says what remains refundable of a paid checkout only', () => {
    const legs = [
      { amountCents: 2_000, refundedCents: 500, status: 'CAPTURED' },
      { amountCents: 1_000, refundedCents: 0, status: 'CAPTURED' },
    ];
    expect(refundableCents({ status: 'PAID', legs })).toBe(2_500);
    expect(refundableCents({ status: 'FAILED', legs })).toBe(0);
  });

  it('groups failure reasons', () => {
    expect(failureKind('CANCELLED')).toBe('cancelled');
    expect(failureKind('CARD_DECLINED')).toBe('cardDeclined');
    expect(failureKind('CARD_UNAVAILABLE')).toBe('card');
    expect(failureKind('FUND_INSUFFICIENT_FUNDS')).toBe('fundInsufficient');
    expect(failureKind('FUND_NOT_COVERED')).toBe('fund');
    expect(failureKind('PAYABLE_NOT_PAYABLE')).toBe('payable');
    expect(failureKind('TIME_OUT')).toBe('timeOut');
    expect(failureKind(null)).toBe('other');
  });
});
