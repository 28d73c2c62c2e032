import { describe, expect, it } from 'vitest';
import { offerFormField, offerFormValues, parseOfferForm } from './offer-form';

function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) data.append(name, v);
  }
  return data;
}

const BASE = {
  title: 'Doposcuola',
  description: 'Aiuto compiti per ragazzi',
  category: 'EDUCATION',
  targets: ['CHILDREN', 'TEENAGERS'],
  priceKind: 'PER_HOUR',
  price: '12,50',
  format: 'GROUP',
  capacity: '3',
  place0Name: 'Biblioteca',
  place0Address: 'Via Roma 1',
  place0Municipality: 'Balestrate',
  place0Latitude: '38,0507',
  place0Longitude: '13.0049',
  slot0Weekday: '2',
  slot0Start: '15:00',
  slot0End: '17:00',
  contactEmail: 'info@esempio.it',
};

describe('parseOfferForm', () => {
  it('reads euros into integer cents, rows, targets', () => {
    const { input, problems } = parseOfferForm(form(BASE));
    expect(problems).toEqual({});
    expect(input.priceCents).toBe(1250);
    expect(input.capacity).toBe(3);
    expect(input.targets).toEqual(['CHILDREN', 'TEENAGERS']);
    expect(input.places).toEqual([
      {
        name: 'Biblioteca',
        address: 'Via Roma 1',
        municipality: 'Balestrate',
        latitude: 38.0507,
        longitude: 13.0049,
      },
    ]);
    expect(input.schedule).toEqual([{ weekday: 2, startTime: '15:00', endTime: '17:00' }]);
    expect(input.contactPhone).toBeNull();
  });

  it('refuses fractions of a cent and sends a price the API always refuses', () => {
    const { input, problems } = parseOfferForm(form({ ...BASE, price: '12,505' }));
    expect(Object.keys(problems)).toEqual(['price']);
    expect(problems.price?.it).toMatch(/frazioni di centesimo/);
    expect(problems.price?.en).toMatch(/fractions of a cent/);
    expect(input.priceCents).toBe(-1);
  });

  it('accepts Italian amounts', () => {
    for (const [typed, cents] of [
      ['12', 1200],
      ['12,5', 1250],
      ['1.250,00', 125000],
      ['€ 7,05', 705],
    ] as const) {
      expect(parseOfferForm(form({ ...BASE, price: typed })).input.priceCents).toBe(cents);
    }
  });

  it('flags numbers that are not and half-filled rows', () => {
    const { problems, input } = parseOfferForm(
      form({ ...BASE, capacity: 'tre', place0Latitude: 'nord', slot1Weekday: '3' }),
    );
    expect(Object.keys(problems).sort()).toEqual(['capacity', 'place0Latitude', 'slot1Weekday']);
    expect(input.capacity).toBe(-1);
    expect(input.places[0]?.latitude).toBe(999);
  });

  it('maps API fields to form fields', () => {
    expect(offerFormField('priceCents')).toBe('price');
    expect(offerFormField('input.capacity')).toBe('capacity');
    expect(offerFormField('places.1.address')).toBe('place1Address');
    expect(offerFormField('schedule.0.endTime')).toBe('slot0End');
    expect(offerFormField('places')).toBe('place0Name');
    expect(offerFormField('accreditation')).toBeNull();
    // Blank rows are skipped: the API's second place is the form's third row.
    const { rows } = parseOfferForm(
      form({ ...BASE, place2Name: 'Sala', place2Address: 'Via Po 1', place2Municipality: 'X' }),
    );
    expect(offerFormField('places.1.address', rows)).toBe('place2Address');
  });

  it('writes an offer back into the form', () => {
    const values = offerFormValues({
      ...parseOfferForm(form(BASE)).input,
      priceCents: 1205,
    });
    expect(values.price).toBe('12,05');
    expect(values.place0Latitude).toBe('38,0507');
    expect(values.slot0Start).toBe('15:00');
    expect(parseOfferForm(form({ ...BASE, price: values.price! })).input.priceCents).toBe(1205);
  });
});
