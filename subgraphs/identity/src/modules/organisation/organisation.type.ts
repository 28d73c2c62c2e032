import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { OrganisationKind } from '../shared/enums.js';
import type { OrganisationKind as Kind } from '@welfare/kit';

/**
 * An organisation. Other subgraphs extend it by key. `iban` and `members` are field resolvers in
 * `OrganisationResolver`, which apply who may read them.
 */
@Directive('@key(fields: "id")')
@ObjectType('Organisation', {
  description: 'A Comune, cooperative, association, employer or merchant on the platform.',
})
export class OrganisationType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => OrganisationKind, { description: 'What kind of organisation it is.' })
  kind!: Kind;

  @Field({ description: 'Name, as shown to people.' })
  name!: string;

  @Field({ description: 'Partita IVA (11 digits) or codice fiscale.' })
  taxCode!: string;

  @Field(() => String, { nullable: true, description: 'Contact email address.' })
  email!: string | null;

  @Field(() => String, { nullable: true, description: 'City (comune) where it is based.' })
  city!: string | null;
}
