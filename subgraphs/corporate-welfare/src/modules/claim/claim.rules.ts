import type { ClaimPurpose, ClaimRelationship } from './claim.entity.js';

/*
 * Who may have used a reimbursed service, per purpose (art. 51 c.2 TUIR; family members per
 * art. 12 TUIR as rewritten by D.Lgs. 192/2025, see ../shared/docs/DOMAIN.md). Kept simple on
 * purpose; HR checks the receipts, which name who used the service:
 * - PUBLIC_TRANSPORT (d-bis): the employee or a family member of art. 12 (any relationship);
 * - EDUCATION_CHILDCARE (f-bis): a child;
 * - ELDERLY_CARE (f-ter): a relative (never the employee) who was 75 or over on the expense's day
 *   (birth date required) or is not self-sufficient (declared, by medical certificate).
 */
export const RELATIONSHIPS_OF: Readonly<Record<ClaimPurpose, readonly ClaimRelationship[]>> = {
  PUBLIC_TRANSPORT: ['SELF', 'SPOUSE', 'CHILD', 'PARENT', 'SIBLING', 'OTHER_RELATIVE'],
  EDUCATION_CHILDCARE: ['CHILD'],
  ELDERLY_CARE: ['SPOUSE', 'CHILD', 'PARENT', 'SIBLING', 'OTHER_RELATIVE'],
};

/** The age from which f-ter calls a relative elderly ("anziano": 75 or over). */
export const ELDERLY_AGE = 75;

/** Whole years between a birth date and a day (both `YYYY-MM-DD`). */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** The most receipts one claim carries. */
export const MAX_RECEIPTS = 5;

/** Euro for a message: 1.234,56 €. */
export function euro(cents: number): string {
  return `${new Intl.NumberFormat('it-IT', { minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: true }).format(cents / 100)} €`;
}
