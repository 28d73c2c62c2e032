import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller, type Localized } from '@welfare/kit';
import { isUuid, requireComuneManager, requireProviderAdmin } from '@welfare/kit/access';
import { addDays, isIsoDate, isoWeekday, romeDay } from '@welfare/kit/dates';
import { OfferScheduleSlot } from '../offer/offer-schedule-slot.entity.js';
import { ComunePatronDay, ProviderClosure } from './calendar.entity.js';
import { nationalHoliday } from './holidays.js';

/** Limits shared by the service and the migration's CHECKs. */
export const CALENDAR_LIMITS = {
  nameMin: 3,
  nameMax: 120,
  sourceMax: 500,
  reasonMin: 3,
  reasonMax: 500,
  /** The longest closure, in days. */
  closureDaysMax: 366,
} as const;

/** The offer a day is checked for. */
export interface CalendarOffer {
  id: string;
  providerId: string;
  comuneId: string;
}

/** Why a day cannot be booked (null: it can). */
export type DayRefusal = Localized | null;

/** What a Comune's MANAGER sets. */
export interface PatronDayData {
  month: number;
  day: number;
  name: string;
  source?: string | null;
}

/** What a provider's ADMIN declares. */
export interface ClosureData {
  startsOn: string;
  endsOn: string;
  reason: string;
}

const trim = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

/** The weekdays of the offer's schedule (1 Monday … 7 Sunday); empty when it has no slots. */
async function scheduleWeekdays(em: EntityManager, offerId: string): Promise<Set<number>> {
  const slots = await em.find(OfferScheduleSlot, { offerId }, { fields: ['weekday'] });
  return new Set(slots.map((s) => s.weekday));
}

/**
 * The booking calendar: which days an offer can be booked. A day is refused when it is a national
 * holiday (see holidays.ts and its sources), the patron saint day of the offer's Comune (set by
 * the Comune's MANAGER), inside a closure its provider declared (its ADMIN), or not a weekday of
 * the offer's weekly schedule (an offer with no slot, "su appuntamento", runs any weekday).
 */
export class CalendarService {
  constructor(private readonly now: () => Date = () => new Date()) {}

  // ---- reads --------------------------------------------------------------------------------

  /** The Comune's patron saint day, or null (public). */
  patronDay(em: EntityManager, comuneId: string): Promise<ComunePatronDay | null> {
    return isUuid(comuneId) ? em.findOne(ComunePatronDay, { comuneId }) : Promise.resolve(null);
  }

  /** The provider's closures ending today or later, earliest first (public: shown to citizens). */
  closures(em: EntityManager, providerId: string): Promise<ProviderClosure[]> {
    if (!isUuid(providerId)) return Promise.resolve([]);
    return em.find(
      ProviderClosure,
      { providerId, endsOn: { $gte: romeDay(this.now()) } },
      { orderBy: { startsOn: 'asc', id: 'asc' } },
    );
  }

  /** Why `day` cannot be booked for the offer, or null when it can. */
  async refusal(em: EntityManager, offer: CalendarOffer, day: string): Promise<DayRefusal> {
    const rule = await this.rules(em, offer, day, day);
    return rule(day);
  }

  /**
   * The next `count` days from `from` (inclusive) the offer can be booked, within `horizonDays`.
   */
  async allowedDays(
    em: EntityManager,
    offer: CalendarOffer,
    from: string,
    count: number,
    horizonDays: number,
  ): Promise<string[]> {
    const last = addDays(from, horizonDays);
    const rule = await this.rules(em, offer, from, last);
    const days: string[] = [];
    for (let day = from; day <= last && days.length < count; day = addDays(day, 1))
      if (rule(day) === null) days.push(day);
    return days;
  }

  /** The rule for days from `from` to `to`: one read of the schedule, patron day and closures. */
  private async rules(
    em: EntityManager,
    offer: CalendarOffer,
    from: string,
    to: string,
  ): Promise<(day: string) => DayRefusal> {
    const [weekdays, patron, closures] = await Promise.all([
      scheduleWeekdays(em, offer.id),
      em.findOne(ComunePatronDay, { comuneId: offer.comuneId }),
      em.find(ProviderClosure, {
        providerId: offer.providerId,
        startsOn: { $lte: to },
        endsOn: { $gte: from },
      }),
    ]);
    const patronMd = patron
      ? `${String(patron.month).padStart(2, '0')}-${String(patron.day).padStart(2, '0')}`
      : null;
    return (day: string): DayRefusal => {
      const holiday = nationalHoliday(day);
      if (holiday)
        return {
          it: `Il ${day} è festa nazionale (${holiday.it}): scegli un altro giorno.`,
          en: `${day} is a national holiday (${holiday.en}): choose another day.`,
        };
      if (patronMd !== null && day.slice(5) === patronMd)
        return {
          it: `Il ${day} è la festa del santo patrono (${patron!.name}): scegli un altro giorno.`,
          en: `${day} is the patron saint’s day (${patron!.name}): choose another day.`,
        };
      const closure = closures.find((c) => c.startsOn <= day && day <= c.endsOn);
      if (closure)
        return {
          it: `L’ente è chiuso il ${day} (${closure.reason}): scegli un altro giorno.`,
          en: `The provider is closed on ${day} (${closure.reason}): choose another day.`,
        };
      if (weekdays.size > 0 && !weekdays.has(isoWeekday(day)))
        return {
          it: `Il servizio non si svolge il ${day}: scegli un giorno del suo calendario.`,
          en: `The service does not run on ${day}: choose a day of its schedule.`,
        };
      return null;
    };
  }

  // ---- writes -------------------------------------------------------------------------------

  /**
   * Sets (or replaces) the Comune's patron saint day: its MANAGER only (FORBIDDEN otherwise).
   * BAD_USER_INPUT lists every invalid field, nothing written.
   */
  async setPatronDay(
    em: EntityManager,
    caller: Caller,
    comuneId: string,
    input: PatronDayData,
  ): Promise<ComunePatronDay> {
    const person = requireComuneManager(caller, comuneId);
    const errors = new FieldErrors();
    const month = input.month;
    const day = input.day;
    // 2023 is not a leap year: 29 February is refused (it would be skipped three years in four).
    const probe = new Date(Date.UTC(2023, month - 1, day));
    if (
      !Number.isInteger(month) ||
      !Number.isInteger(day) ||
      probe.getUTCMonth() !== month - 1 ||
      probe.getUTCDate() !== day
    )
      errors.add('day', 'Giorno e mese non validi.', 'Invalid day and month.');
    const name = trim(input.name);
    if ([...name].length < CALENDAR_LIMITS.nameMin || [...name].length > CALENDAR_LIMITS.nameMax)
      errors.add(
        'name',
        'Indica il santo patrono (da 3 a 120 caratteri).',
        'Give the patron saint (3 to 120 characters).',
      );
    const source = trim(input.source) || null;
    if (source !== null && [...source].length > CALENDAR_LIMITS.sourceMax)
      errors.add(
        'source',
        'Fonte troppo lunga (al massimo 500 caratteri).',
        'Source too long (500 characters at most).',
      );
    errors.throwIfAny();
    return em.transactional(async (tx) => {
      const row =
        (await tx.findOne(ComunePatronDay, { comuneId })) ??
        tx.create(ComunePatronDay, { comuneId, month, day, name, source, setBy: person.personId });
      Object.assign(row, { month, day, name, source, setBy: person.personId });
      await tx.flush();
      return row;
    });
  }

  /**
   * Removes the Comune's patron saint day (its MANAGER only: FORBIDDEN otherwise): true when one
   * was set, false when none was.
   */
  async removePatronDay(em: EntityManager, caller: Caller, comuneId: string): Promise<boolean> {
    requireComuneManager(caller, comuneId);
    const removed = await em.nativeDelete(ComunePatronDay, { comuneId });
    return removed > 0;
  }

  /**
   * Declares days the provider is closed (its ADMIN only: FORBIDDEN otherwise): from today on,
   * at most a year long, with a reason. BAD_USER_INPUT lists every invalid field, nothing written.
   */
  async declareClosure(
    em: EntityManager,
    caller: Caller,
    providerId: string,
    input: ClosureData,
  ): Promise<ProviderClosure> {
    const person = requireProviderAdmin(caller, providerId);
    const errors = new FieldErrors();
    const today = romeDay(this.now());
    const startsOn = trim(input.startsOn);
    const endsOn = trim(input.endsOn);
    if (!isIsoDate(startsOn))
      errors.add('startsOn', 'Data non valida (AAAA-MM-GG).', 'Invalid date (YYYY-MM-DD).');
    else if (startsOn < today)
      errors.add(
        'startsOn',
        'La chiusura non può iniziare nel passato.',
        'A closure cannot start in the past.',
      );
    if (!isIsoDate(endsOn))
      errors.add('endsOn', 'Data non valida (AAAA-MM-GG).', 'Invalid date (YYYY-MM-DD).');
    else if (isIsoDate(startsOn) && endsOn < startsOn)
      errors.add(
        'endsOn',
        'La fine non può precedere l’inizio.',
        'The end cannot come before the start.',
      );
    else if (isIsoDate(startsOn) && endsOn > addDays(startsOn, CALENDAR_LIMITS.closureDaysMax - 1))
      errors.add(
        'endsOn',
        'Una chiusura dura al massimo un anno.',
        'A closure lasts a year at most.',
      );
    const reason = trim(input.reason);
    if (
      [...reason].length < CALENDAR_LIMITS.reasonMin ||
      [...reason].length > CALENDAR_LIMITS.reasonMax
    )
      errors.add(
        'reason',
        'Indica il motivo (da 3 a 500 caratteri).',
        'Give the reason (3 to 500 characters).',
      );
    errors.throwIfAny();
    const row = em.create(ProviderClosure, {
      providerId,
      startsOn,
      endsOn,
      reason,
      createdBy: person.personId,
    });
    await em.flush();
    return row;
  }

  /** Removes one of the provider's closures (its ADMIN only; NOT_FOUND for another's). */
  async removeClosure(em: EntityManager, caller: Caller, id: string): Promise<boolean> {
    if (!isUuid(id)) throw DomainError.notFound();
    const row = await em.findOne(ProviderClosure, { id });
    if (!row) throw DomainError.notFound();
    requireProviderAdmin(caller, row.providerId);
    await em.removeAndFlush(row);
    return true;
  }
}
