import { describe, expect, it } from 'vitest';
import { filterValues, householdsSearch, isImportActive, parseHouseholdFilter } from './households';

describe('parseHouseholdFilter', () => {
  it('turns the GET parameters into the API filter', () => {
    const parsed = parseHouseholdFilter(
      new URLSearchParams(
        'iseeMax=10.000&iseeType=ordinario&minSize=2&maxSize=5&hasMinors=true&hasElderly=false&hasDisability=&receivesPublicSupport=true&after=abc',
      ),
    );
    expect(parsed.filter).toEqual({
      iseeMax: 1_000_000,
      iseeType: 'ORDINARIO',
      minSize: 2,
      maxSize: 5,
      hasMinors: true,
      hasElderly: false,
      receivesPublicSupport: true,
    });
    expect(parsed.problems).toEqual({});
    expect(parsed.after).toBe('abc');
    expect(parsed.values.iseeMax).toBe('10.000');
  });

  it('names each bad value and leaves it out of the filter', () => {
    const parsed = parseHouseholdFilter(
      new URLSearchParams('iseeMax=dieci&iseeType=X&minSize=0&hasMinors=forse'),
    );
    expect(parsed.problems).toEqual({
      iseeMax: 'amount',
      iseeType: 'choice',
      minSize: 'size',
      hasMinors: 'choice',
    });
    expect(parsed.filter).toEqual({});
    const range = parseHouseholdFilter(new URLSearchParams('minSize=4&maxSize=2'));
    expect(range.problems).toEqual({ maxSize: 'sizeRange' });
    expect(parseHouseholdFilter(new URLSearchParams('iseeMax=2.000.000')).problems).toEqual({
      iseeMax: 'amount',
    });
  });
});

describe('householdsSearch', () => {
  it('keeps the filter as typed and adds the cursor', () => {
    const { values } = parseHouseholdFilter(new URLSearchParams('iseeMax=10.000&hasMinors=true'));
    expect(householdsSearch(values, 'cur')).toBe('?iseeMax=10.000&hasMinors=true&after=cur');
    expect(householdsSearch(parseHouseholdFilter(new URLSearchParams()).values)).toBe('');
  });
});

describe('isImportActive', () => {
  it('is true while the job may still change', () => {
    expect(isImportActive('QUEUED')).toBe(true);
    expect(isImportActive('RUNNING')).toBe(true);
    expect(isImportActive('SUCCEEDED')).toBe(false);
    expect(isImportActive('FAILED')).toBe(false);
  });
});

describe('filterValues', () => {
  it('turns a saved filter back into the form values, round-tripping through the parser', () => {
    const saved = {
      iseeMax: 750_050,
      iseeType: 'ORDINARIO' as const,
      minSize: 2,
      hasMinors: false,
      maxSize: null,
    };
    const values = filterValues(saved);
    expect(householdsSearch(values)).toBe(
      '?iseeMax=7.500%2C50&iseeType=ORDINARIO&minSize=2&hasMinors=false',
    );
    expect(parseHouseholdFilter(new URLSearchParams(householdsSearch(values))).filter).toEqual({
      iseeMax: 750_050,
      iseeType: 'ORDINARIO',
      minSize: 2,
      hasMinors: false,
    });
  });
});
