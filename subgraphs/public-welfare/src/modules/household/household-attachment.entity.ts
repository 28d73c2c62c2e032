import { randomUUID } from 'node:crypto';
import { BlobType, Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A file a social worker attached to a household (cartella sociale): PDF, JPEG or PNG recognised
 * by its first bytes, kept in the database (at most `HOUSEHOLD_ATTACHMENT_MAX_BYTES`), for the
 * staff of the household's Comune only (every download audited). Never edited nor deleted.
 */
@Entity({ tableName: 'household_attachment' })
@Index({
  name: 'household_attachment_household_index',
  properties: ['householdId', 'createdAt'],
})
export class HouseholdAttachment {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  comuneId!: string;

  @Property({ type: 'uuid' })
  householdId!: string;

  /** What the file is, as the social worker wrote it (1 to 500 characters). */
  @Property({ type: 'text' })
  description!: string;

  /** The file's name as uploaded (1 to 200 characters). */
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

  /** The staff member (identity Person) who uploaded it. */
  @Property({ type: 'uuid' })
  uploadedBy!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
