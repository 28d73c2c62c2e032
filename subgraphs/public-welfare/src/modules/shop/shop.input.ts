import { Field, Float, ID, InputType } from 'type-graphql';
import { ShopCategory } from '../shared/categories.js';

@InputType('PointOfSaleInput', { description: 'A point of sale of a shop.' })
export class PointOfSaleInput {
  @Field(() => String, { description: 'Its name, up to 200 characters.' })
  name!: string;

  @Field(() => String, { description: 'Its address, up to 300 characters.' })
  address!: string;

  @Field(() => Float, {
    nullable: true,
    description: 'Latitude in WGS84 degrees (-90 to 90), given with the longitude; for the map.',
  })
  latitude?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Longitude in WGS84 degrees (-180 to 180), given with the latitude; for the map.',
  })
  longitude?: number | null;
}

@InputType('ShopAccreditationInput', {
  description: 'A shop (a MERCHANT organisation) asking to join a published campaign.',
})
export class ShopAccreditationInput {
  @Field(() => ID, { description: 'The MERCHANT organisation; the caller must be its OWNER.' })
  merchantId!: string;

  @Field(() => ID, { description: 'The published campaign.' })
  campaignId!: string;

  @Field(() => String, { description: 'Partita IVA (11 digits, with its check digit).' })
  partitaIva!: string;

  @Field(() => String, { description: 'IBAN of an account in the SEPA area, for reimbursements.' })
  iban!: string;

  @Field(() => String, { description: 'Business name (ragione sociale), up to 200 characters.' })
  businessName!: string;

  @Field(() => [ShopCategory], { description: 'What the shop sells.' })
  categories!: string[];

  @Field(() => [PointOfSaleInput], { description: '1 to 50 points of sale.' })
  pointsOfSale!: PointOfSaleInput[];
}
