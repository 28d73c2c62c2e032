import { Field, Float, ID, ObjectType } from 'type-graphql';
import { ShopCategory } from '../shared/categories.js';
import { AccreditationStatus } from './shop.enums.js';

@ObjectType('PointOfSale', { description: 'A point of sale of a shop.' })
export class PointOfSaleType {
  @Field(() => String, { description: 'Its name (e.g. the street or the branch).' })
  name!: string;

  @Field(() => String, { description: 'Its address.' })
  address!: string;

  @Field(() => Float, { nullable: true, description: 'Latitude (WGS84 degrees), when known.' })
  latitude?: number | null;

  @Field(() => Float, { nullable: true, description: 'Longitude (WGS84 degrees), when known.' })
  longitude?: number | null;
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

@ObjectType('PublicPointOfSale', { description: 'Where to find a shop: public facts only.' })
export class PublicPointOfSaleType {
  @Field(() => String, { description: 'Its name (e.g. the street or the branch).' })
  name!: string;

  @Field(() => String, { description: 'Its address.' })
  address!: string;

  @Field(() => Float, { nullable: true, description: 'Latitude (WGS84 degrees), when known.' })
  latitude!: number | null;

  @Field(() => Float, { nullable: true, description: 'Longitude (WGS84 degrees), when known.' })
  longitude!: number | null;

  @Field(() => String, {
    description:
      'A link to OpenStreetMap: a marker at the coordinates, or a search by address when there are none.',
  })
  mapUrl!: string;
}

@ObjectType('PublicShopMeasure', { description: 'A public measure whose card a shop accepts.' })
export class PublicShopMeasureType {
  @Field(() => ID, { description: 'The campaign (measure).' })
  id!: string;

  @Field(() => String, { description: 'Its title.' })
  title!: string;
}

@ObjectType('PublicShop', {
  description:
    'A shop where a measure’s card can be spent (ACCREDITED for it): public facts only, for anyone.',
})
export class PublicShopType {
  @Field(() => ID, { description: 'The MERCHANT organisation.' })
  id!: string;

  @Field(() => ID, { description: 'The Comune of its measures.' })
  comuneId!: string;

  @Field(() => String, { description: 'Business name.' })
  name!: string;

  @Field(() => [ShopCategory], { description: 'What the shop sells.' })
  categories!: string[];

  @Field(() => [PublicPointOfSaleType], { description: 'Its points of sale.' })
  pointsOfSale!: PublicPointOfSaleType[];

  @Field(() => [PublicShopMeasureType], {
    description: 'The public measures (of the question) whose card it accepts.',
  })
  measures!: PublicShopMeasureType[];
}
