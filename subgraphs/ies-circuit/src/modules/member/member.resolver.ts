import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import type { Circuit } from '../circuit/circuit.entity.js';
import { CircuitType } from '../circuit/circuit.type.js';
import { actsFor, requireCircuitStaff } from '../shared/access.js';
import type { Member } from './member.entity.js';
import { MembershipRequestInput } from './member.input.js';
import { MemberDecisionEnum, MemberKindEnum, MemberStatusEnum, MemberType } from './member.type.js';
import type { MemberDecision } from './membership.service.js';

/** Joining a circuit, organisations' requests and the staff's decisions. */
@Resolver(() => MemberType)
export class MemberResolver {
  constructor(private readonly services: Services) {}

  @Mutation(() => MemberType, {
    description:
      'The calling citizen (SPID/CIE login) joins the circuit at once: an ACTIVE membership with its wallet. Joining again returns the same membership.',
  })
  joinIesCircuit(
    @Arg('code', { description: 'The circuit’s public code.' }) code: string,
    @Arg('displayName', () => String, {
      nullable: true,
      description: 'The name shown to the members they pay (default “Cittadino”).',
    })
    displayName: string | null | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Member> {
    return this.services.memberships.joinAsCitizen(ctx.em, ctx.caller, code, displayName);
  }

  @Mutation(() => MemberType, {
    description:
      'An organisation asks to join a circuit with its details: PENDING until the circuit’s staff decide. A pending or rejected request is replaced; CONFLICT for a member already.',
  })
  requestIesMembership(
    @Arg('input', () => MembershipRequestInput, { description: 'The request.' })
    input: MembershipRequestInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Member> {
    const { circuitCode, organisationId, ...data } = input;
    return this.services.memberships.request(ctx.em, ctx.caller, circuitCode, organisationId, data);
  }

  @Mutation(() => MemberType, {
    description:
      'The circuit’s staff (OPERATOR, MANAGER of its manager) decide on a membership: accept (or reinstate), reject, suspend (with a reason). Audited.',
  })
  decideIesMember(
    @Arg('memberId', () => ID, { description: 'The member.' }) memberId: string,
    @Arg('decision', () => MemberDecisionEnum, { description: 'The decision.' })
    decision: MemberDecision,
    @Arg('reason', () => String, {
      nullable: true,
      description: 'Why (3 to 500 characters): required to reject or suspend.',
    })
    reason: string | null | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Member> {
    return this.services.memberships.decide(ctx.em, ctx.caller, memberId, decision, reason);
  }

  @Query(() => [MemberType], {
    description: 'A circuit’s members, for its staff (OPERATOR, MANAGER of its manager).',
  })
  iesMembers(
    @Arg('circuitId', () => ID, { description: 'The circuit.' }) circuitId: string,
    @Arg('status', () => MemberStatusEnum, { nullable: true, description: 'Only this status.' })
    status: string | null | undefined,
    @Arg('kind', () => MemberKindEnum, { nullable: true, description: 'Only this kind.' })
    kind: string | null | undefined,
    @Arg('search', () => String, {
      nullable: true,
      description:
        'Up to 100 characters: a part of the name, without case nor accents nor apostrophes (“caffe nicolo” finds “Caffè Nicolò”), the start of the partita IVA, or the member’s code (its id, whole). Used by the reserve page’s purchase picker.',
    })
    search: string | null | undefined,
    @Arg('limit', () => Int, { nullable: true, description: 'At most (1 to 200, default 50).' })
    limit: number | null | undefined,
    @Arg('offset', () => Int, { nullable: true, description: 'Skip this many (default 0).' })
    offset: number | null | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Member[]> {
    return this.services.memberships.list(ctx.em, ctx.caller, circuitId, {
      status,
      kind,
      search,
      limit,
      offset,
    });
  }

  @Query(() => Int, {
    description:
      'How many members `iesMembers` finds in all with the same filters (paging aside), for the circuit’s staff (OPERATOR, MANAGER of its manager): the same errors as `iesMembers`. For “Soci 51–100 di 137”.',
  })
  iesMemberCount(
    @Arg('circuitId', () => ID, { description: 'The circuit.' }) circuitId: string,
    @Arg('status', () => MemberStatusEnum, { nullable: true, description: 'Only this status.' })
    status: string | null | undefined,
    @Arg('kind', () => MemberKindEnum, { nullable: true, description: 'Only this kind.' })
    kind: string | null | undefined,
    @Arg('search', () => String, {
      nullable: true,
      description: 'Up to 100 characters, matched as by `iesMembers`.',
    })
    search: string | null | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<number> {
    return this.services.memberships.count(ctx.em, ctx.caller, circuitId, { status, kind, search });
  }

  @Query(() => MemberType, {
    description: 'One member of a circuit, for the circuit’s staff. NOT_FOUND when there is none.',
  })
  iesMember(
    @Arg('id', () => ID, { description: 'The member.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Member> {
    return this.services.memberships.forStaff(ctx.em, ctx.caller, id);
  }

  @Query(() => [MemberType], {
    description:
      'The caller’s memberships: as a citizen (SPID/CIE login) and those of the organisations they act for. Empty for anyone else.',
  })
  myIesMemberships(@Ctx() ctx: SubgraphContext): Promise<Member[]> {
    return this.services.memberships.mine(ctx.em, ctx.caller);
  }

  @FieldResolver(() => CircuitType, { description: 'The circuit.' })
  circuit(@Root() member: Member, @Ctx() ctx: SubgraphContext): Promise<Circuit> {
    return this.services.circuits.byId(ctx.em, member.circuitId);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'The IBAN its conversions to euro are paid to: for the organisation itself and the circuit’s staff; null for anyone else.',
  })
  async iban(@Root() member: Member, @Ctx() ctx: SubgraphContext): Promise<string | null> {
    if (!member.iban) return null;
    if (member.organisationId && actsFor(ctx.caller, member.organisationId)) return member.iban;
    const circuit = await this.services.circuits.byId(ctx.em, member.circuitId);
    try {
      requireCircuitStaff(ctx.caller, circuit);
      return member.iban;
    } catch {
      return null;
    }
  }
}
