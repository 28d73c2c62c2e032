// Words and small rules of the corporate-welfare claim pages (cw-claims), shared by the
// employee's and HR's pages.
import type { ApiEnum } from './api-enums';
import { enumLabel } from './enum-labels';

export type ClaimStatus = ApiEnum<'WelfareClaimStatus'>;
export type ClaimRelationship = ApiEnum<'WelfareClaimRelationship'>;
export type ClaimPurpose = ApiEnum<'WelfarePlanPurpose'>;

export const CLAIM_STATUSES: readonly ClaimStatus[] = ['SUBMITTED', 'APPROVED', 'REJECTED'];
export const CLAIM_RELATIONSHIPS: readonly ClaimRelationship[] = [
  'SELF',
  'SPOUSE',
  'CHILD',
  'PARENT',
  'SIBLING',
  'OTHER_RELATIVE',
];

export const claimStatusLabel = (status: ClaimStatus): string =>
  enumLabel('WelfareClaimStatus', status);
export const relationshipLabel = (relationship: ClaimRelationship): string =>
  enumLabel('WelfareClaimRelationship', relationship);
export const purposeLabel = (purpose: ClaimPurpose): string =>
  enumLabel('WelfarePlanPurpose', purpose);

/** The Bootstrap Italia badge colour of a status. */
export function claimStatusTone(status: ClaimStatus): 'secondary' | 'success' | 'danger' {
  return status === 'APPROVED' ? 'success' : status === 'REJECTED' ? 'danger' : 'secondary';
}

/** A status from a query string, or null (all). */
export function claimStatusParam(value: string | null): ClaimStatus | null {
  return CLAIM_STATUSES.find((s) => s === value) ?? null;
}

/** A month `YYYY-MM` from a query string, or null. */
export function monthParam(value: string | null): string | null {
  return value && /^\d{4}-(0[1-9]|1[0-2])$/.test(value) ? value : null;
}
