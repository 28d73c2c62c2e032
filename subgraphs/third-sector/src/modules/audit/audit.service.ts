import { AuditLog } from '@welfare/kit/audit';

/** Actions written to the third sector's audit log (besides the kit's `TENANCY_REFUSED`). */
export type ThirdSectorAuditAction =
  | 'ACCREDIT_PROVIDER'
  | 'REJECT_ACCREDITATION'
  | 'SUSPEND_ACCREDITATION'
  | 'REINSTATE_ACCREDITATION'
  | 'CREATE_OFFER'
  | 'EDIT_OFFER'
  | 'PUBLISH_OFFER'
  | 'WITHDRAW_OFFER'
  | 'SET_OFFER_TARIFF'
  | 'COMUNE_WITHDRAW_OFFER'
  | 'REQUEST_OFFER_REPUBLICATION'
  | 'REINSTATE_OFFER'
  | 'CANCEL_OFFER_BOOKING';

/**
 * The third sector's append-only, hash-chained audit log (the kit's, on
 * `third_sector.audit_event`). Its tenant, `organisation_id`, is the Comune whose staff oversee
 * the event: the Comune of the accreditation or of the offer.
 */
export class AuditService extends AuditLog<ThirdSectorAuditAction> {
  constructor() {
    super({ schema: 'third_sector', tenantColumn: 'organisation_id' });
  }
}
