import { Field, ID, ObjectType } from 'type-graphql';
import { ShopCategory } from '../shared/categories.js';
import { AccreditationStatus } from './shop.enums.js';

@ObjectType('PointOfSale', { description: 'A point of sale of a shop.' })
export class PointOfSaleType {
  @Field(() => String, { description: 'Its name (e.g. the street or the branch).' })
  name!: string;

  @Field(() => String, { description: 'Its address.' })
  address!: string;
}

@ObjectType('ShopAccreditation', {
  description:
    'A shop’s accreditation for one campaign. Seen by the merchant’s OWNERs and CASHIERs and by the staff of the campaign’s Comune.',
})
export class ShopAccreditationType {
  @Field(() => ID, { description: 'Stable identifier (UUID); the POS charges cards with it.' })
  id!: string;

  @Field(() => ID, { description: 'The MERCHANT organisation (identity).' })
  merchantId!: string;

  @Field(() => ID, { description: 'The Comune of the campaign.' })
  comuneId!: string;

  @Field(() => ID, { description: 'The campaign.' })
  campaignId!: string;

  @Field(() => String, { description: 'Partita IVA.' })
  partitaIva!: string;

  @Field(() => String, { description: 'IBAN (electronic format).' })
  iban!: string;

  @Field(() => String, { description: 'Business name.' })
  businessName!: string;

  @Field(() => [ShopCategory], { description: 'What the shop sells.' })
  categories!: string[];

  @Field(() => [PointOfSaleType], { description: 'Its points of sale.' })
  pointsOfSale!: PointOfSaleType[];

  @Field(() => AccreditationStatus, { description: 'Where the accreditation is.' })
  status!: string;

  @Field(() => Date, { nullable: true, description: 'When the Comune last decided.' })
  decidedAt!: Date | null;

  @Field(() => Date, { description: 'When the shop asked.' })
  createdAt!: Date;
}
