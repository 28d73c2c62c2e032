import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { ImportJob } from './import-job.entity.js';

/**
 * A validated row waiting for the merge: rows are staged while the file streams in and merged
 * into the registry in one transaction only when the whole file is clean; the job's rows are
 * deleted afterwards either way. The payload never holds a codice fiscale in clear.
 */
@Entity({ tableName: 'import_staging_row' })
export class ImportStagingRow {
  @ManyToOne(() => ImportJob, { primary: true, deleteRule: 'cascade' })
  job!: ImportJob;

  @PrimaryKey({ type: 'int' })
  line!: number;

  @Property({ type: 'jsonb' })
  payload!: Record<string, unknown>;
}
