import type { SubgraphContext } from '@welfare/kit';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import { MembershipType } from '../membership/membership.type.js';
import type { Membership } from '../membership/membership.entity.js';
import type { Person } from './person.entity.js';
import { PersonType } from './person.type.js';

@Resolver(() => PersonType)
export class PersonResolver {
  constructor(private readonly services: Services) {}

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Codice fiscale. Only to the person, and platform admins; null otherwise.',
  })
  fiscalCode(@Root() person: Person, @Ctx() ctx: SubgraphContext): string | null {
    return this.services.persons.visibleFiscalCode(ctx.caller, person);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'Email address. Only to the person, platform admins and members of an organisation the person belongs to; null otherwise (and for citizens without one).',
  })
  async email(@Root() person: Person, @Ctx() ctx: SubgraphContext): Promise<string | null> {
    return (await this.services.persons.canSeeContact(ctx.em, ctx.caller, person))
      ? person.email
      : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Phone number (E.164). Visible like email.',
  })
  async phone(@Root() person: Person, @Ctx() ctx: SubgraphContext): Promise<string | null> {
    return (await this.services.persons.canSeeContact(ctx.em, ctx.caller, person))
      ? person.phone
      : null;
  }

  @FieldResolver(() => [MembershipType], {
    description:
      'The person’s memberships, of every status (only to the person and platform admins; [] otherwise).',
  })
  memberships(@Root() person: Person, @Ctx() ctx: SubgraphContext): Promise<Membership[]> {
    return this.services.persons.visibleMemberships(ctx.em, ctx.caller, person);
  }
}
