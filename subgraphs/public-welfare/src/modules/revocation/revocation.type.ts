import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType('BenefitRevocation', {
  description:
    'What revoking a benefit did: the unspent credit that went back to the campaign and what had already been spent. The same revocation again answers the same.',
})
export class BenefitRevocationType {
  @Field(() => ID, { description: 'The revoked application (now REVOKED).' })
  applicationId!: string;

  @Field(() => GraphQLSafeInt, {
    description: 'Euro cents the application’s top-ups had credited to the holder’s card.',
  })
  creditedCents!: number;

  @Field(() => GraphQLSafeInt, {
    description:
      'Euro cents of unspent credit of this campaign taken back from the holder’s card to the campaign’s fund (a SWEEP in the book, counted as returned credit). Other campaigns’ credit on the card is untouched.',
  })
  returnedCents!: number;

  @Field(() => GraphQLSafeInt, {
    description:
      'Euro cents already spent when the benefit was revoked, less what an end-of-window sweep had already returned (a checkout in progress on this credit is released: it fails and is undone). They stay spent on the platform: recovering them from the beneficiary happens outside it, through the Comune’s own procedure.',
  })
  spentCents!: number;

  @Field(() => Date, { description: 'When the benefit was revoked.' })
  revokedAt!: Date;
}
