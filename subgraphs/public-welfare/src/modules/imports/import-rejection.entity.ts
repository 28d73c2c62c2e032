import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { ImportJob } from './import-job.entity.js';

/** A rejected row (or a problem with the whole file, line 0 or the line where reading stopped). */
@Entity({ tableName: 'import_rejection' })
@Index({ name: 'import_rejection_job_line_index', properties: ['job', 'line'] })
export class ImportRejection {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => ImportJob, { deleteRule: 'cascade' })
  job!: ImportJob;

  /** Line of the file (1 is the header). */
  @Property({ type: 'int' })
  line!: number;

  /** The column name, or `file` for the whole file. */
  @Property({ type: 'text' })
  field!: string;

  @Property({ type: 'text' })
  reasonIt!: string;

  @Property({ type: 'text' })
  reasonEn!: string;
}
