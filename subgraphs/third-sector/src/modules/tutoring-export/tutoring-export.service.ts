import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '@welfare/kit';
import type { DownloadFile } from '@welfare/kit/http';
import type { TutoringBookingService } from '../tutoring-booking/tutoring-booking.service.js';
import type { TutoringReportService } from '../tutoring-report/tutoring-report.service.js';
import { buildCalendar } from './ical.js';
import { reportCsv, reportPdf } from './tutoring-report.files.js';

/** A file name from a title: letters, digits and dashes. */
function slug(title: string): string {
  return (
    title
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase()
      .slice(0, 60) || 'programma'
  );
}

/**
 * The tutoring files: a programme's hours report as CSV or PDF (the report's own access rules)
 * and a family's lessons as an iCalendar file.
 */
export class TutoringExportService {
  constructor(
    private readonly reports: TutoringReportService,
    private readonly bookings: TutoringBookingService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The hours report as a file (NOT_FOUND for anyone but its funder's staff and the ADMIN). */
  async reportFile(
    em: EntityManager,
    caller: Caller,
    programmeId: string,
    format: 'csv' | 'pdf',
    generatedAt: Date,
  ): Promise<DownloadFile> {
    const data = await this.reports.report(em, caller, programmeId);
    const name = `rendiconto-tutoraggio-${slug(data.programme.title)}`;
    if (format === 'csv') {
      return {
        contentType: 'text/csv; charset=utf-8',
        fileName: `${name}.csv`,
        content: Buffer.from(reportCsv(data), 'utf8'),
      };
    }
    return {
      contentType: 'application/pdf',
      fileName: `${name}.pdf`,
      content: await reportPdf(data, generatedAt),
    };
  }

  /** The family's seated and waitlisted lessons as an iCalendar file. */
  async familyCalendar(em: EntityManager, caller: Caller): Promise<string> {
    const rows = (await this.bookings.ofFamily(em, caller)).filter(
      (r) => r.booking.status !== 'CANCELLED' && r.lesson.status === 'PLANNED',
    );
    return buildCalendar({
      name: 'Tutoraggio – lezioni',
      stamp: this.now(),
      events: rows.map((r) => ({
        uid: `tutoring-booking-${r.booking.id}@welfare-territoriale`,
        start: r.lesson.startsAt,
        end: r.lesson.endsAt,
        summary: `${r.programme.title} – ${r.enrolment.firstName}${r.booking.status === 'WAITLISTED' ? ' (lista d’attesa)' : ''}`,
        location: `${r.room.name}, ${r.room.address}`,
        description: `Tutor: ${r.tutorName}`,
        status: r.booking.status === 'SEATED' ? ('CONFIRMED' as const) : ('TENTATIVE' as const),
      })),
    });
  }

  /** The family's calendar as a file. */
  async calendarFile(em: EntityManager, caller: Caller): Promise<DownloadFile> {
    return {
      contentType: 'text/calendar; charset=utf-8',
      fileName: 'lezioni-tutoraggio.ics',
      content: Buffer.from(await this.familyCalendar(em, caller), 'utf8'),
    };
  }
}
