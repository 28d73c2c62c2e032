import { randomUUID } from 'node:crypto';
import { BlobType, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** A file uploaded with an application (kept in the database, at most a few MB). */
@Entity({ tableName: 'application_document' })
export class ApplicationDocument {
  [OptionalProps]?: 'uploadedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid', index: true })
  applicationId!: string;

  @Property({ type: 'uuid' })
  comuneId!: string;

  /** The campaign's required-document code it answers. */
  @Property({ type: 'text' })
  code!: string;

  @Property({ type: 'text' })
  fileName!: string;

  /** application/pdf, image/jpeg or image/png (checked on the content, not the name). */
  @Property({ type: 'text' })
  contentType!: string;

  @Property({ type: 'int' })
  sizeBytes!: number;

  @Property({ type: 'text' })
  sha256!: string;

  @Property({ type: BlobType, lazy: true })
  content!: Buffer;

  @Property({ type: 'uuid' })
  uploadedBy!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  uploadedAt: Date = new Date();
}
