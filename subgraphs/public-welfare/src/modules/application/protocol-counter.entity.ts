import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** The last protocol number issued by a Comune in a year (incremented in one UPDATE). */
@Entity({ tableName: 'protocol_counter' })
export class ProtocolCounter {
  @PrimaryKey({ type: 'uuid' })
  comuneId!: string;

  @PrimaryKey({ type: 'int' })
  year!: number;

  @Property({ type: 'int' })
  last!: number;
}
