import { Field, ID, InputType, Int } from 'type-graphql';

@InputType({
  description:
    'Who attends a booking when it is not the booker (typed: households are not shared with the third sector).',
})
export class BookingAttendeeInput {
  @Field(() => String, { description: 'First name (1 to 80 characters).' })
  givenName!: string;

  @Field(() => String, { description: 'Surname (1 to 80 characters).' })
  familyName!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Their codice fiscale, when they have one (checked).',
  })
  fiscalCode?: string | null;

  @Field(() => String, { description: 'Birth date, yyyy-mm-dd (not in the future).' })
  birthDate!: string;
}

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

  @Field(() => BookingAttendeeInput, {
    nullable: true,
    description: 'Who attends, when not the booker (omitted: the booker attends).',
  })
  attendee?: BookingAttendeeInput | null;

  @Field(() => String, {
    nullable: true,
    description:
      'A phone the provider can reach the family on (6 to 15 digits, optional +). A phone or an e-mail is required.',
  })
  contactPhone?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'An e-mail the provider can reach the family on. A phone or an e-mail is required.',
  })
  contactEmail?: string | null;
}
