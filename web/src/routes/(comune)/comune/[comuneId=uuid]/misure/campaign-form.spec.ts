// The campaign editor's form, end to end: campaign-fields (reading a post), campaign-parse (the
// API's inputs and the problems), campaign-variant and campaign-values (back to the form).
import { describe, expect, it } from 'vitest';
import { OFFER_CATEGORIES, SHOP_CATEGORIES } from '$lib/api-enums';
import {
  type CampaignValues,
  excludedField,
  formShape,
  readCampaignForm,
  serviceField,
} from './campaign-fields';
import { parseCampaignForm, parseSimulationForm } from './campaign-parse';
import { campaignValues, defaultValues, formFieldOf } from './campaign-values';
import { parseVariant, scaleCents } from './campaign-variant';

/** A complete, valid form. */
function valid(extra: CampaignValues = {}): CampaignValues {
  return {
    ...defaultValues(),
    kind: 'FOOD_VOUCHERS',
    title: 'Buoni spesa estate',
    description: 'Per le famiglie.',
    contacts: 'Ufficio servizi sociali',
    budget: '30.000',
    applicationsOpenAt: '2027-01-10T09:00',
    applicationsCloseAt: '2027-02-10T12:00',
    spendingFrom: '2027-03-01',
    spendingUntil: '2027-06-30',
    isee_ORDINARIO: '12.000',
    size1: '150',
    size2: '250,50',
    doc0Code: 'documento_identita',
    doc0LabelIt: 'Documento',
    doc0LabelEn: 'Document',
    doc0Mandatory: 'on',
    decl2Code: 'VERO',
    decl2TextIt: 'Dichiaro',
    decl2TextEn: 'I declare',
    ...extra,
  };
}

describe('scaled amounts', () => {
  it('scales amounts in integers, rounding half up', () => {
    expect(scaleCents(15_000, 120)).toBe(18_000);
    expect(scaleCents(1, 150)).toBe(2);
    expect(scaleCents(333, 10)).toBe(33);
  });
});

describe('the campaign form: a valid form', () => {
  it('turns a valid form into the CampaignInput', () => {
    const parsed = parseCampaignForm(valid());
    expect(parsed.problems).toEqual({});
    expect(parsed.fields).toEqual({
      kind: 'FOOD_VOUCHERS',
      title: 'Buoni spesa estate',
      description: 'Per le famiglie.',
      contacts: 'Ufficio servizi sociali',
      budgetCents: 3_000_000,
      applicationsOpenAt: '2027-01-10T08:00:00.000Z',
      applicationsCloseAt: '2027-02-10T11:00:00.000Z',
      spendingFrom: '2027-03-01',
      spendingUntil: '2027-06-30',
      rules: {
        requireResidency: true,
        iseeThresholds: [{ type: 'ORDINARIO', maxCents: 1_200_000 }],
        minSize: null,
        maxSize: null,
        excludePublicSupport: false,
      },
      amountSchedule: {
        mode: 'BY_SIZE',
        bySizeCents: [15_000, 25_050],
        perAdultCents: 0,
        perMinorCents: 0,
        capCents: null,
      },
      requiredDocuments: [
        { code: 'DOCUMENTO_IDENTITA', labelIt: 'Documento', labelEn: 'Document', mandatory: true },
      ],
      declarations: [{ code: 'VERO', textIt: 'Dichiaro', textEn: 'I declare' }],
      rankingCriteria: ['ISEE_ASC', 'MINORS_DESC', 'SUBMITTED_ASC'],
      decisionDays: 30,
      excludedCategories: ['ALCOHOL', 'TOBACCO', 'GAMBLING', 'PHONE_TOPUP'],
      serviceCategories: [],
    });
    expect(parsed.declarationRows).toEqual([2]);
  });
});

describe('the campaign form: categories', () => {
  it('excludes the ticked categories, and refuses excluding them all', () => {
    const some = parseCampaignForm(
      valid({
        excluded_ALCOHOL: 'on',
        excluded_TOBACCO: '',
        excluded_GAMBLING: '',
        excluded_PHONE_TOPUP: '',
      }),
    );
    expect(some.fields?.excludedCategories).toEqual(['ALCOHOL']);
    const none = parseCampaignForm(
      valid({
        excluded_ALCOHOL: '',
        excluded_TOBACCO: '',
        excluded_GAMBLING: '',
        excluded_PHONE_TOPUP: '',
      }),
    );
    expect(none.fields?.excludedCategories).toEqual([]);
    const all = parseCampaignForm(
      valid(Object.fromEntries(SHOP_CATEGORIES.map((c) => [excludedField(c), 'on']))),
    );
    expect(all.fields).toBeNull();
    expect(all.problems).toEqual({ excluded_FOOD: 'excludedAll' });
    expect(formFieldOf('excludedCategories')).toBe('excluded_FOOD');
  });

  it('names the ticked service categories, in taxonomy order, and reads them back', () => {
    const parsed = parseCampaignForm(valid({ service_SPORT: 'on', service_EDUCATION: 'on' }));
    expect(parsed.fields?.serviceCategories).toEqual(['EDUCATION', 'SPORT']);
    expect(parseCampaignForm(valid()).fields?.serviceCategories).toEqual([]);
    expect(formFieldOf('serviceCategories')).toBe(serviceField(OFFER_CATEGORIES[0]));
    const fields = parseCampaignForm(valid({ service_CHILDCARE: 'on' })).fields!;
    const values = campaignValues(fields);
    expect(values[serviceField('CHILDCARE')]).toBe('on');
    expect(values[serviceField('SPORT')]).toBe('');
    expect(parseCampaignForm(values).fields?.serviceCategories).toEqual(['CHILDCARE']);
  });
});

describe('the campaign form: problems', () => {
  it('lists every problem at once: window, spending, negative amount, gaps, repeats', () => {
    const parsed = parseCampaignForm(
      valid({
        title: '',
        applicationsCloseAt: '2027-01-01T09:00',
        spendingUntil: '2027-02-01',
        size1: '-10',
        size2: '',
        size3: '300',
        criterion2: 'ISEE_ASC',
        minSize: '4',
        maxSize: '2',
        doc1LabelIt: 'Senza codice',
        decisionDays: '0',
      }),
    );
    expect(parsed.fields).toBeNull();
    expect(parsed.problems).toEqual({
      title: 'required',
      applicationsCloseAt: 'closeBeforeOpen',
      spendingUntil: 'spendingOrder',
      size1: 'negative',
      size2: 'amountGap',
      criterion2: 'criterionRepeat',
      maxSize: 'sizeOrder',
      doc1Code: 'code',
      doc1LabelEn: 'text',
      decisionDays: 'days',
    });
  });

  it('needs amounts above zero per member, and a mode', () => {
    expect(
      parseSimulationForm(valid({ mode: 'PER_MEMBER', perAdult: '0', perMinor: '' })).problems,
    ).toEqual({ perAdult: 'perMemberZero' });
    const perMember = parseSimulationForm(
      valid({ mode: 'PER_MEMBER', perAdult: '100', perMinor: '50', cap: '400' }),
    );
    expect(perMember.fields?.amountSchedule).toEqual({
      mode: 'PER_MEMBER',
      bySizeCents: [],
      perAdultCents: 10_000,
      perMinorCents: 5_000,
      capCents: 40_000,
    });
    expect(parseSimulationForm(valid({ mode: 'X' })).problems).toEqual({ mode: 'choice' });
    expect(parseSimulationForm(valid({ size1: '', size2: '' })).problems).toEqual({
      size1: 'amountsMissing',
    });
  });

  it('simulates without the texts and dates', () => {
    const parsed = parseSimulationForm(valid({ title: '', applicationsOpenAt: '' }));
    expect(parsed.problems).toEqual({});
    expect(parsed.fields?.budgetCents).toBe(3_000_000);
  });
});

describe('the campaign form: round trips', () => {
  it('round-trips a saved campaign', () => {
    const parsed = parseCampaignForm(valid());
    const fields = parsed.fields!;
    const values = campaignValues({ ...fields, declarations: fields.declarations });
    const again = parseCampaignForm(values);
    expect(again.fields).toEqual(fields);
  });

  it('reads a post and offers spare rows', () => {
    const data = new FormData();
    for (const [k, v] of Object.entries(valid())) data.set(k, ` ${v} `);
    data.set('unknown', 'x');
    const values = readCampaignForm(data);
    expect(values.title).toBe('Buoni spesa estate');
    expect(values.unknown).toBeUndefined();
    expect(values.doc5Code).toBeUndefined();
    expect(formShape(values)).toEqual({ documents: 3, declarations: 5, sizes: 6 });
    expect(formShape({ size9: '10' }).sizes).toBe(9);
  });
});

describe('the variant', () => {
  const base = parseSimulationForm(valid()).fields!;

  it('is absent when no variant field is filled in', () => {
    expect(parseVariant(valid(), base)).toEqual({ fields: null, problems: {} });
  });
  it('replaces the ISEE threshold of every accepted type, the budget, and scales amounts', () => {
    const variant = parseVariant(
      valid({ variantIsee: '8.000', variantBudget: '10.000', variantAmountPercent: '110' }),
      base,
    );
    expect(variant.problems).toEqual({});
    expect(variant.fields?.rules.iseeThresholds).toEqual([
      { type: 'ORDINARIO', maxCents: 800_000 },
    ]);
    expect(variant.fields?.budgetCents).toBe(1_000_000);
    expect(variant.fields?.amountSchedule.bySizeCents).toEqual([16_500, 27_555]);
    // The base is unchanged.
    expect(base.rules.iseeThresholds).toEqual([{ type: 'ORDINARIO', maxCents: 1_200_000 }]);
  });
  it('applies the threshold to every type when none was required', () => {
    const open = parseSimulationForm(valid({ isee_ORDINARIO: '' })).fields!;
    const variant = parseVariant(valid({ variantIsee: '5.000' }), open);
    expect(variant.fields?.rules.iseeThresholds.map((t) => t.type)).toEqual([
      'ORDINARIO',
      'MINORENNI',
      'SOCIOSANITARIO',
      'CORRENTE',
    ]);
  });
  it('refuses bad variant values', () => {
    expect(
      parseVariant(valid({ variantIsee: '-1', variantAmountPercent: '0' }), base).problems,
    ).toEqual({ variantIsee: 'negative', variantAmountPercent: 'percent' });
  });
});

describe('API field messages', () => {
  it('land on the form field they are about', () => {
    const rows = { documentRows: [0, 3], declarationRows: [1] };
    expect(formFieldOf('applicationsCloseAt')).toBe('applicationsCloseAt');
    expect(formFieldOf('budgetCents')).toBe('budget');
    expect(formFieldOf('rules.iseeMaxByType.CORRENTE')).toBe('isee_CORRENTE');
    expect(formFieldOf('rules.maxSize')).toBe('maxSize');
    expect(formFieldOf('amountSchedule.bySizeCents.2')).toBe('size3');
    expect(formFieldOf('amountSchedule.bySizeCents')).toBe('size1');
    expect(formFieldOf('amountSchedule.capCents')).toBe('cap');
    expect(formFieldOf('requiredDocuments.1.code', rows)).toBe('doc3Code');
    expect(formFieldOf('requiredDocuments.1', rows)).toBe('doc3LabelIt');
    expect(formFieldOf('declarations.0', rows)).toBe('decl1TextIt');
    expect(formFieldOf('comuneId')).toBeNull();
  });
});
