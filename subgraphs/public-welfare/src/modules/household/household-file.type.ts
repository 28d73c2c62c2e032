import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';

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

/** A file attached to a household; `uploadedBy` is a field resolver, the content a download. */
@ObjectType('HouseholdAttachment', {
  description:
    'A file the Comune’s social workers attached to a household (cartella sociale): PDF, JPEG or PNG, visible only to the Comune’s staff. The content is a download (`GET /files/household-attachment?id=` through the gateway), each one written to the audit log (READ_HOUSEHOLD_ATTACHMENT). Never edited nor deleted.',
})
export class HouseholdAttachmentType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field({ description: 'What the file is, as the social worker wrote it (1 to 500 characters).' })
  description!: string;

  @Field({ description: 'The file’s name as uploaded.' })
  fileName!: string;

  @Field({ description: 'application/pdf, image/jpeg or image/png (recognised by content).' })
  contentType!: string;

  @Field(() => Int, { description: 'Size in bytes.' })
  sizeBytes!: number;

  @Field({ description: 'When it was attached.' })
  createdAt!: Date;
}
