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
