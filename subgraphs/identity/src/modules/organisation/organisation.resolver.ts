import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import type { Membership } from '../membership/membership.entity.js';
import { MembershipType } from '../membership/membership.type.js';
import type { Organisation } from './organisation.entity.js';
import { CreateOrganisationInput } from './organisation.input.js';
import { OrganisationType } from './organisation.type.js';

@Resolver(() => OrganisationType)
export class OrganisationResolver {
  constructor(private readonly services: Services) {}

  @Query(() => OrganisationType, {
    nullable: true,
    description: 'One organisation (null when it does not exist).',
  })
  organisation(
    @Arg('id', () => ID, { description: 'The organisation’s id.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Organisation | null> {
    return this.services.organisations.findById(ctx.em, id);
  }

  @Query(() => [OrganisationType], {
    description: 'Organisations the caller may see: all for platform admins, their own for others.',
  })
  organisations(@Ctx() ctx: SubgraphContext): Promise<Organisation[]> {
    return this.services.organisations.list(ctx.em, ctx.caller);
  }

  @Mutation(() => OrganisationType, {
    description:
      'Platform admin only (FORBIDDEN otherwise; UNAUTHENTICATED when anonymous). BAD_USER_INPUT lists every invalid field; CONFLICT when the tax code is taken.',
  })
  createOrganisation(
    @Arg('input', () => CreateOrganisationInput, { description: 'The new organisation.' })
    input: CreateOrganisationInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Organisation> {
    return this.services.organisations.create(ctx.em, ctx.caller, input);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'IBAN (electronic format) for reimbursements. Only to the organisation’s members and platform admins; null otherwise.',
  })
  iban(@Root() organisation: Organisation, @Ctx() ctx: SubgraphContext): string | null {
    return this.services.organisations.visibleIban(ctx.caller, organisation);
  }

  @FieldResolver(() => [MembershipType], {
    description:
      'Members (every status): visible to the organisation’s own members (any role) and platform admins; an empty list for anyone else (never an error).',
  })
  members(@Root() organisation: Organisation, @Ctx() ctx: SubgraphContext): Promise<Membership[]> {
    return this.services.organisations.members(ctx.em, ctx.caller, organisation);
  }
}
