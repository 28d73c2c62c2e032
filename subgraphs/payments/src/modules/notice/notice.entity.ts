import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A notice an organisation posts for its members: the sample module of a generated subgraph
 * (entity, GraphQL type, input, resolver, service, repository). Replace it with the first real
 * noun of the subgraph.
 */
@Entity({ tableName: 'notice' })
export class Notice {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The organisation (identity Organisation id) the notice belongs to: its tenant. */
  @Property({ type: 'uuid' })
  organisationId!: string;

  @Property({ type: 'text' })
  title!: string;

  @Property({ type: 'text' })
  body!: string;

  /** The person who posted it. */
  @Property({ type: 'uuid' })
  createdBy!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
