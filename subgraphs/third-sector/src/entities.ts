import { AccreditationAnswer } from './modules/accreditation/accreditation-answer.entity.js';
import { AccreditationDocument } from './modules/accreditation/accreditation-document.entity.js';
import { AccreditationEvent } from './modules/accreditation/accreditation-event.entity.js';
import { AccreditationRequest } from './modules/accreditation/accreditation-request.entity.js';
import { AccreditationRequirement } from './modules/accreditation/accreditation-requirement.entity.js';
import { OfferPlace } from './modules/offer/offer-place.entity.js';
import { OfferScheduleSlot } from './modules/offer/offer-schedule-slot.entity.js';
import { Offer } from './modules/offer/offer.entity.js';
import { OfferBooking } from './modules/offer-booking/offer-booking.entity.js';
import { tutoringEntities } from './modules/tutoring/tutoring.entities.js';

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
  ...tutoringEntities,
];

/** The subgraph's PostgreSQL schema. */
export const DB_SCHEMA = 'third_sector';
