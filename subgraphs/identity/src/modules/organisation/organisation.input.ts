import { Field, InputType } from 'type-graphql';
import type { OrganisationKind as Kind } from '@welfare/kit';
import { OrganisationKind } from '../shared/enums.js';

@InputType({ description: 'A new organisation.' })
export class CreateOrganisationInput {
  @Field(() => OrganisationKind, { description: 'What kind of organisation it is.' })
  kind!: Kind;

  @Field({ description: 'Name, as shown to people.' })
  name!: string;

  @Field({
    description:
      'Partita IVA or numeric codice fiscale (11 digits, check digit verified), or a personal codice fiscale (16 characters) for sole traders.',
  })
  taxCode!: string;

  @Field(() => String, { nullable: true, description: 'IBAN of a SEPA account (optional).' })
  iban?: string | null;

  @Field(() => String, { nullable: true, description: 'Contact email (optional).' })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'City (optional).' })
  city?: string | null;
}
