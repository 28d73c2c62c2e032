import { DEFAULT_DOCUMENT_MAX_BYTES } from './config.js';
import { AuditService } from './modules/audit/audit.service.js';
import { AccreditationService } from './modules/accreditation/accreditation.service.js';
import { AccreditationRequirementService } from './modules/accreditation-requirement/accreditation-requirement.service.js';
import { AccreditationTariffService } from './modules/accreditation-requirement/accreditation-tariff.service.js';
import { CatalogueService } from './modules/catalogue/catalogue.service.js';
import { OfferService } from './modules/offer/offer.service.js';
import { CalendarService } from './modules/calendar/calendar.service.js';
import { OfferBookingPayableService } from './modules/offer-booking/offer-booking.payable.js';
import { OfferBookingService } from './modules/offer-booking/offer-booking.service.js';
import { TutoringAttendanceService } from './modules/tutoring-attendance/tutoring-attendance.service.js';
import { TutoringBookingService } from './modules/tutoring-booking/tutoring-booking.service.js';
import { TutoringEnrolmentService } from './modules/tutoring-enrolment/tutoring-enrolment.service.js';
import { TutoringExportService } from './modules/tutoring-export/tutoring-export.service.js';
import { TutoringLessonService } from './modules/tutoring-lesson/tutoring-lesson.service.js';
import { TutoringProgrammeService } from './modules/tutoring-programme/tutoring-programme.service.js';
import { TutoringReportService } from './modules/tutoring-report/tutoring-report.service.js';
import { TutoringRoomService } from './modules/tutoring-room/tutoring-room.service.js';
import { TutoringStatementService } from './modules/tutoring-statement/tutoring-statement.service.js';
import { TutoringTutorService } from './modules/tutoring-tutor/tutoring-tutor.service.js';
import { NotificationQueryService } from './modules/notification/notification-query.service.js';

export interface ServiceSettings {
  /** Largest accreditation document, in bytes. */
  maxDocumentBytes?: number;
  /** The clock of expiry dates and the history (tests pass a fixed one). */
  now?: () => Date;
  /** Catalogue searches kept until the catalogue changes (0: none; default 500). */
  catalogueCacheSize?: number;
  /** Time to pay a priced booking, in minutes (default 30). */
  bookingPayWithinMinutes?: number;
}

/**
 * Every service of the subgraph, wired once per process (they keep no per-request state; the
 * catalogue keeps a cache of results, checked against the database on every search).
 */
export function createServices(settings: ServiceSettings = {}) {
  const now = settings.now ?? (() => new Date());
  const audit = new AuditService();
  const requirements = new AccreditationRequirementService();
  const accreditations = new AccreditationService(
    settings.maxDocumentBytes ?? DEFAULT_DOCUMENT_MAX_BYTES,
    audit,
    now,
  );
  const tariffs = new AccreditationTariffService(audit);
  const offers = new OfferService(accreditations, audit, now, tariffs);
  const calendar = new CalendarService(now);
  const offerBookings = new OfferBookingService(
    offers,
    calendar,
    audit,
    now,
    settings.bookingPayWithinMinutes,
  );
  const payables = new OfferBookingPayableService(accreditations, now);
  const catalogue = new CatalogueService(now, settings.catalogueCacheSize);
  const tutoring = createTutoringServices(accreditations, now);
  return {
    audit,
    requirements,
    accreditations,
    offers,
    catalogue,
    tutoring,
    offerBookings,
    payables,
    calendar,
    tutoringStatements: new TutoringStatementService(),
    tariffs,
    notifications: new NotificationQueryService(),
  };
}

/**
 * The tutoring area's services, one per module (programmes, tutors, rooms, lessons, enrolments,
 * bookings, the attendance register, the hours report, the files), grouped under
 * `services.tutoring`.
 */
function createTutoringServices(accreditations: AccreditationService, now: () => Date) {
  const programmes = new TutoringProgrammeService(accreditations, now);
  const bookings = new TutoringBookingService(now);
  const reports = new TutoringReportService(programmes);
  return {
    programmes,
    tutors: new TutoringTutorService(programmes),
    rooms: new TutoringRoomService(),
    lessons: new TutoringLessonService(programmes, now),
    enrolments: new TutoringEnrolmentService(programmes, now),
    bookings,
    attendance: new TutoringAttendanceService(now),
    reports,
    exports: new TutoringExportService(reports, bookings, now),
  };
}

export type Services = ReturnType<typeof createServices>;
