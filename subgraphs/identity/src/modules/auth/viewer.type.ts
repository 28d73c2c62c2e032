import { Field, ObjectType } from 'type-graphql';
import { MembershipType } from '../membership/membership.type.js';
import type { Membership } from '../membership/membership.entity.js';
import type { Person } from '../person/person.entity.js';
import { PersonType } from '../person/person.type.js';

/** What a viewer is made of (the service's result). */
export interface ViewerData {
  person: Person;
  platformAdmin: boolean;
  memberships: Membership[];
}

@ObjectType('Viewer', { description: 'The logged-in person and what they may do.' })
export class ViewerType {
  @Field(() => PersonType, { description: 'The logged-in person.' })
  person!: PersonType;

  @Field({ description: 'True for platform administrators (they manage every organisation).' })
  platformAdmin!: boolean;

  @Field(() => [MembershipType], {
    description:
      'The memberships in force (ACTIVE): the organisations and roles the person acts for.',
  })
  memberships!: MembershipType[];
}
