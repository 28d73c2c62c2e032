import { Field, ID, InputType, ObjectType } from 'type-graphql';

/** A social worker's note on a household; `author` is a field resolver. */
@ObjectType('HouseholdNote', {
  description:
    'A note of the Comune’s social workers on a household (cartella sociale): visible only to the Comune’s staff, every read written to the audit log. Never edited nor deleted.',
})
export class HouseholdNoteType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field({ description: 'The text (1 to 4,000 characters).' })
  text!: string;

  @Field({ description: 'When it was written.' })
  createdAt!: Date;
}

@InputType('HouseholdSearch', {
  description:
    'A search of a Comune’s registry: every given criterion must hold, at least one is required.',
})
export class HouseholdSearchInput {
  @Field(() => String, {
    nullable: true,
    description:
      'A member’s codice fiscale, exact (any case; checked, then looked up by its keyed hash).',
  })
  fiscalCode?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The start of a member’s family name (cognome), 2 to 100 characters; ignoring case, accents and apostrophes (“Nicolo” finds “Nicolò” and “NICOLO’”).',
  })
  familyName?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The household’s registry code (codice famiglia), exact, case-insensitive.',
  })
  code?: string | null;
}

@InputType('AddHouseholdNoteInput', { description: 'A note to add to a household.' })
export class AddHouseholdNoteInput {
  @Field(() => ID, { description: 'The household.' })
  householdId!: string;

  @Field({
    description: 'The note’s text: 1 to 4,000 characters (trimmed; line breaks allowed).',
  })
  note!: string;
}
