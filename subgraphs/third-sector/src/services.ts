import { DEFAULT_DOCUMENT_MAX_BYTES } from './config.js';
import { AccreditationService } from './modules/accreditation/accreditation.service.js';
import { RequirementService } from './modules/accreditation/requirement.service.js';
import { CatalogueService } from './modules/catalogue/catalogue.service.js';
import { OfferService } from './modules/offer/offer.service.js';
import { OfferBookingService } from './modules/offer-booking/offer-booking.service.js';
import { TutoringService } from './modules/tutoring/tutoring.service.js';

export interface ServiceSettings {
  /** Largest accreditation document, in bytes. */
  maxDocumentBytes?: number;
  /** The clock of expiry dates and the history (tests pass a fixed one). */
  now?: () => Date;
  /** Catalogue searches kept until the catalogue changes (0: none; default 500). */
  catalogueCacheSize?: number;
}

/**
 * Every service of the subgraph, wired once per process (they keep no per-request state; the
 * catalogue keeps a cache of results, checked against the database on every search).
 */
export function createServices(settings: ServiceSettings = {}) {
  const now = settings.now ?? (() => new Date());
  const requirements = new RequirementService();
  const accreditations = new AccreditationService(
    settings.maxDocumentBytes ?? DEFAULT_DOCUMENT_MAX_BYTES,
    now,
  );
  const offers = new OfferService(accreditations, now);
  const offerBookings = new OfferBookingService(offers, now);
  const catalogue = new CatalogueService(offers, now, settings.catalogueCacheSize);
  const tutoring = new TutoringService(accreditations, now);
  return { requirements, accreditations, offers, catalogue, tutoring, offerBookings };
}

export type Services = ReturnType<typeof createServices>;
