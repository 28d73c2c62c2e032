import { Field, ID, InputType, Int } from 'type-graphql';

@InputType({ description: 'A booking of a catalogue offer.' })
export class BookOfferInput {
  @Field(() => ID, { description: 'The offer (it must be in the catalogue now).' })
  offerId!: string;

  @Field(() => String, {
    description: 'The day of the service, yyyy-mm-dd: today or later, within a year.',
  })
  serviceDate!: string;

  @Field(() => Int, {
    description:
      'Hours (PER_HOUR), sessions (PER_SESSION) or packages (PER_PACKAGE), 1 to 50; 1 for a free offer. The amount due is computed by the server.',
  })
  quantity!: number;

  @Field(() => String, {
    nullable: true,
    description: 'A note to the provider (up to 1,000 characters).',
  })
  note?: string | null;

  @Field(() => String, {
    description:
      'Chosen by the client, 8 to 100 letters, digits, - or _: sending the same request again returns the same booking (CONFLICT if the request differs).',
  })
  idempotencyKey!: string;
}
