import { randomUUID } from 'node:crypto';
import { ArrayType, Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import {
  OFFER_CATEGORIES,
  OFFER_FORMATS,
  OFFER_PRICE_KINDS,
  OFFER_STATUSES,
  type OfferCategoryValue,
  type OfferFormatValue,
  type OfferPriceKindValue,
  type OfferStatusValue,
  type OfferTargetValue,
} from './offer.enums.js';

/**
 * A provider's offer (a service in the catalogue). Written by the provider's ADMIN as a DRAFT,
 * PUBLISHED (in the catalogue of `comuneId` while the provider is accredited by that Comune),
 * WITHDRAWN. Places and the weekly schedule are child rows (`OfferPlace`, `OfferScheduleSlot`).
 * The table also has a column not mapped here: `municipalities`, a copy of the places' values
 * kept by a trigger (read by the catalogue's index).
 */
@Entity({ tableName: 'offer' })
export class Offer {
  [OptionalProps]?:
    | 'status'
    | 'targets'
    | 'priceCents'
    | 'packageDescription'
    | 'scheduleNotes'
    | 'contactEmail'
    | 'contactPhone'
    | 'contactWebsite'
    | 'publishedAt'
    | 'withdrawnAt'
    | 'withdrawnByComune'
    | 'withdrawalReason'
    | 'republishRequestedAt'
    | 'tutoringProgrammeId'
    | 'version'
    | 'createdAt'
    | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The provider (identity Organisation of kind COOPERATIVE or ASSOCIATION). */
  @Property({ type: 'uuid' })
  providerId!: string;

  /** The Comune whose catalogue the offer appears in (the provider must be accredited by it). */
  @Property({ type: 'uuid' })
  comuneId!: string;

  @Property({ type: 'text' })
  title!: string;

  @Property({ type: 'text' })
  description!: string;

  @Enum({ items: [...OFFER_CATEGORIES], type: 'text' })
  category!: OfferCategoryValue;

  /** Who the offer is for (at least one `OfferTarget`). */
  @Property({ type: ArrayType, columnType: 'text[]' })
  targets: OfferTargetValue[] = [];

  @Enum({ items: [...OFFER_PRICE_KINDS], type: 'text' })
  priceKind!: OfferPriceKindValue;

  /** Price in integer cents: null iff FREE, > 0 otherwise. */
  @Property({ type: 'int', nullable: true })
  priceCents: number | null = null;

  /** What a package includes (PER_PACKAGE only). */
  @Property({ type: 'text', nullable: true })
  packageDescription: string | null = null;

  @Enum({ items: [...OFFER_FORMATS], type: 'text' })
  format!: OfferFormatValue;

  /** People at a time: 1 for INDIVIDUAL, 2..200 for GROUP. */
  @Property({ type: 'int' })
  capacity!: number;

  @Enum({ items: [...OFFER_STATUSES], type: 'text' })
  status: OfferStatusValue = 'DRAFT';

  /** Free-text notes on the schedule (e.g. "su appuntamento", holidays). */
  @Property({ type: 'text', nullable: true })
  scheduleNotes: string | null = null;

  /** Contact e-mail (required to publish). */
  @Property({ type: 'text', nullable: true })
  contactEmail: string | null = null;

  @Property({ type: 'text', nullable: true })
  contactPhone: string | null = null;

  @Property({ type: 'text', nullable: true })
  contactWebsite: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  publishedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  withdrawnAt: Date | null = null;

  /** True while WITHDRAWN by the Comune (only the Comune publishes it again). */
  @Property({ type: 'boolean' })
  withdrawnByComune: boolean = false;

  /** The Comune's reason for withdrawing it (set while `withdrawnByComune`). */
  @Property({ type: 'text', nullable: true })
  withdrawalReason: string | null = null;

  /** When the provider asked the Comune to publish it again (after a withdrawal by the Comune). */
  @Property({ type: 'timestamptz', nullable: true })
  republishRequestedAt: Date | null = null;

  /**
   * The tutoring programme this offer lists in the catalogue (null for a provider's own offer).
   * Such an offer is written only by a trigger on `tutoring_programme` (in step with the
   * programme): families enrol on the programme, they do not book the offer.
   */
  @Property({ type: 'uuid', nullable: true })
  tutoringProgrammeId: string | null = null;

  @Property({ type: 'uuid' })
  createdBy!: string;

  /** Bumped by every change (optimistic checks). */
  @Property({ type: 'int' })
  version: number = 1;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
