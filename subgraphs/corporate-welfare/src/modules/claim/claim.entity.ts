import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { REIMBURSABLE_PURPOSES } from '../plan/plan.entity.js';

/** A claim's life: SUBMITTED (in HR's queue), APPROVED (credit moved to payroll), REJECTED. */
export const CLAIM_STATUSES = ['SUBMITTED', 'APPROVED', 'REJECTED'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** What a claim may be for: the reimbursable purposes (d-bis, f-bis, f-ter). */
export type ClaimPurpose = (typeof REIMBURSABLE_PURPOSES)[number];

/**
 * Who used the service, as a family member of the employee (art. 12 TUIR, as rewritten by
 * D.Lgs. 192/2025): the employee, the spouse (or civil partner), a child, a parent, a brother or
 * sister, another relative of art. 433 c.c. The rules of each purpose are in `claim.rules.ts`.
 */
export const CLAIM_RELATIONSHIPS = [
  'SELF',
  'SPOUSE',
  'CHILD',
  'PARENT',
  'SIBLING',
  'OTHER_RELATIVE',
] as const;
export type ClaimRelationship = (typeof CLAIM_RELATIONSHIPS)[number];

/**
 * An employee's reimbursement claim on one of their plans: a documented expense (with receipts)
 * of an allowed purpose, for a family member, decided by the employer's HR. The approved amount
 * moves from the employee's credit to the plan's payroll account (`transferId`) and joins the
 * month's payroll export.
 */
@Entity({ tableName: 'claim' })
export class Claim {
  [OptionalProps]?: 'status' | 'createdAt' | 'updatedAt' | 'version' | 'beneficiaryDependent';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The employer (identity Organisation id): the claim's tenant. */
  @Property({ type: 'uuid' })
  employerId!: string;

  @Property({ type: 'uuid' })
  planId!: string;

  @Property({ type: 'uuid' })
  employeeId!: string;

  @Property({ type: 'text' })
  purpose!: ClaimPurpose;

  /** The family member who used the service (the document names them). */
  @Property({ type: 'text' })
  beneficiaryName!: string;

  @Property({ type: 'text' })
  beneficiaryFiscalCode!: string;

  @Property({ type: 'text' })
  relationship!: ClaimRelationship;

  /** For care of an elderly relative (f-ter): the birth date (75 or over at the expense). */
  @Property({ type: 'date', nullable: true })
  beneficiaryBirthDate?: string | null;

  /** For f-ter: the relative is not self-sufficient (by medical certificate), whatever the age. */
  @Property({ type: 'boolean' })
  beneficiaryDependent = false;

  @Property({ type: 'date' })
  expenseDate!: string;

  @Property({ type: 'text' })
  description!: string;

  @Property({ type: 'bigint', runtimeType: 'number' })
  amountCents!: number;

  @Property({ type: 'text' })
  status: ClaimStatus = 'SUBMITTED';

  @Property({ type: 'text', nullable: true })
  rejectionReason?: string | null;

  @Property({ type: 'uuid', nullable: true })
  decidedBy?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  decidedAt?: Date | null;

  /** The book transfer of an approved claim (deterministic from the claim's id). */
  @Property({ type: 'uuid', nullable: true })
  transferId?: string | null;

  /** The person who filed it (the employee, logged in with SPID/CIE). */
  @Property({ type: 'uuid' })
  filedBy!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Property({ type: 'int' })
  version = 1;
}

/** A receipt of a claim (PDF, JPEG or PNG, recognised by its first bytes). */
@Entity({ tableName: 'claim_receipt' })
export class ClaimReceipt {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  claimId!: string;

  /** The receipt's place among the claim's, in the order they were uploaded (0, 1, ...). */
  @Property({ type: 'smallint' })
  position!: number;

  @Property({ type: 'text' })
  fileName!: string;

  @Property({ type: 'text' })
  contentType!: string;

  @Property({ type: 'int' })
  sizeBytes!: number;

  @Property({ type: 'text' })
  sha256!: string;

  @Property({ type: 'blob', lazy: true })
  content!: Buffer;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
