import { randomUUID } from 'node:crypto';
import { BigIntType, Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { CheckResult, HouseholdFacts } from '../campaign/rules.js';
import {
  APPLICATION_ORIGINS,
  APPLICATION_STATUSES,
  type ApplicationOrigin,
  type ApplicationStatus,
} from './application.enums.js';

/** What the applicant fills in (stored as JSON). */
export interface ApplicationAnswers {
  email: string | null;
  phone: string | null;
  /** Free text for the Comune (max 2,000 characters). */
  notes: string | null;
  /** Codes of the declarations accepted. */
  acceptedDeclarations: string[];
}

/**
 * An application (domanda) of a household to a campaign. The applicant is found by codice
 * fiscale (keyed hash and ciphertext, like the registry). One live application per household
 * and campaign is a unique index in the database; so is one draft per applicant and campaign.
 */
@Entity({ tableName: 'application' })
export class Application {
  [OptionalProps]?:
    'status' | 'createdAt' | 'updatedAt' | 'version' | 'checks' | 'onBehalf' | 'origin';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  campaignId!: string;

  @Property({ type: 'uuid' })
  comuneId!: string;

  @Enum({ items: [...APPLICATION_STATUSES], type: 'text' })
  status: ApplicationStatus = 'DRAFT';

  /** The applicant's codice fiscale: keyed hash (lookups) and ciphertext. */
  @Property({ type: 'text' })
  applicantFiscalCodeHash!: string;

  @Property({ type: 'text' })
  applicantFiscalCodeCipher!: string;

  /** The identity Person who filled it in (the citizen, or the operator on their behalf). */
  @Property({ type: 'uuid' })
  createdBy!: string;

  /** True when an operator applied on the citizen's behalf. */
  @Property({ type: 'boolean' })
  onBehalf: boolean = false;

  /** The applicant's household in the registry (null when not found). */
  @Property({ type: 'uuid', nullable: true })
  householdId: string | null = null;

  @Property({ type: 'jsonb' })
  answers!: ApplicationAnswers;

  /** The household's facts when the application was submitted (checks, amount, ranking). */
  @Property({ type: 'jsonb', nullable: true })
  facts: HouseholdFacts | null = null;

  /** The automatic checks run at the last submission. */
  @Property({ type: 'jsonb' })
  checks: CheckResult[] = [];

  /** Protocol number (e.g. `2026/000123`), unique per Comune; set at submission. */
  @Property({ type: 'text', nullable: true })
  protocolNumber: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  submittedAt: Date | null = null;

  /** Entitlement in cents, computed at submission from the campaign's schedule. */
  @Property({ type: new BigIntType('number'), nullable: true })
  amountCents: number | null = null;

  /** Place in the last ranking (1 = first). */
  @Property({ type: 'int', nullable: true })
  rank: number | null = null;

  /** The operator the case is assigned to. */
  @Property({ type: 'uuid', nullable: true })
  assignedTo: string | null = null;

  /** The date by which the Comune should decide. */
  @Property({ type: 'date', nullable: true })
  dueBy: string | null = null;

  /** The reason of the last decision or integration request. */
  @Property({ type: 'text', nullable: true })
  decisionReason: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null = null;

  @Property({ type: 'uuid', nullable: true })
  decidedBy: string | null = null;

  /**
   * The privacy notice for citizens acknowledged with this application: its version (the date of
   * its text), who acknowledged it (the citizen, or the operator applying on their behalf) and
   * when. Null only on applications saved before acknowledgements were recorded.
   */
  @Property({ type: 'text', nullable: true })
  privacyNoticeVersion: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  privacyNoticeAcknowledgedBy: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  privacyNoticeAcknowledgedAt: Date | null = null;

  /**
   * PORTAL, or DIRECT_LIST: imported from a list of beneficiaries decided outside the platform
   * (always APPROVED with an amount, the list's reason in `decisionReason`; never ranked).
   */
  @Enum({ items: [...APPLICATION_ORIGINS], type: 'text', default: 'PORTAL' })
  origin: ApplicationOrigin = 'PORTAL';

  /**
   * Set with the status REVOKED only (a database check): the unspent credit the revocation
   * returned to the campaign's FUND, and what had been spent by then (it stays committed to the
   * budget; its recovery happens outside the platform).
   */
  @Property({ type: new BigIntType('number'), nullable: true })
  revokedReturnedCents: number | null = null;

  @Property({ type: new BigIntType('number'), nullable: true })
  revokedSpentCents: number | null = null;

  @Property({ type: 'int', version: true })
  version: number = 1;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
