import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import {
  IMPORT_KINDS,
  IMPORT_STATUSES,
  type ImportKind,
  type ImportStatus,
} from '../shared/enums.js';

/** One CSV import of a Comune: its progress and outcome. */
@Entity({ tableName: 'import_job' })
@Index({ name: 'import_job_comune_index', properties: ['comuneId', 'createdAt'] })
export class ImportJob {
  [OptionalProps]?:
    | 'status'
    | 'rowsRead'
    | 'rowsImported'
    | 'rowsRejected'
    | 'rowsChanged'
    | 'encoding'
    | 'separator'
    | 'createdAt'
    | 'startedAt'
    | 'finishedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  comuneId!: string;

  @Enum({ items: [...IMPORT_KINDS], type: 'text' })
  kind!: ImportKind;

  @Enum({ items: [...IMPORT_STATUSES], type: 'text', default: 'QUEUED' })
  status: ImportStatus = 'QUEUED';

  /** Data rows read so far (the header excluded). */
  @Property({ type: 'int', default: 0 })
  rowsRead: number = 0;

  @Property({ type: 'int', default: 0 })
  rowsImported: number = 0;

  @Property({ type: 'int', default: 0 })
  rowsRejected: number = 0;

  /** Rows of the file that changed the registry (inserted or updated); 0 unless SUCCEEDED. */
  @Property({ type: 'int', default: 0 })
  rowsChanged: number = 0;

  /** The file's character encoding as detected (`FILE_ENCODINGS`); null until read. */
  @Property({ type: 'text', nullable: true })
  encoding: string | null = null;

  /** The file's separator as detected (`;`, `,` or a tab); null until read. */
  @Property({ type: 'text', nullable: true })
  separator: string | null = null;

  /** The identity Person who uploaded the file; null for the platform's own loads (demo data). */
  @Property({ type: 'uuid', nullable: true })
  createdBy: string | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  startedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null = null;
}
