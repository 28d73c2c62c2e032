import { Book, deterministicId, type AccountOwner } from '@welfare/kit/book';

/*
 * The ledger: this subgraph's access to its book, below every money module (plan funding, employee
 * credit, catalogue payments through the fund contract, reimbursement claims, the plan's end). It
 * imports no other module: they depend on it, never the other way round.
 *
 * The accounts of a plan:
 * - `employer:<e>:issuer` (ISSUER, may go negative): the euro the employer put into its plans; its
 *   negative balance is what the employer funded, less what came back.
 * - `plan:<p>:pool` (FUND): the plan's funded money not credited to an employee (yet, or any more).
 * - `plan:<p>:employee:<emp>` (HOLDER): an employee's credit. Never paid out as cash.
 * - `plan:<p>:provider:<org>` (PROVIDER, hot): what the employer owes a catalogue provider for
 *   services in kind paid with the credit.
 * - `plan:<p>:payroll` (PAYROLL, hot): approved reimbursements of documented expenses and fringe
 *   benefits, paid to employees through payroll (the monthly export).
 */

/** The subgraph's book (the kit's tables in this schema). Only the kit's API touches them. */
export const book = new Book('corporate_welfare');

/** Transfer codes of this subgraph's book. */
export const TransferCode = {
  /** The employer puts money into a plan (issuer to pool). */
  FUNDING: 'FUNDING',
  /** The pool credits an employee (pool to employee), at the plan's start or on enrolment. */
  CREDIT: 'CREDIT',
  /** Credit taken back to the pool (a leaver, a correction). */
  CREDIT_REVERSAL: 'CREDIT_REVERSAL',
  /** A catalogue service paid with the credit through the fund contract (hold, then post or void). */
  SERVICE_PAYMENT: 'SERVICE_PAYMENT',
  /** Part or all of a captured service payment given back to the employee. */
  SERVICE_REFUND: 'SERVICE_REFUND',
  /** An approved reimbursement claim (employee to payroll). */
  REIMBURSEMENT: 'REIMBURSEMENT',
  /** A fringe benefit granted from the credit (employee to payroll). */
  FRINGE_BENEFIT: 'FRINGE_BENEFIT',
  /** A performance bonus converted into credit (issuer to employee, through the pool). */
  BONUS_CONVERSION: 'BONUS_CONVERSION',
  /** Unspent credit at the plan's end back to the employer (pool to issuer). */
  PLAN_END_RETURN: 'PLAN_END_RETURN',
  /** Unspent credit at the plan's end carried over to the employee's credit in the next plan. */
  PLAN_END_CARRY_OVER: 'PLAN_END_CARRY_OVER',
} as const;

/** A deterministic uuid from the parts (the kit's; re-exported for this subgraph's modules). */
export { deterministicId };

/** The owners of this book's accounts (the indexed owner columns the book's reads select by). */
export const owners = {
  employer: (employerId: string): AccountOwner => ({ kind: 'employer', id: employerId }),
  plan: (planId: string): AccountOwner => ({ kind: 'plan', id: planId }),
  employee: (employeeId: string, planId: string): AccountOwner => ({
    kind: 'employee',
    id: employeeId,
    scopeId: planId,
  }),
  provider: (providerId: string, planId: string): AccountOwner => ({
    kind: 'provider',
    id: providerId,
    scopeId: planId,
  }),
};

/** The account codes (unique in the book). */
export const accountCodes = {
  issuer: (employerId: string) => `employer:${employerId}:issuer`,
  pool: (planId: string) => `plan:${planId}:pool`,
  employee: (planId: string, employeeId: string) => `plan:${planId}:employee:${employeeId}`,
  provider: (planId: string, providerId: string) => `plan:${planId}:provider:${providerId}`,
  payroll: (planId: string) => `plan:${planId}:payroll`,
};

/** The account kinds. */
export const AccountKind = {
  ISSUER: 'ISSUER',
  FUND: 'FUND',
  HOLDER: 'HOLDER',
  PROVIDER: 'PROVIDER',
  PAYROLL: 'PAYROLL',
} as const;
