import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** An initiative of the Comune the circuit's staff asks citizens to share (a web address). */
@Entity({ tableName: 'share_initiative' })
export class ShareInitiative {
  [OptionalProps]?: 'active' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  circuitId!: string;

  @Property({ type: 'text' })
  title!: string;

  /** Where a visit of a shared link lands. */
  @Property({ type: 'text' })
  url!: string;

  @Property({ type: 'boolean' })
  active = true;

  @Property({ type: 'uuid' })
  createdBy!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

/** A citizen's personal link to an initiative (`/condividi/<token>`), with its distinct visits. */
@Entity({ tableName: 'share_link' })
export class ShareLink {
  [OptionalProps]?: 'visits' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The unguessable token of the link's address. */
  @Property({ type: 'text' })
  token!: string;

  @Property({ type: 'uuid' })
  initiativeId!: string;

  @Property({ type: 'uuid' })
  memberId!: string;

  /** Distinct visits counted (one per visitor, link and day). */
  @Property({ type: 'integer' })
  visits = 0;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
