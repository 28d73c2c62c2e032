import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * Identity's `Person` (its description copied from there so that the supergraph keeps identity's),
 * extended here by key with `iesWallets`. This subgraph stores nothing about persons: a reference
 * is its id, matched to the caller.
 */
@Directive('@key(fields: "id")')
@ObjectType('Person', { description: 'A person: staff of an organisation, a citizen, or both.' })
export class PersonIesRef {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;
}
