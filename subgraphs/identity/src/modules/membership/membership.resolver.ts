import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { OrganisationType } from '../organisation/organisation.type.js';
import { Person } from '../person/person.entity.js';
import { PersonType } from '../person/person.type.js';
import { SessionType, type SessionResult } from '../session/session.type.js';
import type { Membership } from './membership.entity.js';
import { AcceptInvitationInput, InviteMemberInput } from './membership.input.js';
import type { InvitationResult } from './membership.service.js';
import { InvitationType, MembershipType } from './membership.type.js';

@Resolver(() => MembershipType)
export class MembershipResolver {
  constructor(private readonly services: Services) {}

  @FieldResolver(() => PersonType, { description: 'The member.' })
  person(@Root() membership: Membership, @Ctx() ctx: SubgraphContext): Promise<Person> {
    return ctx.em.findOneOrFail(Person, { id: membership.person.id });
  }

  @FieldResolver(() => OrganisationType, { description: 'The organisation.' })
  organisation(@Root() membership: Membership, @Ctx() ctx: SubgraphContext): Promise<Organisation> {
    return ctx.em.findOneOrFail(Organisation, { id: membership.organisation.id });
  }

  @Mutation(() => InvitationType, {
    description:
      'Platform admin, or the organisation’s manager role (COMUNE MANAGER, provider ADMIN, EMPLOYER HR, MERCHANT OWNER); FORBIDDEN otherwise. Creates the person when the email is new (no password yet), an INVITED membership and a one-time token valid 7 days.',
  })
  inviteMember(
    @Arg('input', () => InviteMemberInput, { description: 'Who to invite, and the role.' })
    input: InviteMemberInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<InvitationResult> {
    return this.services.memberships.invite(ctx.em, ctx.caller, input);
  }

  @Mutation(() => SessionType, {
    description:
      'The invitee sets a password (min 12 chars) and activates the membership; returns a session. A person who already has a password gives it instead.',
  })
  acceptInvitation(
    @Arg('input', () => AcceptInvitationInput, { description: 'The token and the password.' })
    input: AcceptInvitationInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<SessionResult> {
    return this.services.memberships.accept(ctx.em, ctx.caller, input, ctx.clientAddress);
  }
}
