import { AccreditationAnswer } from './modules/accreditation/accreditation-answer.entity.js';
import { AccreditationDocument } from './modules/accreditation/accreditation-document.entity.js';
import { AccreditationEvent } from './modules/accreditation/accreditation-event.entity.js';
import { AccreditationRequest } from './modules/accreditation/accreditation-request.entity.js';
import { AccreditationRequirement } from './modules/accreditation-requirement/accreditation-requirement.entity.js';
import { AccreditationTariff } from './modules/accreditation-requirement/accreditation-tariff.entity.js';
import { OfferPlace } from './modules/offer/offer-place.entity.js';
import { OfferScheduleSlot } from './modules/offer/offer-schedule-slot.entity.js';
import { Offer } from './modules/offer/offer.entity.js';
import { OfferBooking } from './modules/offer-booking/offer-booking.entity.js';
import { OfferBookingRefund } from './modules/offer-booking/offer-booking-refund.entity.js';
import { TutoringBooking } from './modules/tutoring-booking/tutoring-booking.entity.js';
import { TutoringEnrolment } from './modules/tutoring-enrolment/tutoring-enrolment.entity.js';
import { TutoringLesson } from './modules/tutoring-lesson/tutoring-lesson.entity.js';
import { TutoringProgramme } from './modules/tutoring-programme/tutoring-programme.entity.js';
import { TutoringRoom, TutoringRoomWindow } from './modules/tutoring-room/tutoring-room.entity.js';
import { TutoringTutor } from './modules/tutoring-tutor/tutoring-tutor.entity.js';
import { ComunePatronDay, ProviderClosure } from './modules/calendar/calendar.entity.js';

/** Every MikroORM entity of the third-sector subgraph. */
export const entities = [
  AccreditationRequirement,
  AccreditationRequest,
  AccreditationAnswer,
  AccreditationDocument,
  AccreditationEvent,
  Offer,
  OfferPlace,
  OfferScheduleSlot,
  OfferBooking,
  OfferBookingRefund,
  TutoringProgramme,
  TutoringTutor,
  TutoringRoom,
  TutoringRoomWindow,
  TutoringLesson,
  TutoringEnrolment,
  TutoringBooking,
  AccreditationTariff,
  ComunePatronDay,
  ProviderClosure,
];

/** The subgraph's PostgreSQL schema. */
export const DB_SCHEMA = 'third_sector';
