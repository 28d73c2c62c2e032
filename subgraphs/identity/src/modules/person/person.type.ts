import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * A person on the platform. Other subgraphs extend it by key. Private fields (fiscalCode, email,
 * phone, memberships) are field resolvers in `PersonResolver`, which apply who may read them.
 */
@Directive('@key(fields: "id")')
@ObjectType('Person', { description: 'A person: staff of an organisation, a citizen, or both.' })
export class PersonType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field({ description: 'Given name (nome).' })
  givenName!: string;

  @Field({ description: 'Family name (cognome).' })
  familyName!: string;
}
