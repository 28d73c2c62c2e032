import { DEFAULT_DOCUMENT_MAX_BYTES } from './config.js';
import { AccreditationService } from './modules/accreditation/accreditation.service.js';
import { RequirementService } from './modules/accreditation/requirement.service.js';

export interface ServiceSettings {
  /** Largest accreditation document, in bytes. */
  maxDocumentBytes?: number;
  /** The clock of expiry dates and the history (tests pass a fixed one). */
  now?: () => Date;
}

/** Every service of the subgraph, wired once per process (they keep no per-request state). */
export function createServices(settings: ServiceSettings = {}) {
  const now = settings.now ?? (() => new Date());
  const requirements = new RequirementService();
  const accreditations = new AccreditationService(
    settings.maxDocumentBytes ?? DEFAULT_DOCUMENT_MAX_BYTES,
    now,
  );
  return { requirements, accreditations };
}

export type Services = ReturnType<typeof createServices>;
