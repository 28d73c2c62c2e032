import { describe, expect, it } from 'vitest';
import { formField, newPlanValues, readPlanForm } from './plan-form';

function form(entries: [string, string][]): FormData {
  const data = new FormData();
  for (const [k, v] of entries) data.append(k, v);
  return data;
}

describe('readPlanForm', () => {
  it('reads the plan, leaving out empty category rows and reading euro amounts', () => {
    const { input, rowOf, problems } = readPlanForm(
      form([
        ['name', ' Piano 2026 '],
        ['year', '2026'],
        ['validFrom', '2026-01-01'],
        ['validUntil', '2026-12-31'],
        ['purposes', 'SERVICES_IN_KIND'],
        ['purposes', 'FRINGE_BENEFIT'],
        ['coveredCategories', 'SPORT'],
        ['endRule', 'CARRY_OVER'],
        ['bonusConversion', 'on'],
        ['categories.1.code', 'operai'],
        ['categories.1.name', 'Operai'],
        ['categories.1.criterion', 'Livelli 1-3'],
        ['categories.1.creditCents', '500,50'],
      ]),
    );
    expect(problems).toEqual({});
    expect(rowOf).toEqual([1]);
    expect(input).toEqual({
      name: 'Piano 2026',
      year: 2026,
      validFrom: '2026-01-01',
      validUntil: '2026-12-31',
      purposes: ['SERVICES_IN_KIND', 'FRINGE_BENEFIT'],
      coveredCategories: ['SPORT'],
      endRule: 'CARRY_OVER',
      bonusConversion: true,
      categories: [
        { code: 'OPERAI', name: 'Operai', criterion: 'Livelli 1-3', creditCents: 50_050 },
      ],
    });
    expect(formField('categories.0.code', rowOf)).toBe('categories.1.code');
    expect(formField('name', rowOf)).toBe('name');
  });

  it('refuses a year that is not a number and an amount that is not euro, on their fields', () => {
    const { input, problems } = readPlanForm(
      form([
        ['year', 'duemila'],
        ['endRule', 'RETURN_TO_EMPLOYER'],
        ['categories.0.code', 'A'],
        ['categories.0.creditCents', 'tanti'],
      ]),
    );
    expect(input).toBeNull();
    expect(Object.keys(problems).sort()).toEqual(['categories.0.creditCents', 'year']);
  });

  it('starts a new plan on the calendar year', () => {
    expect(newPlanValues(2027)).toMatchObject({
      validFrom: '2027-01-01',
      validUntil: '2027-12-31',
    });
  });
});
