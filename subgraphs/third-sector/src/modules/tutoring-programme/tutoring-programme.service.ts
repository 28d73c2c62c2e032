import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller } from '@welfare/kit';
import type { AccreditationService } from '../accreditation/accreditation.service.js';
import {
  badId,
  isComuneStaff,
  isProviderAdmin,
  isUuid,
  requireComuneManager,
  requireComuneStaff,
  requirePerson,
} from '@welfare/kit/access';
import { isIsoDate, romeDay } from '@welfare/kit/dates';
import { canSeeProvider } from '../tutoring-shared/access.js';
import { cleanText } from '../tutoring-shared/values.js';
import { TutoringProgramme } from './tutoring-programme.entity.js';
import type { ProgrammeStatus } from './tutoring-programme.enums.js';
import {
  countPlannedLessonsOutside,
  findOpenProgrammes,
  findProgramme,
  findProgrammesOf,
  largestPlannedCapacity,
  lockProgramme,
} from './tutoring-programme.repository.js';

export interface ProgrammeInput {
  comuneId: string;
  providerId: string;
  title: string;
  description?: string | null;
  startsOn: string;
  endsOn: string;
  /** The budget of hours, in minutes (integer > 0). */
  budgetMinutes: number;
  /** Euro cents per hour of tutor time delivered (1 to 100,000); optional. */
  hourlyTariffCents?: number | null;
  groupSizeLimit?: number | null;
  cancellationNoticeHours?: number | null;
}

export interface ProgrammeUpdate {
  title: string;
  description?: string | null;
  startsOn: string;
  endsOn: string;
  budgetMinutes: number;
  /** Euro cents per hour (1 to 100,000); absent keeps the current tariff. */
  hourlyTariffCents?: number | null;
  groupSizeLimit?: number | null;
  cancellationNoticeHours?: number | null;
  status?: ProgrammeStatus | null;
}

/** The validated texts and limits of a programme. */
interface CleanProgramme {
  title: string;
  description: string;
  groupSizeLimit: number;
  cancellationNoticeHours: number;
  /** Null when not given. */
  hourlyTariffCents: number | null;
}

/**
 * The highest hourly tariff, in euro cents (1,000 euro per hour): a bound against typing errors
 * (cents typed as euro), not a legal figure. The tariff itself is the Comune's decision (its
 * agreement with the provider); there is no default.
 */
export const MAX_HOURLY_TARIFF_CENTS = 100_000;

export const programmeNotFound = () =>
  DomainError.notFound({
    it: 'Programma di tutoraggio non trovato.',
    en: 'Tutoring programme not found.',
  });

/** Checks every field of a programme, adding an error per invalid one; the clean values. */
function validateProgramme(
  input: ProgrammeUpdate | ProgrammeInput,
  errors: FieldErrors,
): CleanProgramme {
  const title = cleanText(input.title);
  const description = cleanText(input.description);
  if (title.length < 3 || title.length > 200) {
    errors.add(
      'title',
      'Il titolo va da 3 a 200 caratteri.',
      'The title takes 3 to 200 characters.',
    );
  }
  if (description.length > 4000) {
    errors.add(
      'description',
      'La descrizione supera 4000 caratteri.',
      'The description is over 4000 characters.',
    );
  }
  validatePeriod(input, errors);
  if (
    !Number.isInteger(input.budgetMinutes) ||
    input.budgetMinutes < 1 ||
    input.budgetMinutes > 6_000_000
  ) {
    errors.add(
      'budgetMinutes',
      'Il monte ore è un numero intero di minuti maggiore di zero (al massimo 100.000 ore).',
      'The budget is a whole number of minutes above zero (at most 100,000 hours).',
    );
  }
  const groupSizeLimit = input.groupSizeLimit ?? 3;
  if (!Number.isInteger(groupSizeLimit) || groupSizeLimit < 1 || groupSizeLimit > 10) {
    errors.add('groupSizeLimit', 'Il gruppo va da 1 a 10 alunni.', 'A group takes 1 to 10 pupils.');
  }
  const cancellationNoticeHours = input.cancellationNoticeHours ?? 24;
  if (
    !Number.isInteger(cancellationNoticeHours) ||
    cancellationNoticeHours < 0 ||
    cancellationNoticeHours > 720
  ) {
    errors.add(
      'cancellationNoticeHours',
      'Il preavviso va da 0 a 720 ore.',
      'The notice takes 0 to 720 hours.',
    );
  }
  const hourlyTariffCents = input.hourlyTariffCents ?? null;
  if (
    hourlyTariffCents !== null &&
    (!Number.isInteger(hourlyTariffCents) ||
      hourlyTariffCents < 1 ||
      hourlyTariffCents > MAX_HOURLY_TARIFF_CENTS)
  ) {
    errors.add(
      'hourlyTariffCents',
      'La tariffa oraria è un numero intero di centesimi da 1 a 100.000 (1.000 euro l’ora).',
      'The hourly tariff is a whole number of cents from 1 to 100,000 (1,000 euro per hour).',
    );
  }
  return { title, description, groupSizeLimit, cancellationNoticeHours, hourlyTariffCents };
}

/** Two real days, the end not before the start. */
function validatePeriod(input: { startsOn: string; endsOn: string }, errors: FieldErrors): void {
  const startsOk = isIsoDate(input.startsOn);
  const endsOk = isIsoDate(input.endsOn);
  if (!startsOk) errors.add('startsOn', 'Data di inizio non valida.', 'Invalid start date.');
  if (!endsOk) errors.add('endsOn', 'Data di fine non valida.', 'Invalid end date.');
  if (startsOk && endsOk && input.endsOn < input.startsOn) {
    errors.add(
      'endsOn',
      'La fine non può precedere l’inizio.',
      'The end cannot come before the start.',
    );
  }
}

/**
 * Tutoring programmes: funded by a Comune (its MANAGER creates and edits them) and run by a
 * provider the Comune accredits. Every change is one transaction under the programme's row lock;
 * the budget never falls below the minutes planned (also a CHECK in the database).
 */
export class TutoringProgrammeService {
  constructor(
    private readonly accreditations: AccreditationService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * The Comune's MANAGER creates a programme run by a provider the Comune accredits today.
   * BAD_USER_INPUT lists every invalid field (nothing written).
   */
  async create(
    em: EntityManager,
    caller: Caller,
    input: ProgrammeInput,
  ): Promise<TutoringProgramme> {
    const person = requireComuneManager(caller, input.comuneId);
    const errors = new FieldErrors();
    const clean = validateProgramme(input, errors);
    if (
      !isUuid(input.providerId) ||
      !(await this.accreditations.isAccredited(em, input.providerId, input.comuneId, this.now()))
    ) {
      errors.add(
        'providerId',
        'L’ente non è accreditato presso il Comune.',
        'The provider is not accredited with the Comune.',
      );
    }
    errors.throwIfAny();
    return em.fork().transactional(async (tx) => {
      const row = tx.create(TutoringProgramme, {
        comuneId: input.comuneId,
        providerId: input.providerId,
        title: clean.title,
        description: clean.description,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        budgetMinutes: input.budgetMinutes,
        hourlyTariffCents: clean.hourlyTariffCents,
        groupSizeLimit: clean.groupSizeLimit,
        cancellationNoticeHours: clean.cancellationNoticeHours,
        createdBy: person.personId,
      });
      await tx.flush();
      return row;
    });
  }

  /**
   * The Comune's MANAGER edits a programme. The budget cannot fall below the minutes already
   * planned, nor the group limit below a planned lesson's capacity.
   */
  async update(
    em: EntityManager,
    caller: Caller,
    id: string,
    input: ProgrammeUpdate,
  ): Promise<TutoringProgramme> {
    const person = requirePerson(caller);
    return em.fork().transactional(async (tx) => {
      const row = await lockProgramme(tx, id);
      if (!row || !isComuneStaff(person, row.comuneId)) throw programmeNotFound();
      requireComuneManager(person, row.comuneId);
      const errors = new FieldErrors();
      const clean = validateProgramme(input, errors);
      await this.checkAgainstPlannedLessons(tx, row, input, clean, errors);
      errors.throwIfAny();
      Object.assign(row, {
        title: clean.title,
        description: clean.description,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        budgetMinutes: input.budgetMinutes,
        hourlyTariffCents: clean.hourlyTariffCents ?? row.hourlyTariffCents,
        groupSizeLimit: clean.groupSizeLimit,
        cancellationNoticeHours: clean.cancellationNoticeHours,
        status: input.status ?? row.status,
        version: row.version + 1,
      });
      await tx.flush();
      return row;
    });
  }

  /** What the planned lessons forbid: a budget below them, a period or group limit excluding one. */
  private async checkAgainstPlannedLessons(
    tx: EntityManager,
    row: TutoringProgramme,
    input: ProgrammeUpdate,
    clean: CleanProgramme,
    errors: FieldErrors,
  ): Promise<void> {
    if (Number.isInteger(input.budgetMinutes) && input.budgetMinutes < row.plannedMinutes) {
      errors.add(
        'budgetMinutes',
        `Il monte ore non può scendere sotto le ore già programmate (${row.plannedMinutes / 60}).`,
        `The budget cannot fall below the hours already planned (${row.plannedMinutes / 60}).`,
      );
    }
    const biggest = await largestPlannedCapacity(tx, row.id);
    if (isIsoDate(input.startsOn) && isIsoDate(input.endsOn)) {
      const outside = await countPlannedLessonsOutside(tx, row.id, input.startsOn, input.endsOn);
      if (outside > 0) {
        errors.add(
          'endsOn',
          `Ci sono lezioni programmate fuori dal nuovo periodo (${outside}): annullarle prima.`,
          `Some planned lessons fall outside the new period (${outside}): cancel them first.`,
        );
      }
    }
    if (biggest && clean.groupSizeLimit < biggest) {
      errors.add(
        'groupSizeLimit',
        `Ci sono lezioni con ${biggest} posti.`,
        `Some lessons have ${biggest} seats.`,
      );
    }
  }

  /** A programme by id: public (citizens enrol). */
  async get(em: EntityManager, id: string): Promise<TutoringProgramme | null> {
    return findProgramme(em, id);
  }

  /** OPEN programmes not yet ended, of a Comune or all: public. */
  async open(em: EntityManager, comuneId: string | null): Promise<TutoringProgramme[]> {
    if (comuneId !== null && !isUuid(comuneId)) return [];
    return findOpenProgrammes(em, comuneId, romeDay(this.now()));
  }

  /** The programmes a Comune funds (its staff only: FORBIDDEN otherwise). */
  async forComune(
    em: EntityManager,
    caller: Caller,
    comuneId: string,
  ): Promise<TutoringProgramme[]> {
    requireComuneStaff(caller, comuneId);
    return findProgrammesOf(em, { comuneId });
  }

  /** The programmes a provider runs (its ADMIN and TUTOR members only: FORBIDDEN otherwise). */
  async forProvider(
    em: EntityManager,
    caller: Caller,
    providerId: string,
  ): Promise<TutoringProgramme[]> {
    requirePerson(caller);
    if (!isUuid(providerId)) throw badId('providerId');
    if (!canSeeProvider(caller, providerId)) throw DomainError.forbidden();
    return findProgrammesOf(em, { providerId });
  }

  /**
   * A programme for its provider's ADMIN: FORBIDDEN for the provider's TUTORs, NOT_FOUND for
   * anyone else (as when missing).
   */
  async forAdmin(
    em: EntityManager,
    caller: Caller,
    programmeId: string,
  ): Promise<TutoringProgramme> {
    const row = await findProgramme(em, programmeId);
    if (!row) throw programmeNotFound();
    if (!isProviderAdmin(caller, row.providerId)) {
      if (canSeeProvider(caller, row.providerId)) throw DomainError.forbidden();
      throw programmeNotFound();
    }
    return row;
  }
}
