// The provider's offer form: form fields <-> the API's OfferInput. Pure (shared by the new and
// edit pages, tested in offer-form.spec.ts).
import { both } from './i18n';
import type { Localized } from './locale';
import { formatEuroInputCents, parseEuroCents } from './money';
import { m } from './paraglide/messages';

/** Rows of the form: places and weekly slots (blank rows are ignored). */
export const PLACE_ROWS = 3;
export const SLOT_ROWS = 5;

const PLACE_PARTS = ['Name', 'Address', 'Municipality', 'Latitude', 'Longitude'] as const;
const SLOT_PARTS = ['Weekday', 'Start', 'End'] as const;

/** Every text field of the form, by name. */
export const OFFER_FORM_FIELDS = [
  'comuneId',
  'title',
  'description',
  'category',
  'targets',
  'priceKind',
  'price',
  'packageDescription',
  'format',
  'capacity',
  ...Array.from({ length: PLACE_ROWS }, (_, i) => PLACE_PARTS.map((p) => `place${i}${p}`)).flat(),
  ...Array.from({ length: SLOT_ROWS }, (_, i) => SLOT_PARTS.map((p) => `slot${i}${p}`)).flat(),
  'scheduleNotes',
  'contactEmail',
  'contactPhone',
  'contactWebsite',
] as const;

export type OfferFormValues = Record<string, string>;

export interface OfferInputValue {
  title: string;
  description: string;
  category: string;
  targets: string[];
  priceKind: string;
  priceCents: number | null;
  packageDescription: string | null;
  format: string;
  capacity: number;
  places: {
    name: string;
    address: string;
    municipality: string;
    latitude: number | null;
    longitude: number | null;
  }[];
  schedule: { weekday: number; startTime: string; endTime: string }[];
  scheduleNotes: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  contactWebsite: string | null;
}

export interface ParsedOfferForm {
  values: OfferFormValues;
  input: OfferInputValue;
  /**
   * What the portal itself refuses (an amount with fractions of a cent, a number that is not
   * one, a half-filled row), by form field. Such a field is sent to the API with a value it
   * always refuses, so that the API still reports every other field and writes nothing.
   */
  problems: Record<string, Localized>;
  /** The form row of each place and slot sent (blank rows are skipped). */
  rows: { places: number[]; slots: number[] };
}

/** A decimal number written with a comma or a dot (coordinates). */
function parseDecimal(text: string): number | null {
  if (!/^-?\d{1,3}([.,]\d{1,8})?$/.test(text)) return null;
  return Number(text.replace(',', '.'));
}

const optional = (text: string): string | null => (text === '' ? null : text);

/** The price: euros as typed in Italy, whole cents only ("12,505" refused: sent as -1). */
function parsePrice(values: OfferFormValues, problems: Record<string, Localized>): number | null {
  if (values.price === '') return null;
  const cents = parseEuroCents(values.price ?? '');
  if (cents !== null) return cents;
  problems.price = both(m.offer_price_invalid);
  return -1;
}

/** A coordinate as typed (comma or dot), null when blank, 999 (refused by the API) when bad. */
function parseCoordinate(
  text: string,
  field: string,
  problems: Record<string, Localized>,
): number | null {
  if (text === '') return null;
  const value = parseDecimal(text);
  if (value !== null) return value;
  problems[field] = both(m.offer_coordinate_invalid);
  return 999;
}

/** The places filled in (blank rows skipped), with their form rows. */
function parsePlaces(values: OfferFormValues, problems: Record<string, Localized>) {
  const rows: number[] = [];
  const places: OfferInputValue['places'] = [];
  for (let i = 0; i < PLACE_ROWS; i++) {
    const part = (p: string) => values[`place${i}${p}`] ?? '';
    if (PLACE_PARTS.every((p) => part(p) === '')) continue;
    rows.push(i);
    places.push({
      name: part('Name'),
      address: part('Address'),
      municipality: part('Municipality'),
      latitude: parseCoordinate(part('Latitude'), `place${i}Latitude`, problems),
      longitude: parseCoordinate(part('Longitude'), `place${i}Longitude`, problems),
    });
  }
  return { rows, places };
}

/** The weekly slots filled in (blank rows skipped; a half-filled one is refused). */
function parseSlots(values: OfferFormValues, problems: Record<string, Localized>) {
  const rows: number[] = [];
  const schedule: OfferInputValue['schedule'] = [];
  for (let i = 0; i < SLOT_ROWS; i++) {
    const part = (p: string) => values[`slot${i}${p}`] ?? '';
    if (SLOT_PARTS.every((p) => part(p) === '')) continue;
    const weekday = /^[1-7]$/.test(part('Weekday')) ? Number(part('Weekday')) : 0;
    if (weekday === 0 || part('Start') === '' || part('End') === '') {
      problems[`slot${i}Weekday`] = both(m.offer_slot_incomplete);
    }
    rows.push(i);
    schedule.push({ weekday, startTime: part('Start'), endTime: part('End') });
  }
  return { rows, schedule };
}

/** Reads the form (FormData of the new/edit page). */
export function parseOfferForm(data: FormData): ParsedOfferForm {
  const get = (name: string) => {
    const value = data.get(name);
    return typeof value === 'string' ? value.trim() : '';
  };
  const values: OfferFormValues = {};
  for (const name of OFFER_FORM_FIELDS) values[name] = get(name);
  const targets = data
    .getAll('targets')
    .filter((v): v is string => typeof v === 'string' && v !== '');
  values.targets = targets.join(',');
  const problems: Record<string, Localized> = {};

  const priceCents = parsePrice(values, problems);
  let capacity = -1;
  if (/^\d{1,6}$/.test(values.capacity ?? '')) capacity = Number(values.capacity);
  else problems.capacity = both(m.offer_number_invalid);
  const places = parsePlaces(values, problems);
  const slots = parseSlots(values, problems);

  return {
    values,
    problems,
    rows: { places: places.rows, slots: slots.rows },
    input: {
      title: values.title ?? '',
      description: values.description ?? '',
      category: values.category ?? '',
      targets,
      priceKind: values.priceKind ?? '',
      priceCents,
      packageDescription: optional(values.packageDescription ?? ''),
      format: values.format ?? '',
      capacity,
      places: places.places,
      schedule: slots.schedule,
      scheduleNotes: optional(values.scheduleNotes ?? ''),
      contactEmail: optional(values.contactEmail ?? ''),
      contactPhone: optional(values.contactPhone ?? ''),
      contactWebsite: optional(values.contactWebsite ?? ''),
    },
  };
}

/**
 * The form field an API error names: `priceCents` -> `price`, `places.1.address` ->
 * `place1Address`, `schedule.0.endTime` -> `slot0End`, `places` -> `place0Name`. Null for
 * errors without a field of the form (shown in the summary).
 */
export function offerFormField(
  apiField: string,
  rows: ParsedOfferForm['rows'] = { places: [], slots: [] },
): string | null {
  const field = apiField.startsWith('input.') ? apiField.slice('input.'.length) : apiField;
  if (field === 'priceCents') return 'price';
  if (field === 'places') return 'place0Name';
  if (field === 'schedule') return 'slot0Weekday';
  const place = /^places\.(\d+)(?:\.(\w+))?$/.exec(field);
  if (place) {
    // The API numbers the places it got; the form skipped blank rows.
    const row = rows.places[Number(place[1])] ?? Number(place[1]);
    const part = (place[2] ?? 'name').replace(/^./, (c) => c.toUpperCase());
    return `place${row}${part}`;
  }
  const slot = /^schedule\.(\d+)(?:\.(\w+))?$/.exec(field);
  if (slot) {
    const part = { weekday: 'Weekday', startTime: 'Start', endTime: 'End' }[slot[2] ?? 'weekday'];
    const row = rows.slots[Number(slot[1])] ?? Number(slot[1]);
    return `slot${row}${part ?? 'Weekday'}`;
  }
  return (OFFER_FORM_FIELDS as readonly string[]).includes(field) ? field : null;
}

/** The form's values for an existing offer (the edit page). */
export function offerFormValues(offer: {
  title: string;
  description: string;
  category: string;
  targets: readonly string[];
  priceKind: string;
  priceCents: number | null;
  packageDescription: string | null;
  format: string;
  capacity: number;
  places: readonly {
    name: string;
    address: string;
    municipality: string;
    latitude: number | null;
    longitude: number | null;
  }[];
  schedule: readonly { weekday: number; startTime: string; endTime: string }[];
  scheduleNotes: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  contactWebsite: string | null;
}): OfferFormValues {
  const values: OfferFormValues = {
    title: offer.title,
    description: offer.description,
    category: offer.category,
    targets: offer.targets.join(','),
    priceKind: offer.priceKind,
    price: offer.priceCents === null ? '' : formatEuroInputCents(offer.priceCents),
    packageDescription: offer.packageDescription ?? '',
    format: offer.format,
    capacity: String(offer.capacity),
    scheduleNotes: offer.scheduleNotes ?? '',
    contactEmail: offer.contactEmail ?? '',
    contactPhone: offer.contactPhone ?? '',
    contactWebsite: offer.contactWebsite ?? '',
  };
  offer.places.slice(0, PLACE_ROWS).forEach((p, i) => {
    values[`place${i}Name`] = p.name;
    values[`place${i}Address`] = p.address;
    values[`place${i}Municipality`] = p.municipality;
    values[`place${i}Latitude`] = p.latitude === null ? '' : String(p.latitude).replace('.', ',');
    values[`place${i}Longitude`] =
      p.longitude === null ? '' : String(p.longitude).replace('.', ',');
  });
  offer.schedule.slice(0, SLOT_ROWS).forEach((s, i) => {
    values[`slot${i}Weekday`] = String(s.weekday);
    values[`slot${i}Start`] = s.startTime;
    values[`slot${i}End`] = s.endTime;
  });
  return values;
}
