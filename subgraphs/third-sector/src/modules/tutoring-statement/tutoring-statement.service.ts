import type { EntityManager } from '@mikro-orm/postgresql';
import type { DeliveredLesson } from '@welfare/kit/contracts';
import { minutesBetween } from '../tutoring-shared/values.js';
import { findDeliveredLessons } from './tutoring-statement.repository.js';

/**
 * The source of tutoring statements: the hours the attendance register says were delivered, for
 * the funding Comune's reimbursement batches (public-welfare asks through the reimbursement
 * contract, `@welfare/kit/contracts`). A lesson counts once it is held (PLANNED, with at least one
 * pupil PRESENT, as in the hours report): its whole length is tutor time delivered. Nothing is
 * written here: public-welfare records which lessons a batch paid (one row per lesson), so the
 * same hours are never paid twice and a lesson whose attendance is marked later comes in the next
 * batch. A lesson's attendance changed after it was paid changes nothing already paid.
 */
export class TutoringStatementService {
  /** The held lessons of the Comune's programmes ended by the end of `upTo` (Italian day). */
  async deliveredLessons(
    em: EntityManager,
    comuneId: string,
    upTo: string,
  ): Promise<DeliveredLesson[]> {
    const rows = await findDeliveredLessons(em, comuneId.toLowerCase(), upTo);
    return rows.map((r) => ({
      lessonId: r.lesson_id,
      programmeId: r.programme_id,
      programmeTitle: r.programme_title,
      providerId: r.provider_id,
      day: r.day,
      minutes: minutesBetween(new Date(r.starts_at), new Date(r.ends_at)),
      hourlyTariffCents: r.hourly_tariff_cents === null ? null : Number(r.hourly_tariff_cents),
    }));
  }
}
