import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import {
  OfferCategory,
  OfferFormat,
  OfferPriceKind,
  OfferStatus,
  OfferTarget,
  type OfferCategoryValue,
  type OfferFormatValue,
  type OfferPriceKindValue,
  type OfferStatusValue,
  type OfferTargetValue,
} from './offer.enums.js';

@ObjectType('OfferPlace', { description: 'A place where an offer is delivered.' })
export class OfferPlaceType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => String, { description: 'Name of the place (e.g. "Biblioteca comunale").' })
  name!: string;

  @Field(() => String, { description: 'Street address.' })
  address!: string;

  @Field(() => String, { description: 'Municipality (what the catalogue filters on).' })
  municipality!: string;

  @Field(() => Float, { nullable: true, description: 'Latitude (WGS84), when known.' })
  latitude!: number | null;

  @Field(() => Float, { nullable: true, description: 'Longitude (WGS84), when known.' })
  longitude!: number | null;
}

@ObjectType('OfferScheduleSlot', {
  description: 'A weekly slot of an offer’s schedule (local time, Europe/Rome).',
})
export class OfferScheduleSlotType {
  @Field(() => Int, { description: 'ISO weekday: 1 Monday … 7 Sunday.' })
  weekday!: number;

  @Field(() => String, { description: 'Start time, `HH:MM`.' })
  startTime!: string;

  @Field(() => String, { description: 'End time, `HH:MM` (after the start).' })
  endTime!: string;
}

@Directive('@key(fields: "id")')
@ObjectType('Offer', {
  description:
    'A service offered by a third-sector provider (cooperative, association) in a Comune’s catalogue. Public while PUBLISHED and its provider is accredited by the Comune; the provider’s ADMIN and the Comune’s staff see it in any status.',
})
export class OfferType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => ID, { description: 'The provider organisation (identity Organisation id).' })
  providerId!: string;

  @Field(() => ID, {
    description: 'The Comune whose catalogue the offer appears in (identity Organisation id).',
  })
  comuneId!: string;

  @Field(() => String, { description: 'Title, 3 to 160 characters.' })
  title!: string;

  @Field(() => String, { description: 'Description, 10 to 5000 characters (plain text).' })
  description!: string;

  @Field(() => OfferCategory, { description: 'Category in the catalogue’s fixed taxonomy.' })
  category!: OfferCategoryValue;

  @Field(() => [OfferTarget], { description: 'Who the offer is for.' })
  targets!: OfferTargetValue[];

  @Field(() => OfferPriceKind, { description: 'Free, or priced per hour, session or package.' })
  priceKind!: OfferPriceKindValue;

  @Field(() => Int, {
    nullable: true,
    description: 'Price in integer euro cents (null iff FREE).',
  })
  priceCents!: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'What a package includes (PER_PACKAGE only).',
  })
  packageDescription!: string | null;

  @Field(() => OfferFormat, { description: 'Individual or group.' })
  format!: OfferFormatValue;

  @Field(() => Int, {
    description: 'People at a time: 1 for INDIVIDUAL, 2 to 200 for GROUP.',
  })
  capacity!: number;

  @Field(() => OfferStatus, { description: 'DRAFT, PUBLISHED or WITHDRAWN.' })
  status!: OfferStatusValue;

  @Field(() => [OfferPlaceType], { description: 'Where it is delivered, in order.' })
  places!: OfferPlaceType[];

  @Field(() => [OfferScheduleSlotType], {
    description: 'Weekly schedule, by weekday and start time.',
  })
  schedule!: OfferScheduleSlotType[];

  @Field(() => String, {
    nullable: true,
    description: 'Free-text notes on the schedule (e.g. "su appuntamento").',
  })
  scheduleNotes!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Contact e-mail (set on every published offer).',
  })
  contactEmail!: string | null;

  @Field(() => String, { nullable: true, description: 'Contact phone number.' })
  contactPhone!: string | null;

  @Field(() => String, { nullable: true, description: 'Web site (http or https).' })
  contactWebsite!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was last published.' })
  publishedAt!: Date | null;

  @Field(() => Boolean, {
    description:
      'True while WITHDRAWN by the Comune (its provider fixes it and asks to publish it again; the Comune reinstates it).',
  })
  withdrawnByComune!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'The Comune’s reason for withdrawing it (set while `withdrawnByComune`).',
  })
  withdrawalReason!: string | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'When its provider asked the Comune to publish it again (after a withdrawal by the Comune).',
  })
  republishRequestedAt!: Date | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'The tutoring programme this offer lists in the catalogue (null for a provider’s own offer). Such an offer mirrors the programme (title, description, period, group size; in the catalogue while the programme is OPEN), is free for families (the Comune funds it) and is not booked: families enrol on the programme (`enrolTutoringPupil`); `bookOffer` refuses it.',
  })
  tutoringProgrammeId!: string | null;

  @Field(() => Date, { description: 'When it was created.' })
  createdAt!: Date;

  @Field(() => Date, { description: 'When it was last changed.' })
  updatedAt!: Date;
}
