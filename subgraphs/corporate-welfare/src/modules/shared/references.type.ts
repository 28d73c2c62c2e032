import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Identity's `Organisation`, referenced by key only (this subgraph cannot resolve it). */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Organisation', {
  description: 'A Comune, cooperative, association, employer or merchant on the platform.',
})
export class OrganisationRef {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;
}

/** Identity's `Person`, referenced by key only. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Person', { description: 'A person: staff of an organisation, a citizen, or both.' })
export class PersonRef {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;
}
