import { randomUUID } from 'node:crypto';
import { Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import {
  OFFER_CATEGORIES,
  type OfferCategoryValue,
  type OfferPriceKindValue,
} from '../offer/offer.enums.js';

/**
 * A tariff of a Comune's accreditation call: the maximum price of an offer of one category,
 * priced per hour, session or package (integer cents per unit). A provider's offer above it is
 * refused; lowering it changes no offer (those above are listed to the Comune).
 */
@Entity({ tableName: 'accreditation_tariff' })
export class AccreditationTariff {
  [OptionalProps]?: 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The Comune (identity Organisation of kind COMUNE). */
  @Property({ type: 'uuid' })
  comuneId!: string;

  @Enum({ items: [...OFFER_CATEGORIES], type: 'text' })
  category!: OfferCategoryValue;

  /** PER_HOUR, PER_SESSION or PER_PACKAGE (a free offer has no price to cap). */
  @Property({ type: 'text' })
  priceKind!: Exclude<OfferPriceKindValue, 'FREE'>;

  /** The maximum price, integer cents per unit of `priceKind`. */
  @Property({ type: 'int' })
  maxPriceCents!: number;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
