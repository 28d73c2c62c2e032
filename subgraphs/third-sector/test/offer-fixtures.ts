import { randomUUID } from 'node:crypto';
import type { Suite } from './helpers.js';
import { addDays } from '@welfare/kit/dates';
import { nationalHoliday } from '../src/modules/calendar/holidays.js';

/**
 * Records an accreditation of the provider by the Comune, valid until `validUntil`, straight in
 * the table (the accreditation workflow has its own tests). Returns its id.
 */
export async function accredit(
  suite: Suite,
  providerId: string,
  comuneId: string,
  validUntil = '2099-12-31',
): Promise<string> {
  const id = randomUUID();
  await suite.sql(
    `insert into third_sector.accreditation_request
       (id, provider_id, comune_id, status, submitted_at, decision_reason, decided_at, decided_by, valid_until, created_by)
     values (?, ?, ?, 'ACCREDITED', now(), 'Requisiti verificati', now(), ?, ?::date, ?)`,
    [id, providerId, comuneId, randomUUID(), validUntil, randomUUID()],
  );
  return id;
}

/** A complete, valid offer input; override any field. */
export function offerInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'Doposcuola e aiuto compiti',
    description:
      'Lezione di sostegno allo studio per ragazzi delle scuole medie, in piccoli gruppi.',
    category: 'EDUCATION',
    targets: ['TEENAGERS'],
    priceKind: 'PER_HOUR',
    priceCents: 1250,
    packageDescription: null,
    format: 'GROUP',
    capacity: 3,
    places: [
      {
        name: 'Biblioteca comunale',
        address: 'Via Roma 12',
        municipality: 'Balestrate',
        latitude: 38.0507,
        longitude: 13.0049,
      },
    ],
    schedule: [{ weekday: 2, startTime: '15:00', endTime: '17:00' }],
    scheduleNotes: null,
    contactEmail: 'info@esempio.it',
    contactPhone: '+39 091 123456',
    contactWebsite: 'https://www.esempio.it',
    ...overrides,
  };
}

export const OFFER_FIELDS = `id providerId comuneId title description category targets priceKind priceCents
  packageDescription format capacity status scheduleNotes contactEmail contactPhone contactWebsite publishedAt
  places { name address municipality latitude longitude } schedule { weekday startTime endTime }`;

export const CREATE = `mutation($providerId: ID!, $comuneId: ID!, $input: OfferInput!) {
  createOffer(providerId: $providerId, comuneId: $comuneId, input: $input) { ${OFFER_FIELDS} } }`;
export const UPDATE = `mutation($id: ID!, $input: OfferInput!) { updateOffer(id: $id, input: $input) { ${OFFER_FIELDS} } }`;
export const PUBLISH = `mutation($id: ID!) { publishOffer(id: $id) { id status publishedAt } }`;
export const WITHDRAW = `mutation($id: ID!) { withdrawOffer(id: $id) { id status } }`;
export const ONE = `query($id: ID!) { offer(id: $id) { id status title inCatalogue } }`;
export const MINE = `query($providerId: ID!, $statuses: [OfferStatus!]) {
  providerOffers(providerId: $providerId, statuses: $statuses) { id status } }`;

/** A weekly schedule with a slot every day (the booking calendar then refuses only holidays). */
export const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
  weekday,
  startTime: '15:00',
  endTime: '17:00',
}));

/**
 * The `n`-th day (0-based) from `today` that is not a national holiday: distinct days, in order,
 * each bookable for an offer that runs every day (EVERY_DAY).
 */
export function openDay(today: string, n: number): string {
  let day = today;
  let seen = -1;
  for (;;) {
    if (nationalHoliday(day) === null) seen += 1;
    if (seen === n) return day;
    day = addDays(day, 1);
  }
}
