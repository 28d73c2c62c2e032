import { randomUUID } from 'node:crypto';
import { Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { SHOP_CATEGORIES, type ShopCategory } from '../shared/categories.js';
import { ACCREDITATION_STATUSES, type AccreditationStatus } from './shop.enums.js';

/** A point of sale of an accredited shop. */
export interface PointOfSale {
  name: string;
  address: string;
  /** WGS84 degrees (-90..90), with `longitude`; absent on points of sale without coordinates. */
  latitude?: number | null;
  /** WGS84 degrees (-180..180), with `latitude`. */
  longitude?: number | null;
}

/**
 * A merchant organisation (identity's) asking to take payments for one campaign of a Comune, and
 * the Comune's decision. One row per merchant and campaign (a unique key).
 */
@Entity({ tableName: 'shop_accreditation' })
export class ShopAccreditation {
  [OptionalProps]?: 'status' | 'decidedBy' | 'decidedAt' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The MERCHANT organisation in identity. */
  @Property({ type: 'uuid' })
  merchantId!: string;

  @Property({ type: 'uuid' })
  comuneId!: string;

  @Property({ type: 'uuid' })
  campaignId!: string;

  @Property({ type: 'text' })
  partitaIva!: string;

  /** Electronic format (no spaces, upper case). */
  @Property({ type: 'text' })
  iban!: string;

  @Property({ type: 'text' })
  businessName!: string;

  @Enum({ items: [...SHOP_CATEGORIES], type: 'text', array: true })
  categories!: ShopCategory[];

  @Property({ type: 'jsonb' })
  pointsOfSale!: PointOfSale[];

  @Enum({ items: [...ACCREDITATION_STATUSES], type: 'text' })
  status: AccreditationStatus = 'PENDING';

  @Property({ type: 'uuid', nullable: true })
  decidedBy: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null = null;

  @Property({ type: 'uuid' })
  requestedBy!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
