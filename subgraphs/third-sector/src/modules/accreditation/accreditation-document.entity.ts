import { randomUUID } from 'node:crypto';
import { BlobType, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** A file uploaded with an accreditation request for one requirement (at most a few MB). */
@Entity({ tableName: 'accreditation_document' })
export class AccreditationDocument {
  [OptionalProps]?: 'uploadedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid', index: true })
  requestId!: string;

  @Property({ type: 'uuid' })
  providerId!: string;

  @Property({ type: 'uuid' })
  comuneId!: string;

  /** The requirement it documents. */
  @Property({ type: 'uuid' })
  requirementId!: string;

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
