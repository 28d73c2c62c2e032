import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** A place where an offer is delivered (an address with coordinates). */
@Entity({ tableName: 'offer_place' })
export class OfferPlace {
  [OptionalProps]?: 'latitude' | 'longitude';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  offerId!: string;

  /** Order of the place in the offer (0-based). */
  @Property({ type: 'int' })
  position!: number;

  /** The place's name (e.g. "Biblioteca comunale"). */
  @Property({ type: 'text' })
  name!: string;

  /** Street address. */
  @Property({ type: 'text' })
  address!: string;

  /** Municipality of the place (what the catalogue filters on). */
  @Property({ type: 'text' })
  municipality!: string;

  @Property({ type: 'double', nullable: true })
  latitude: number | null = null;

  @Property({ type: 'double', nullable: true })
  longitude: number | null = null;
}
