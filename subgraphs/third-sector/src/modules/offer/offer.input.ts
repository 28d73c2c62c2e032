import { Field, Float, InputType, Int } from 'type-graphql';
import {
  OfferCategory,
  OfferFormat,
  OfferPriceKind,
  OfferTarget,
  type OfferCategoryValue,
  type OfferFormatValue,
  type OfferPriceKindValue,
  type OfferTargetValue,
} from './offer.enums.js';

@InputType('OfferPlaceInput', { description: 'A place of an offer.' })
export class OfferPlaceInput {
  @Field(() => String, { description: 'Name, 1 to 160 characters.' })
  name!: string;

  @Field(() => String, { description: 'Street address, 3 to 300 characters.' })
  address!: string;

  @Field(() => String, { description: 'Municipality, 2 to 100 characters.' })
  municipality!: string;

  @Field(() => Float, {
    nullable: true,
    description: 'Latitude, -90 to 90 (with the longitude, or neither).',
  })
  latitude?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Longitude, -180 to 180 (with the latitude, or neither).',
  })
  longitude?: number | null;
}

@InputType('OfferScheduleSlotInput', { description: 'A weekly slot of an offer’s schedule.' })
export class OfferScheduleSlotInput {
  @Field(() => Int, { description: 'ISO weekday: 1 Monday … 7 Sunday.' })
  weekday!: number;

  @Field(() => String, { description: 'Start time, `HH:MM` (24 hours).' })
  startTime!: string;

  @Field(() => String, { description: 'End time, `HH:MM`, after the start.' })
  endTime!: string;
}

@InputType('OfferInput', {
  description:
    'Every field of an offer (an edit replaces them all, places and schedule included). Validated as a whole: every invalid field is reported at once and nothing is written.',
})
export class OfferInput {
  @Field(() => String, { description: 'Title, 3 to 160 characters.' })
  title!: string;

  @Field(() => String, { description: 'Description, 10 to 5000 characters.' })
  description!: string;

  @Field(() => OfferCategory, { description: 'Category.' })
  category!: OfferCategoryValue;

  @Field(() => [OfferTarget], {
    description: 'Who it is for (distinct values; at least one to publish).',
  })
  targets!: OfferTargetValue[];

  @Field(() => OfferPriceKind, { description: 'Free or how it is priced.' })
  priceKind!: OfferPriceKindValue;

  @Field(() => Int, {
    nullable: true,
    description:
      'Price in integer euro cents, 1 to 10,000,000: required unless FREE, refused when FREE.',
  })
  priceCents?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'What a package includes, up to 500 characters (PER_PACKAGE only).',
  })
  packageDescription?: string | null;

  @Field(() => OfferFormat, { description: 'Individual or group.' })
  format!: OfferFormatValue;

  @Field(() => Int, { description: '1 for INDIVIDUAL; 2 to 200 for GROUP.' })
  capacity!: number;

  @Field(() => [OfferPlaceInput], { description: 'Places, up to 20 (at least one to publish).' })
  places!: OfferPlaceInput[];

  @Field(() => [OfferScheduleSlotInput], {
    description: 'Weekly slots, up to 50 (a slot or schedule notes to publish).',
  })
  schedule!: OfferScheduleSlotInput[];

  @Field(() => String, {
    nullable: true,
    description: 'Notes on the schedule, up to 1000 characters.',
  })
  scheduleNotes?: string | null;

  @Field(() => String, { nullable: true, description: 'Contact e-mail (required to publish).' })
  contactEmail?: string | null;

  @Field(() => String, { nullable: true, description: 'Contact phone, up to 30 characters.' })
  contactPhone?: string | null;

  @Field(() => String, { nullable: true, description: 'Web site, an http or https address.' })
  contactWebsite?: string | null;
}
