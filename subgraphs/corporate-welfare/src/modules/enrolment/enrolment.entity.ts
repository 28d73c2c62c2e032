import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** Where an enrolment job is: QUEUED (created), RUNNING (reading), SUCCEEDED or FAILED. */
export const ENROLMENT_STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED'] as const;
export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number];

/** One CSV enrolment of an employer's employees: its progress and outcome. */
@Entity({ tableName: 'enrolment_job' })
export class EnrolmentJob {
  [OptionalProps]?:
    | 'status'
    | 'rowsRead'
    | 'rowsImported'
    | 'rowsRejected'
    | 'rowsCreated'
    | 'rowsChanged'
    | 'createdAt'
    | 'startedAt'
    | 'finishedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The employer (identity Organisation id): the job's tenant. */
  @Property({ type: 'uuid' })
  employerId!: string;

  @Property({ type: 'text' })
  status: EnrolmentStatus = 'QUEUED';

  /** Data rows read so far (the header excluded). */
  @Property({ type: 'int' })
  rowsRead = 0;

  /** Rows merged (0 unless SUCCEEDED): created + changed + unchanged. */
  @Property({ type: 'int' })
  rowsImported = 0;

  @Property({ type: 'int' })
  rowsRejected = 0;

  /** Employees enrolled by this job. */
  @Property({ type: 'int' })
  rowsCreated = 0;

  /** Employees already enrolled whose data the file changed. */
  @Property({ type: 'int' })
  rowsChanged = 0;

  /** The HR person who uploaded the file; null for the platform's own loads (demo data). */
  @Property({ type: 'uuid', nullable: true })
  createdBy: string | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  startedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null = null;
}

/** A rejected row (or a problem with the whole file: line 0, or the line where reading stopped). */
@Entity({ tableName: 'enrolment_rejection' })
export class EnrolmentRejection {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => EnrolmentJob, { fieldName: 'job_id', deleteRule: 'cascade' })
  job!: EnrolmentJob;

  /** Line of the file (1 is the header). */
  @Property({ type: 'int' })
  line!: number;

  /** The column name, `riga` for the whole row, or `file` for the file. */
  @Property({ type: 'text' })
  field!: string;

  @Property({ type: 'text' })
  reasonIt!: string;

  @Property({ type: 'text' })
  reasonEn!: string;
}

/**
 * A valid row waiting for the merge: staged while the file streams in, merged into `employee` in
 * one transaction only when the whole file is clean, deleted afterwards either way.
 */
@Entity({ tableName: 'enrolment_staging_row' })
export class EnrolmentStagingRow {
  @ManyToOne(() => EnrolmentJob, { fieldName: 'job_id', primary: true, deleteRule: 'cascade' })
  job!: EnrolmentJob;

  @PrimaryKey({ type: 'int' })
  line!: number;

  @Property({ type: 'text' })
  fiscalCode!: string;

  @Property({ type: 'text' })
  givenName!: string;

  @Property({ type: 'text' })
  familyName!: string;

  @Property({ type: 'text', nullable: true })
  email!: string | null;

  @Property({ type: 'text' })
  categoryCode!: string;

  @Property({ type: 'date' })
  startDate!: string;

  @Property({ type: 'date', nullable: true })
  endDate!: string | null;

  @Property({ type: 'smallint' })
  dependentChildren!: number;
}
