import { PiiCipher } from '@welfare/kit';
import { AuditService } from './modules/audit/audit.service.js';
import { HouseholdService } from './modules/household/household.service.js';
import { ImportService } from './modules/imports/import.service.js';
import { SegmentService } from './modules/segment/segment.service.js';
import { MessageService } from './modules/messages/message.service.js';

/** HKDF domain of this subgraph's personal-data keys (see the kit's `PiiCipher`). */
export const PII_DOMAIN = 'welfare-public-welfare';

export interface ServiceSettings {
  /** 32 bytes. */
  piiKey: Buffer;
}

/** Every service of the subgraph, wired once per process (they keep no per-request state). */
export function createServices(settings: ServiceSettings) {
  const pii = new PiiCipher(settings.piiKey, PII_DOMAIN);
  const audit = new AuditService();
  const households = new HouseholdService(pii, audit);
  const imports = new ImportService(pii, audit);
  const segments = new SegmentService(audit);
  const messages = new MessageService();
  return { pii, audit, households, imports, segments, messages };
}

export type Services = ReturnType<typeof createServices>;
