import { AuditLog } from '@welfare/kit/audit';
import type { CircuitCreateAuditAction } from '../circuit/circuit-create.service.js';
import type { DemurrageAuditAction } from '../demurrage/demurrage-run.service.js';
import type { EarningAuditAction } from '../earning/earning.service.js';
import type { ReserveAuditAction } from '../reserve/reserve.service.js';

/**
 * Actions written to the IES circuit's audit log (besides the kit's `TENANCY_REFUSED`). Each
 * module adds its own to this union.
 */
export type IesAuditAction =
  // members (ies-members)
  | 'IES_MEMBERSHIP_REQUESTED'
  | 'IES_MEMBER_ACCEPTED'
  | 'IES_MEMBER_REJECTED'
  | 'IES_MEMBER_SUSPENDED'
  | 'IES_CIRCUIT_RULES_CHANGED'
  // a new circuit (ies-create)
  | CircuitCreateAuditAction
  // earning rules, shifts, initiatives
  | EarningAuditAction
  // euro received, fee uses, conversions
  | ReserveAuditAction
  // the manual run of demurrage (ies-comune)
  | DemurrageAuditAction;

/**
 * The IES circuit's append-only, hash-chained audit log (the kit's, on `ies_circuit.audit_event`):
 * one instance for every module of the subgraph.
 * Its tenant, `organisation_id`, is the circuit's manager: whose staff oversee the event.
 */
export class AuditService extends AuditLog<IesAuditAction> {
  constructor() {
    super({ schema: 'ies_circuit', tenantColumn: 'organisation_id' });
  }
}
