import { describe, expect, it } from 'vitest';
import { parseIesRules, readIesRuleValues } from './ies-rule-form';

function form(entries: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(entries)) data.set(name, value);
  return data;
}

const TYPED = {
  feeFixedCents: ' 10 ',
  feeBasisPoints: '150',
  feeMaxCents: '',
  feePayer: 'PAYEE',
  welfareExempt: 'on',
  conversionFeeBasisPoints: '0',
  conversionFeeMinCents: '0',
  demurrageBasisPoints: '50',
  expiryMonths: '24',
};

describe("an IES circuit's rules as the forms post them", () => {
  it('reads the fields as typed and turns them into the API input', () => {
    const values = readIesRuleValues(form(TYPED));
    expect(values.feeFixedCents).toBe('10');
    expect(parseIesRules(values)).toEqual({
      rules: {
        feeFixedCents: 10,
        feeBasisPoints: 150,
        feeMaxCents: null,
        feePayer: 'PAYEE',
        welfareExempt: true,
        conversionFeeBasisPoints: 0,
        conversionFeeMinCents: 0,
        demurrageBasisPoints: 50,
        expiryMonths: 24,
      },
      fields: {},
    });
  });

  it('reads an unchecked box as not exempt and an unknown payer as the payer', () => {
    const { welfareExempt: _, ...rest } = TYPED;
    const values = readIesRuleValues(form({ ...rest, feePayer: 'NOBODY' }));
    expect(values.welfareExempt).toBe('');
    const { rules } = parseIesRules(values);
    expect(rules?.welfareExempt).toBe(false);
    expect(rules?.feePayer).toBe('PAYER');
  });

  it('gives an error per empty required or non-whole number, and no rules', () => {
    const values = readIesRuleValues(
      form({ ...TYPED, feeFixedCents: '', feeBasisPoints: '1,5', expiryMonths: 'mai' }),
    );
    const { rules, fields } = parseIesRules(values);
    expect(rules).toBeNull();
    expect(Object.keys(fields).sort()).toEqual(['expiryMonths', 'feeBasisPoints', 'feeFixedCents']);
    expect(fields.feeFixedCents?.it).toBeTruthy();
  });
});
