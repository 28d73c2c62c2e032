import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import {
  OfferCategory,
  OfferPriceKind,
  type OfferCategoryValue,
  type OfferPriceKindValue,
} from '../offer/offer.enums.js';

@ObjectType('AccreditationTariff', {
  description:
    'A tariff of a Comune’s accreditation call: the maximum price of an offer of a category, priced per hour, session or package. Offers above it cannot be saved or published.',
})
export class AccreditationTariffType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => ID, { description: 'The Comune whose call sets it.' })
  comuneId!: string;

  @Field(() => OfferCategory, { description: 'The offer category it caps.' })
  category!: OfferCategoryValue;

  @Field(() => OfferPriceKind, { description: 'PER_HOUR, PER_SESSION or PER_PACKAGE.' })
  priceKind!: OfferPriceKindValue;

  @Field(() => Int, { description: 'The maximum price, in integer euro cents per unit.' })
  maxPriceCents!: number;

  @Field(() => Date, { description: 'When it was last changed.' })
  updatedAt!: Date;
}

@InputType('AccreditationTariffInput', {
  description: 'Sets, or removes with a null price, a tariff of the Comune’s accreditation call.',
})
export class AccreditationTariffInput {
  @Field(() => ID, { description: 'The Comune.' })
  comuneId!: string;

  @Field(() => OfferCategory, { description: 'The offer category.' })
  category!: OfferCategoryValue;

  @Field(() => OfferPriceKind, { description: 'PER_HOUR, PER_SESSION or PER_PACKAGE (not FREE).' })
  priceKind!: OfferPriceKindValue;

  @Field(() => Int, {
    nullable: true,
    description: 'The maximum price, 1 to 10,000,000 integer euro cents; null removes the tariff.',
  })
  maxPriceCents?: number | null;
}
