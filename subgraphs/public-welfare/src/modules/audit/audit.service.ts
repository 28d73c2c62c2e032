import { AuditLog } from '@welfare/kit/audit';

/** Actions written to the audit log (besides the kit's `TENANCY_REFUSED`). */
export type AuditAction =
  | 'READ_INCOME'
  | 'SEARCH_INCOME'
  | 'EXPORT_HOUSEHOLDS'
  | 'IMPORT_REGISTRY'
  | 'IMPORT_INCOME'
  | 'EDIT_CAMPAIGN'
  | 'PUBLISH_CAMPAIGN'
  | 'CLOSE_CAMPAIGN'
  | 'SET_BUDGET'
  | 'RANK_CAMPAIGN'
  | 'EXPORT_RANKING'
  | 'READ_CASE'
  | 'SEARCH_CASES'
  | 'READ_DOCUMENT'
  | 'ISSUE_CARDS'
  | 'READ_CARD'
  | 'SEARCH_CARDS'
  | 'BLOCK_CARD'
  | 'UNBLOCK_CARD'
  | 'REPLACE_CARD'
  | 'PIN_LOCK'
  | 'PAYMENT'
  | 'VOID_PAYMENT'
  | 'TOP_UP'
  | 'SWEEP'
  | 'DECIDE_SHOP'
  | 'READ_HOUSEHOLD_NOTES'
  | 'ADD_HOUSEHOLD_NOTE'
  | 'ADD_HOUSEHOLD_ATTACHMENT'
  | 'READ_HOUSEHOLD_ATTACHMENT'
  | 'IMPORT_BENEFICIARIES'
  | 'CORRECT_BENEFICIARY'
  | 'SET_DECISION_POLICY'
  | 'CONFIRM_DECISION'
  | 'RETURN_DECISION'
  | 'REVOKE_BENEFIT';

/**
 * The subgraph's append-only, hash-chained audit log: the kit's (`@welfare/kit/audit`) on
 * `public_welfare.audit_event`, whose tenant is the Comune (`comune_id`, never NULL here).
 * Appending takes no lock (the row is unsealed); the kit's sealer chains the rows in `seq` order.
 * The database refuses UPDATE (but a row's one seal), DELETE and TRUNCATE; the service appends,
 * seals, reads and verifies.
 */
export class AuditService extends AuditLog<AuditAction> {
  constructor() {
    super({ schema: 'public_welfare', tenantColumn: 'comune_id' });
  }
}
