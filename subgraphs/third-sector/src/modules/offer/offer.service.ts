import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller } from '@welfare/kit';
import type { AccreditationService } from '../accreditation/accreditation.service.js';
import {
  actorOf,
  isComuneStaff,
  isProviderAdmin,
  isUuid,
  requireComuneStaff,
  requirePerson,
  requireProviderAdmin,
} from '@welfare/kit/access';
import { romeDay } from '@welfare/kit/dates';
import { AccreditationTariffService } from '../accreditation-requirement/accreditation-tariff.service.js';
import type { AuditService } from '../audit/audit.service.js';
import {
  notifyOfferReinstated,
  notifyOfferWithdrawnByComune,
} from '../notification/notification.service.js';
import { OfferPlace } from './offer-place.entity.js';
import { OfferScheduleSlot } from './offer-schedule-slot.entity.js';
import { Offer } from './offer.entity.js';
import {
  deleteChildren,
  findOffer,
  findOffersInOrder,
  findOffersOfComune,
  findOffersOfProvider,
  findProgrammeEndsOn,
  lockOffer,
  withChildren,
  type OfferRecord,
} from './offer.repository.js';
import {
  OFFER_CATEGORIES,
  OFFER_FORMATS,
  OFFER_LIMITS as L,
  OFFER_PRICE_KINDS,
  OFFER_STATUSES,
  OFFER_TARGETS,
  type OfferCategoryValue,
  type OfferFormatValue,
  type OfferPriceKindValue,
  type OfferStatusValue,
  type OfferTargetValue,
} from './offer.enums.js';

export interface OfferPlaceData {
  name: string;
  address: string;
  municipality: string;
  latitude?: number | null;
  longitude?: number | null;
}

export interface OfferSlotData {
  weekday: number;
  startTime: string;
  endTime: string;
}

/** Every field of an offer, as a provider writes it. */
export interface OfferData {
  title: string;
  description: string;
  category: OfferCategoryValue;
  targets: OfferTargetValue[];
  priceKind: OfferPriceKindValue;
  priceCents?: number | null;
  packageDescription?: string | null;
  format: OfferFormatValue;
  capacity: number;
  places: OfferPlaceData[];
  schedule: OfferSlotData[];
  scheduleNotes?: string | null;
  contactEmail?: string | null;
  contactPhone?: string | null;
  contactWebsite?: string | null;
}

export type { OfferRecord } from './offer.repository.js';

const notFound = () => DomainError.notFound({ it: 'Offerta non trovata.', en: 'Offer not found.' });

/** A tutoring programme's offer follows the programme: it is not written as an offer. */
const programmeOffer = () =>
  DomainError.conflict({
    it: 'Questa voce del catalogo è un programma di tutoraggio: si modifica, si chiude o si riapre dal programma.',
    en: 'This catalogue entry is a tutoring programme: it is edited, closed or reopened from the programme.',
  });

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const PHONE = /^\+?[0-9][0-9 ()./-]{4,29}$/;
// Control characters other than tab/newline are refused in every text.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** A trimmed optional text: null when empty. */
function optional(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function isWebsite(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

/** The validated, normalised fields of an offer. */
interface CleanOffer {
  title: string;
  description: string;
  category: OfferCategoryValue;
  targets: OfferTargetValue[];
  priceKind: OfferPriceKindValue;
  priceCents: number | null;
  packageDescription: string | null;
  format: OfferFormatValue;
  capacity: number;
  places: Required<OfferPlaceData>[];
  schedule: OfferSlotData[];
  scheduleNotes: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  contactWebsite: string | null;
}

/** A required text, trimmed: an error unless `min` to `max` characters without control ones. */
function requiredText(
  errors: FieldErrors,
  field: string,
  value: unknown,
  [min, max]: [number, number],
  [it, en]: [string, string],
): string {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  if (trimmed.length < min || trimmed.length > max || CONTROL.test(trimmed)) {
    errors.add(
      field,
      `${it}: da ${min} a ${max} caratteri.`,
      `${en}: ${min} to ${max} characters.`,
    );
  }
  return trimmed;
}

/** An optional text, trimmed (null when empty): an error when over `max` or with control ones. */
function optionalText(
  errors: FieldErrors,
  field: string,
  value: unknown,
  max: number,
  [it, en]: [string, string],
): string | null {
  const v = optional(typeof value === 'string' ? value : null);
  if (v !== null && (v.length > max || CONTROL.test(v))) {
    errors.add(field, `${it}: al massimo ${max} caratteri.`, `${en}: at most ${max} characters.`);
  }
  return v;
}

/** Title, description, category and targets. */
function validateBasics(data: OfferData, errors: FieldErrors) {
  const title = requiredText(
    errors,
    'title',
    data.title,
    [L.titleMin, L.titleMax],
    ['Titolo', 'Title'],
  );
  const description = requiredText(
    errors,
    'description',
    data.description,
    [L.descriptionMin, L.descriptionMax],
    ['Descrizione', 'Description'],
  );
  if (!OFFER_CATEGORIES.includes(data.category)) {
    errors.add('category', 'Categoria non valida.', 'Invalid category.');
  }
  const targets = Array.isArray(data.targets) ? data.targets : [];
  if (targets.some((t) => !OFFER_TARGETS.includes(t)) || new Set(targets).size !== targets.length) {
    errors.add(
      'targets',
      'Destinatari non validi o ripetuti.',
      'Invalid or repeated target groups.',
    );
  }
  return { title, description, targets };
}

/** Price: integer cents, null iff FREE; a package description only for PER_PACKAGE. */
function validatePrice(data: OfferData, errors: FieldErrors) {
  const priceCents = data.priceCents ?? null;
  if (!OFFER_PRICE_KINDS.includes(data.priceKind)) {
    errors.add('priceKind', 'Tipo di prezzo non valido.', 'Invalid kind of price.');
  } else if (data.priceKind === 'FREE') {
    if (priceCents !== null) {
      errors.add('priceCents', 'Un’offerta gratuita non ha prezzo.', 'A free offer has no price.');
    }
  } else if (priceCents === null) {
    errors.add('priceCents', 'Indicare il prezzo.', 'Enter the price.');
  } else if (!Number.isInteger(priceCents)) {
    errors.add(
      'priceCents',
      'Il prezzo deve essere un numero intero di centesimi (niente frazioni di centesimo).',
      'The price must be a whole number of cents (no fractions of a cent).',
    );
  } else if (priceCents < 1 || priceCents > L.priceCentsMax) {
    errors.add(
      'priceCents',
      'Il prezzo deve essere tra 0,01 € e 100.000,00 €.',
      'The price must be between €0.01 and €100,000.00.',
    );
  }
  const packageDescription = optionalText(
    errors,
    'packageDescription',
    data.packageDescription,
    L.packageDescriptionMax,
    ['Descrizione del pacchetto', 'Package description'],
  );
  if (packageDescription !== null && data.priceKind !== 'PER_PACKAGE') {
    errors.add(
      'packageDescription',
      'La descrizione del pacchetto vale solo per il prezzo a pacchetto.',
      'A package description applies only to a price per package.',
    );
  }
  return { priceCents, packageDescription };
}

/** Format and capacity: 1 for INDIVIDUAL, a bounded group size for GROUP. */
function validateFormat(data: OfferData, errors: FieldErrors): void {
  const capacity = data.capacity;
  if (!OFFER_FORMATS.includes(data.format)) {
    errors.add('format', 'Modalità non valida.', 'Invalid format.');
  } else if (data.format === 'INDIVIDUAL') {
    if (capacity !== 1) {
      errors.add(
        'capacity',
        'Un’offerta individuale ha capienza 1.',
        'An individual offer has capacity 1.',
      );
    }
  } else if (
    !Number.isInteger(capacity) ||
    capacity < L.groupCapacityMin ||
    capacity > L.groupCapacityMax
  ) {
    errors.add(
      'capacity',
      `La capienza di un gruppo va da ${L.groupCapacityMin} a ${L.groupCapacityMax} persone.`,
      `A group’s capacity is ${L.groupCapacityMin} to ${L.groupCapacityMax} people.`,
    );
  }
}

/** At most `placesMax` places, each checked (`places.<i>.<field>`). */
function validatePlaces(data: OfferData, errors: FieldErrors): Required<OfferPlaceData>[] {
  const placesIn = Array.isArray(data.places) ? data.places : [];
  if (placesIn.length > L.placesMax) {
    errors.add('places', `Al massimo ${L.placesMax} luoghi.`, `At most ${L.placesMax} places.`);
  }
  return placesIn.slice(0, L.placesMax).map((p, i) => validatePlace(p, `places.${i}`, errors));
}

/** A place: name, address, municipality; latitude and longitude together and in range. */
function validatePlace(p: OfferPlaceData, f: string, errors: FieldErrors) {
  const name = requiredText(
    errors,
    `${f}.name`,
    p.name,
    [1, L.nameMax],
    ['Nome del luogo', 'Place name'],
  );
  const address = requiredText(
    errors,
    `${f}.address`,
    p.address,
    [3, L.addressMax],
    ['Indirizzo', 'Address'],
  );
  const municipality = requiredText(
    errors,
    `${f}.municipality`,
    p.municipality,
    [2, L.municipalityMax],
    ['Comune del luogo', 'Municipality'],
  );
  const latitude = p.latitude ?? null;
  const longitude = p.longitude ?? null;
  if ((latitude === null) !== (longitude === null)) {
    errors.add(
      `${f}.${latitude === null ? 'latitude' : 'longitude'}`,
      'Indicare latitudine e longitudine insieme, o nessuna delle due.',
      'Give latitude and longitude together, or neither.',
    );
  }
  if (latitude !== null && !(Number.isFinite(latitude) && latitude >= -90 && latitude <= 90)) {
    errors.add(`${f}.latitude`, 'Latitudine tra -90 e 90.', 'Latitude between -90 and 90.');
  }
  if (
    longitude !== null &&
    !(Number.isFinite(longitude) && longitude >= -180 && longitude <= 180)
  ) {
    errors.add(`${f}.longitude`, 'Longitudine tra -180 e 180.', 'Longitude between -180 and 180.');
  }
  return { name, address, municipality, latitude, longitude };
}

/** At most `slotsMax` weekly slots, each valid and none repeated (`schedule.<i>.<field>`). */
function validateSchedule(data: OfferData, errors: FieldErrors): OfferSlotData[] {
  const slotsIn = Array.isArray(data.schedule) ? data.schedule : [];
  if (slotsIn.length > L.slotsMax) {
    errors.add('schedule', `Al massimo ${L.slotsMax} orari.`, `At most ${L.slotsMax} slots.`);
  }
  const seen = new Set<string>();
  return slotsIn.slice(0, L.slotsMax).map((s, i) => {
    const f = `schedule.${i}`;
    validateSlot(s, f, errors);
    const key = `${s.weekday}|${s.startTime}|${s.endTime}`;
    if (seen.has(key)) {
      errors.add(`${f}`, 'Orario ripetuto.', 'Repeated slot.');
    }
    seen.add(key);
    return { weekday: s.weekday, startTime: s.startTime, endTime: s.endTime };
  });
}

/** A weekly slot: a weekday and two clock times in order. */
function validateSlot(s: OfferSlotData, f: string, errors: FieldErrors): void {
  if (!Number.isInteger(s.weekday) || s.weekday < 1 || s.weekday > 7) {
    errors.add(
      `${f}.weekday`,
      'Giorno della settimana da 1 (lunedì) a 7 (domenica).',
      'Weekday from 1 (Monday) to 7 (Sunday).',
    );
  }
  const startOk = TIME.test(s.startTime ?? '');
  const endOk = TIME.test(s.endTime ?? '');
  if (!startOk) errors.add(`${f}.startTime`, 'Ora non valida (HH:MM).', 'Invalid time (HH:MM).');
  if (!endOk) errors.add(`${f}.endTime`, 'Ora non valida (HH:MM).', 'Invalid time (HH:MM).');
  if (startOk && endOk && s.endTime <= s.startTime) {
    errors.add(
      `${f}.endTime`,
      'L’ora di fine deve essere dopo l’ora di inizio.',
      'The end time must be after the start time.',
    );
  }
}

/** E-mail, phone and web site, each optional. */
function validateContact(data: OfferData, errors: FieldErrors) {
  const contactEmail = optional(data.contactEmail);
  if (contactEmail !== null && (contactEmail.length > L.emailMax || !EMAIL.test(contactEmail))) {
    errors.add('contactEmail', 'Indirizzo e-mail non valido.', 'Invalid e-mail address.');
  }
  const contactPhone = optional(data.contactPhone);
  if (contactPhone !== null && (contactPhone.length > L.phoneMax || !PHONE.test(contactPhone))) {
    errors.add('contactPhone', 'Numero di telefono non valido.', 'Invalid phone number.');
  }
  const contactWebsite = optional(data.contactWebsite);
  if (
    contactWebsite !== null &&
    (contactWebsite.length > L.websiteMax || !isWebsite(contactWebsite))
  ) {
    errors.add(
      'contactWebsite',
      'Sito web non valido (un indirizzo http:// o https://).',
      'Invalid web site (an http:// or https:// address).',
    );
  }
  return { contactEmail, contactPhone, contactWebsite };
}

/**
 * Validates every field of an offer, adding an error per invalid one (in the order of the
 * form); the clean fields when none.
 */
export function validateOffer(data: OfferData, errors: FieldErrors): CleanOffer | null {
  const before = errors.any;
  const basics = validateBasics(data, errors);
  const price = validatePrice(data, errors);
  validateFormat(data, errors);
  const places = validatePlaces(data, errors);
  const schedule = validateSchedule(data, errors);
  const scheduleNotes = optionalText(
    errors,
    'scheduleNotes',
    data.scheduleNotes,
    L.scheduleNotesMax,
    ['Note sugli orari', 'Schedule notes'],
  );
  const contact = validateContact(data, errors);
  if (errors.any || before) return null;
  return {
    title: basics.title,
    description: basics.description,
    category: data.category,
    targets: [...basics.targets],
    priceKind: data.priceKind,
    priceCents: data.priceKind === 'FREE' ? null : price.priceCents,
    packageDescription: price.packageDescription,
    format: data.format,
    capacity: data.capacity,
    places,
    schedule,
    scheduleNotes,
    ...contact,
  };
}

/**
 * Offers. A provider's ADMIN creates offers (DRAFT) for a Comune's catalogue, edits them (all
 * fields at once), publishes them (the provider must be accredited by the Comune now and the
 * offer complete) and withdraws them. Every write is one transaction, validated as a whole first
 * (every invalid field reported, nothing written). A provider sees and changes only its own
 * offers; the Comune's staff see the offers addressed to its catalogue; anyone else sees an offer
 * only while it is in the catalogue (NOT_FOUND otherwise).
 */
export class OfferService {
  constructor(
    private readonly accreditations: AccreditationService,
    private readonly audit: AuditService,
    private readonly now: () => Date = () => new Date(),
    private readonly tariffs: AccreditationTariffService = new AccreditationTariffService(audit),
  ) {}

  // ---- reads --------------------------------------------------------------------------------

  /** The provider's offers (its ADMIN only: FORBIDDEN otherwise), newest first. */
  async forProvider(
    em: EntityManager,
    caller: Caller,
    providerId: string,
    statuses: OfferStatusValue[] | null = null,
  ): Promise<OfferRecord[]> {
    requireProviderAdmin(caller, providerId);
    const wanted = statuses?.length ? statuses.filter((s) => OFFER_STATUSES.includes(s)) : null;
    return withChildren(em, await findOffersOfProvider(em, providerId, wanted));
  }

  /**
   * The offers addressed to the Comune's catalogue, of some statuses (default: PUBLISHED and
   * WITHDRAWN; a DRAFT is the provider's own), newest first. Its staff only: FORBIDDEN otherwise.
   */
  async forComune(
    em: EntityManager,
    caller: Caller,
    comuneId: string,
    statuses: OfferStatusValue[] | null = null,
  ): Promise<OfferRecord[]> {
    requireComuneStaff(caller, comuneId);
    const wanted = statuses?.length
      ? statuses.filter((s) => OFFER_STATUSES.includes(s))
      : (['PUBLISHED', 'WITHDRAWN'] as OfferStatusValue[]);
    return withChildren(em, await findOffersOfComune(em, comuneId, wanted));
  }

  /**
   * One offer: the provider's ADMIN and the Comune's staff see it in any status; anyone else
   * only while it is in the catalogue (PUBLISHED and the provider accredited now). Null otherwise.
   */
  async get(em: EntityManager, caller: Caller, id: string): Promise<OfferRecord | null> {
    const row = await findOffer(em, id);
    if (!row) return null;
    if (!(await this.canSee(em, caller, row))) return null;
    return (await withChildren(em, [row]))[0] ?? null;
  }

  /**
   * True when the offer is in the catalogue now: PUBLISHED, the provider accredited and, for a
   * tutoring programme's offer, the programme not ended (its last day today or later, Europe/Rome;
   * the offer stays PUBLISHED past the end until the programme's next write).
   */
  async inCatalogue(em: EntityManager, row: Offer): Promise<boolean> {
    if (!(await this.listed(em, row))) return false;
    if (!row.tutoringProgrammeId) return true;
    const endsOn = await findProgrammeEndsOn(em, row.tutoringProgrammeId);
    return endsOn !== null && endsOn >= romeDay(this.now());
  }

  /**
   * PUBLISHED and the provider accredited now: the offer's page is public (an ended programme's
   * page stays readable, saying it has ended, while its offer is still PUBLISHED).
   */
  private async listed(em: EntityManager, row: Offer): Promise<boolean> {
    return (
      row.status === 'PUBLISHED' &&
      (await this.accreditations.isAccredited(em, row.providerId, row.comuneId, this.now()))
    );
  }

  /** Offers by id with their children, in the order of `ids` (missing ones skipped). */
  async byIds(em: EntityManager, ids: string[]): Promise<OfferRecord[]> {
    if (ids.length === 0) return [];
    return withChildren(em, await findOffersInOrder(em, ids));
  }

  private async canSee(em: EntityManager, caller: Caller, row: Offer): Promise<boolean> {
    if (isProviderAdmin(caller, row.providerId)) return true;
    if (isComuneStaff(caller, row.comuneId)) return true;
    return this.listed(em, row);
  }

  // ---- writes -------------------------------------------------------------------------------

  /** Creates a DRAFT offer of the provider for the Comune's catalogue (its ADMIN only). */
  async create(
    em: EntityManager,
    caller: Caller,
    providerId: string,
    comuneId: string,
    data: OfferData,
    /** A chosen id (the demo loader's deterministic ids); random otherwise. */
    id?: string,
  ): Promise<OfferRecord> {
    const person = requireProviderAdmin(caller, providerId);
    const errors = new FieldErrors();
    if (!isUuid(comuneId) || comuneId === providerId) {
      errors.add('comuneId', 'Comune non valido.', 'Invalid Comune.');
    }
    const clean = validateOffer(data, errors);
    if (clean && !errors.any) await this.tariffs.checkPrice(em, comuneId, clean, errors);
    errors.throwIfAny();
    return em.transactional(async (tx) => {
      const row = tx.create(Offer, {
        ...(id ? { id } : {}),
        providerId,
        comuneId,
        createdBy: person.personId,
        ...this.offerFields(clean!),
      });
      // The offer row first: the children's foreign keys and triggers need it.
      await tx.flush();
      const children = this.writeChildren(tx, row.id, clean!);
      await tx.flush();
      await this.audit.record(tx, actorOf(person), comuneId, 'CREATE_OFFER', `offer:${row.id}`);
      return Object.assign(row, children);
    });
  }

  /**
   * Replaces every field of the offer (its provider's ADMIN only; NOT_FOUND for anyone else).
   * A PUBLISHED offer stays published, so it must stay complete.
   */
  async update(
    em: EntityManager,
    caller: Caller,
    id: string,
    data: OfferData,
  ): Promise<OfferRecord> {
    const person = requirePerson(caller);
    return em.transactional(async (tx) => {
      const row = await this.lockForProvider(tx, person, id);
      const errors = new FieldErrors();
      const clean = validateOffer(data, errors);
      if (clean && row.status === 'PUBLISHED') this.checkComplete(clean, errors);
      if (clean) await this.tariffs.checkPrice(tx, row.comuneId, clean, errors);
      errors.throwIfAny();
      tx.assign(row, { ...this.offerFields(clean!), version: row.version + 1 });
      await deleteChildren(tx, row.id);
      const children = this.writeChildren(tx, row.id, clean!);
      await tx.flush();
      await this.audit.record(tx, actorOf(person), row.comuneId, 'EDIT_OFFER', `offer:${row.id}`);
      return Object.assign(row, children);
    });
  }

  /**
   * Publishes a DRAFT or WITHDRAWN offer: the provider must be accredited by the offer's Comune
   * now, and the offer complete (a target, a place, a schedule slot or notes, a contact e-mail).
   * Every missing item is reported at once (BAD_USER_INPUT); CONFLICT when already published.
   */
  async publish(em: EntityManager, caller: Caller, id: string): Promise<OfferRecord> {
    const person = requirePerson(caller);
    return em.transactional(async (tx) => {
      const row = await this.lockForProvider(tx, person, id);
      if (row.status === 'PUBLISHED') {
        throw DomainError.conflict({
          it: 'L’offerta è già pubblicata.',
          en: 'The offer is already published.',
        });
      }
      if (row.withdrawnByComune) {
        throw DomainError.conflict({
          it: 'L’offerta è stata ritirata dal Comune: correggerla e chiedere al Comune di ripubblicarla.',
          en: 'The Comune withdrew the offer: fix it and ask the Comune to publish it again.',
        });
      }
      const record = await this.checkPublishable(tx, row);
      const at = this.now();
      tx.assign(row, { status: 'PUBLISHED', publishedAt: at, version: row.version + 1 });
      await tx.flush();
      await this.audit.record(
        tx,
        actorOf(person),
        row.comuneId,
        'PUBLISH_OFFER',
        `offer:${row.id}`,
      );
      return record;
    });
  }

  /** Withdraws a PUBLISHED offer from the catalogue (CONFLICT otherwise). */
  async withdraw(em: EntityManager, caller: Caller, id: string): Promise<OfferRecord> {
    const person = requirePerson(caller);
    return em.transactional(async (tx) => {
      const row = await this.lockForProvider(tx, person, id);
      if (row.status !== 'PUBLISHED') {
        throw DomainError.conflict({
          it: 'Si può ritirare solo un’offerta pubblicata.',
          en: 'Only a published offer can be withdrawn.',
        });
      }
      tx.assign(row, { status: 'WITHDRAWN', withdrawnAt: this.now(), version: row.version + 1 });
      await tx.flush();
      await this.audit.record(
        tx,
        actorOf(person),
        row.comuneId,
        'WITHDRAW_OFFER',
        `offer:${row.id}`,
      );
      return (await withChildren(tx, [row]))[0]!;
    });
  }

  /**
   * The Comune's staff withdraw a PUBLISHED offer of its catalogue with a reason (5 to 1000
   * characters): it leaves the catalogue at once, its provider sees the reason and may fix it and
   * ask to publish it again (only the Comune reinstates it). Its admins are told, with the reason
   * (a message of the outbox, in the same transaction). CONFLICT unless PUBLISHED; NOT_FOUND
   * for anyone but the Comune's staff.
   */
  async withdrawByComune(
    em: EntityManager,
    caller: Caller,
    id: string,
    reason: string,
  ): Promise<OfferRecord> {
    const person = requirePerson(caller);
    const text = typeof reason === 'string' ? reason.trim() : '';
    return em.transactional(async (tx) => {
      const row = await this.lockForComune(tx, person, id);
      if (text.length < 5 || text.length > 1000 || CONTROL.test(text)) {
        new FieldErrors()
          .add('reason', 'Motivo: da 5 a 1000 caratteri.', 'Reason: 5 to 1000 characters.')
          .throwIfAny();
      }
      if (row.status !== 'PUBLISHED') {
        throw DomainError.conflict({
          it: 'Si può ritirare solo un’offerta pubblicata.',
          en: 'Only a published offer can be withdrawn.',
        });
      }
      tx.assign(row, {
        status: 'WITHDRAWN',
        withdrawnAt: this.now(),
        withdrawnByComune: true,
        withdrawalReason: text,
        republishRequestedAt: null,
        version: row.version + 1,
      });
      await tx.flush();
      await notifyOfferWithdrawnByComune(tx, row, text);
      await this.audit.record(
        tx,
        actorOf(person),
        row.comuneId,
        'COMUNE_WITHDRAW_OFFER',
        `offer:${row.id}`,
      );
      return (await withChildren(tx, [row]))[0]!;
    });
  }

  /**
   * The provider's ADMIN asks the Comune to publish again an offer the Comune withdrew, once
   * fixed: it must be publishable now (accredited, complete, within the tariff; BAD_USER_INPUT
   * lists what is not). CONFLICT unless withdrawn by the Comune; NOT_FOUND for anyone else.
   */
  async requestRepublication(em: EntityManager, caller: Caller, id: string): Promise<OfferRecord> {
    const person = requirePerson(caller);
    return em.transactional(async (tx) => {
      const row = await this.lockForProvider(tx, person, id);
      if (!row.withdrawnByComune) {
        throw DomainError.conflict({
          it: 'L’offerta non è stata ritirata dal Comune.',
          en: 'The Comune has not withdrawn this offer.',
        });
      }
      const record = await this.checkPublishable(tx, row);
      tx.assign(row, { republishRequestedAt: this.now(), version: row.version + 1 });
      await tx.flush();
      await this.audit.record(
        tx,
        actorOf(person),
        row.comuneId,
        'REQUEST_OFFER_REPUBLICATION',
        `offer:${row.id}`,
      );
      return record;
    });
  }

  /**
   * The Comune's staff publish again an offer they withdrew, once its provider asked: it must be
   * publishable now (BAD_USER_INPUT lists what is not); its admins are told. CONFLICT unless
   * withdrawn by the Comune and asked for; NOT_FOUND for anyone but the Comune's staff.
   */
  async reinstate(em: EntityManager, caller: Caller, id: string): Promise<OfferRecord> {
    const person = requirePerson(caller);
    return em.transactional(async (tx) => {
      const row = await this.lockForComune(tx, person, id);
      if (!row.withdrawnByComune || !row.republishRequestedAt) {
        throw DomainError.conflict({
          it: 'Si ripubblica solo un’offerta ritirata dal Comune di cui l’ente ha chiesto la ripubblicazione.',
          en: 'Only an offer the Comune withdrew and its provider asked to publish again can be reinstated.',
        });
      }
      const record = await this.checkPublishable(tx, row);
      tx.assign(row, {
        status: 'PUBLISHED',
        publishedAt: this.now(),
        withdrawnByComune: false,
        withdrawalReason: null,
        republishRequestedAt: null,
        version: row.version + 1,
      });
      await tx.flush();
      await notifyOfferReinstated(tx, row);
      await this.audit.record(
        tx,
        actorOf(person),
        row.comuneId,
        'REINSTATE_OFFER',
        `offer:${row.id}`,
      );
      return record;
    });
  }

  // ---- rules --------------------------------------------------------------------------------

  /**
   * What publishing needs: the provider accredited by the offer's Comune now, the offer complete
   * and within the Comune's tariff. Every missing item at once (BAD_USER_INPUT); the offer with
   * its children otherwise.
   */
  private async checkPublishable(tx: EntityManager, row: Offer): Promise<OfferRecord> {
    const [record] = await withChildren(tx, [row]);
    const errors = new FieldErrors();
    if (!(await this.accreditations.isAccredited(tx, row.providerId, row.comuneId, this.now()))) {
      errors.add(
        'accreditation',
        'L’ente non è accreditato presso il Comune di questa offerta: non può pubblicarla.',
        'The provider is not accredited by this offer’s Comune: it cannot publish it.',
      );
    }
    this.checkComplete(
      {
        targets: row.targets,
        places: record!.places,
        schedule: record!.schedule,
        scheduleNotes: row.scheduleNotes,
        contactEmail: row.contactEmail,
      },
      errors,
    );
    await this.tariffs.checkPrice(tx, row.comuneId, row, errors);
    errors.throwIfAny();
    return record!;
  }

  /** What publishing needs beyond valid fields. */
  private checkComplete(
    offer: {
      targets: readonly string[];
      places: readonly unknown[];
      schedule: readonly unknown[];
      scheduleNotes: string | null;
      contactEmail: string | null;
    },
    errors: FieldErrors,
  ): void {
    if (offer.targets.length === 0) {
      errors.add(
        'targets',
        'Indicare almeno un destinatario per pubblicare.',
        'Name at least one target group to publish.',
      );
    }
    if (offer.places.length === 0) {
      errors.add(
        'places',
        'Indicare almeno un luogo per pubblicare.',
        'Add at least one place to publish.',
      );
    }
    if (offer.schedule.length === 0 && !offer.scheduleNotes) {
      errors.add(
        'schedule',
        'Indicare almeno un orario settimanale o delle note sugli orari per pubblicare.',
        'Add at least one weekly slot or notes on the schedule to publish.',
      );
    }
    if (!offer.contactEmail) {
      errors.add(
        'contactEmail',
        'Indicare un indirizzo e-mail di contatto per pubblicare.',
        'Add a contact e-mail to publish.',
      );
    }
  }

  private offerFields(clean: CleanOffer) {
    return {
      title: clean.title,
      description: clean.description,
      category: clean.category,
      targets: clean.targets,
      priceKind: clean.priceKind,
      priceCents: clean.priceCents,
      packageDescription: clean.packageDescription,
      format: clean.format,
      capacity: clean.capacity,
      scheduleNotes: clean.scheduleNotes,
      contactEmail: clean.contactEmail,
      contactPhone: clean.contactPhone,
      contactWebsite: clean.contactWebsite,
    };
  }

  private writeChildren(tx: EntityManager, offerId: string, clean: CleanOffer) {
    const places = clean.places.map((p, position) =>
      tx.create(OfferPlace, { offerId, position, ...p }),
    );
    const schedule = [...clean.schedule]
      .sort(
        (a, b) =>
          a.weekday - b.weekday ||
          a.startTime.localeCompare(b.startTime) ||
          a.endTime.localeCompare(b.endTime),
      )
      .map((s) => tx.create(OfferScheduleSlot, { offerId, ...s }));
    return { places, schedule };
  }

  /**
   * The offer locked for its Comune's staff (NOT_FOUND for anyone else; CONFLICT for a tutoring
   * programme's offer, which follows the programme).
   */
  private async lockForComune(tx: EntityManager, caller: Caller, id: string): Promise<Offer> {
    const row = await lockOffer(tx, id);
    if (!row || !isComuneStaff(caller, row.comuneId)) throw notFound();
    if (row.tutoringProgrammeId) throw programmeOffer();
    return row;
  }

  /**
   * The offer locked for its provider's ADMIN (NOT_FOUND for anyone else; CONFLICT for a tutoring
   * programme's offer, which follows the programme).
   */
  private async lockForProvider(tx: EntityManager, caller: Caller, id: string): Promise<Offer> {
    const row = await lockOffer(tx, id);
    if (!row || !isProviderAdmin(caller, row.providerId)) throw notFound();
    if (row.tutoringProgrammeId) throw programmeOffer();
    return row;
  }
}
