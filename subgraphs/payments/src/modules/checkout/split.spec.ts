import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '@welfare/kit';
import { chosenSplit, defaultSplit, refundSplit, type FundChoice, type SplitLeg } from './split.js';

const rules = { cardMinimumCents: 50, cardAvailable: true };

function option(over: Partial<FundChoice> & { fundId: string }): FundChoice {
  return {
    owner: 'public-welfare',
    kind: 'VOUCHER',
    label: { it: over.fundId, en: over.fundId },
    balanceCents: over.spendableCents ?? 0,
    spendableCents: 0,
    restricted: true,
    endsOn: null,
    rule: { categoryCovered: true, providerAccredited: true, spendFrom: null, spendUntil: null },
    ...over,
  };
}

const sum = (legs: SplitLeg[]) => legs.reduce((a, l) => a + l.amountCents, 0);
const card = (legs: SplitLeg[]) => legs.find((l) => l.kind === 'CARD')?.amountCents ?? 0;

describe('default split', () => {
  it('spends restricted, earliest-ending funds first and the card for the rest', () => {
    const legs = defaultSplit(
      10_000,
      [
        option({ fundId: 'free', restricted: false, spendableCents: 9_000 }),
        option({ fundId: 'late', endsOn: '2027-12-31', spendableCents: 3_000 }),
        option({ fundId: 'early', endsOn: '2027-01-31', spendableCents: 4_000 }),
      ],
      rules,
    );
    expect(legs).toEqual([
      { kind: 'FUND', owner: 'public-welfare', fundId: 'early', amountCents: 4_000 },
      { kind: 'FUND', owner: 'public-welfare', fundId: 'late', amountCents: 3_000 },
      { kind: 'FUND', owner: 'public-welfare', fundId: 'free', amountCents: 3_000 },
    ]);
  });

  it('orders a Comune’s voucher credit and an employer’s plan credit by their ends, across owners', () => {
    const voucher = (endsOn: string) =>
      option({ fundId: 'campaign', endsOn, spendableCents: 2_000 });
    const plan = (endsOn: string) =>
      option({
        owner: 'corporate-welfare',
        kind: 'EMPLOYER',
        fundId: 'plan',
        endsOn,
        spendableCents: 5_000,
      });
    const order = (options: FundChoice[]) =>
      defaultSplit(6_000, options, rules).map((l) => (l.kind === 'FUND' ? l.fundId : 'CARD'));
    // Both restricted: the earliest-ending first, whoever owns it; the card pays the rest.
    expect(order([plan('2026-12-31'), voucher('2027-06-30')])).toEqual(['plan', 'campaign']);
    expect(order([plan('2027-12-31'), voucher('2027-06-30')])).toEqual(['campaign', 'plan']);
    expect(
      defaultSplit(8_000, [plan('2027-12-31'), voucher('2027-06-30')], rules).map(
        (l) => l.amountCents,
      ),
    ).toEqual([2_000, 5_000, 1_000]);
    // The same end: the owner's name decides (stable, whichever order the quotes came in).
    expect(order([voucher('2027-06-30'), plan('2027-06-30')])).toEqual(['plan', 'campaign']);
  });

  it('leaves the card at least its minimum by taking that much less from the last fund', () => {
    const legs = defaultSplit(3_000, [option({ fundId: 'a', spendableCents: 2_980 })], rules);
    expect(legs).toEqual([
      { kind: 'FUND', owner: 'public-welfare', fundId: 'a', amountCents: 2_950 },
      { kind: 'CARD', amountCents: 50 },
    ]);
  });

  it('always adds up to the price, never above a fund, card zero or at least the minimum', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 50, max: 1_000_000 }),
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { maxLength: 5 }),
        (amount, spendables) => {
          const options = spendables.map((s, i) => option({ fundId: `f${i}`, spendableCents: s }));
          const legs = defaultSplit(amount, options, rules);
          expect(sum(legs)).toBe(amount);
          for (const leg of legs) {
            expect(leg.amountCents).toBeGreaterThan(0);
            if (leg.kind === 'FUND') {
              const o = options.find((x) => x.fundId === leg.fundId)!;
              expect(leg.amountCents).toBeLessThanOrEqual(o.spendableCents);
            }
          }
          const c = card(legs);
          expect(c === 0 || c >= 50).toBe(true);
        },
      ),
      { seed: 1515, numRuns: 500 },
    );
  });
});

describe('chosen split', () => {
  const options = [option({ fundId: 'a', spendableCents: 2_000 })];

  it('pays the chosen part from the fund and the rest by card', () => {
    expect(
      chosenSplit(
        5_000,
        options,
        [{ owner: 'public-welfare', fundId: 'a', amountCents: 1_500 }],
        rules,
      ),
    ).toEqual([
      { kind: 'FUND', owner: 'public-welfare', fundId: 'a', amountCents: 1_500 },
      { kind: 'CARD', amountCents: 3_500 },
    ]);
  });

  it('refuses, field by field, a part above the fund, an unknown fund, a bad amount', () => {
    const err = (() => {
      try {
        chosenSplit(
          5_000,
          options,
          [
            { owner: 'public-welfare', fundId: 'a', amountCents: 2_001 },
            { owner: 'public-welfare', fundId: 'zzz', amountCents: 1 },
            { owner: 'public-welfare', fundId: 'a', amountCents: 10 },
          ],
          rules,
        );
      } catch (e) {
        return e;
      }
    })() as DomainError;
    expect(err).toBeInstanceOf(DomainError);
    expect(err.fields.map((f) => f.field)).toEqual([
      'parts.0.amountCents',
      'parts.1.fundId',
      'parts.2.fundId',
    ]);
    expect(() =>
      chosenSplit(
        5_000,
        options,
        [{ owner: 'public-welfare', fundId: 'a', amountCents: 1.5 }],
        rules,
      ),
    ).toThrow(DomainError);
  });

  it('refuses a card part below the minimum, or any card part when the payee takes no cards', () => {
    const small = (() => {
      try {
        chosenSplit(
          2_020,
          options,
          [{ owner: 'public-welfare', fundId: 'a', amountCents: 2_000 }],
          rules,
        );
      } catch (e) {
        return e as DomainError;
      }
    })();
    expect(small?.fields[0]?.message).toEqual({
      it: 'La parte con carta deve essere almeno 0,50 €, oppure zero.',
      en: 'The card part must be at least €0.50, or zero.',
    });
    expect(() =>
      chosenSplit(5_000, options, [{ owner: 'public-welfare', fundId: 'a', amountCents: 2_000 }], {
        ...rules,
        cardAvailable: false,
      }),
    ).toThrow(DomainError);
    expect(
      chosenSplit(2_000, options, [{ owner: 'public-welfare', fundId: 'a', amountCents: 2_000 }], {
        ...rules,
        cardAvailable: false,
      }),
    ).toHaveLength(1);
  });
});

describe('refund split', () => {
  it('splits in proportion to what each leg paid, to the cent, leftover cents by largest remainder', () => {
    const split = refundSplit(1_000, [
      { id: 'voucher', capturedCents: 2_000, refundedCents: 0 },
      { id: 'card', capturedCents: 1_000, refundedCents: 0 },
    ]);
    // 1000 × 2/3 = 666.67, 1000 × 1/3 = 333.33: the extra cent goes to the voucher leg.
    expect(Object.fromEntries(split)).toEqual({ voucher: 667, card: 333 });
  });

  it('a full refund gives each leg exactly what it has left', () => {
    const split = refundSplit(2_500, [
      { id: 'a', capturedCents: 2_000, refundedCents: 300 },
      { id: 'b', capturedCents: 1_000, refundedCents: 200 },
    ]);
    expect(Object.fromEntries(split)).toEqual({ a: 1_700, b: 800 });
  });

  it('always adds up to the refund and never gives a leg more than it has left', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc
            .tuple(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: 100_000 }))
            .map(([captured, r]) => ({
              capturedCents: captured,
              refundedCents: r % (captured + 1),
            })),
          { minLength: 1, maxLength: 4 },
        ),
        fc.integer({ min: 1, max: 1_000_000 }),
        (raw, seed) => {
          const legs = raw.map((l, i) => ({ id: `l${i}`, ...l }));
          const left = legs.reduce((a, l) => a + l.capturedCents - l.refundedCents, 0);
          if (left === 0) return;
          const refund = 1 + (seed % left);
          const split = refundSplit(refund, legs);
          expect([...split.values()].reduce((a, b) => a + b, 0)).toBe(refund);
          for (const leg of legs) {
            const part = split.get(leg.id)!;
            expect(part).toBeGreaterThanOrEqual(0);
            expect(part).toBeLessThanOrEqual(leg.capturedCents - leg.refundedCents);
          }
        },
      ),
      { seed: 1516, numRuns: 500 },
    );
  });

  it('refuses a refund above what remains paid', () => {
    expect(() => refundSplit(11, [{ id: 'a', capturedCents: 10, refundedCents: 0 }])).toThrow(
      DomainError,
    );
  });
});
