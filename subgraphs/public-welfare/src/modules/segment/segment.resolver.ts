import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import { OrganisationRef, PersonRef } from '../shared/references.type.js';
import type { Segment } from './segment.entity.js';
import { SaveSegmentInput } from './segment.input.js';
import { SegmentFilterType, SegmentInvitationType, SegmentType } from './segment.type.js';

@Resolver(() => SegmentType)
export class SegmentResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [SegmentType], {
    description:
      'The Comune’s saved household filters, by name. Staff of the Comune (OPERATOR, MANAGER) and platform admins only: FORBIDDEN otherwise, UNAUTHENTICATED when anonymous.',
  })
  segments(
    @Arg('comuneId', () => ID, { description: 'The Comune (identity Organisation id).' })
    comuneId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Segment[]> {
    return this.services.segments.list(ctx.em, ctx.caller, comuneId);
  }

  @Mutation(() => SegmentType, {
    description:
      'Saves a household filter under a name. BAD_USER_INPUT (nothing written) for an empty or longer than 120 characters name, a name the Comune already uses (field `name`) or invalid filter values (fields `filter.*`: a negative ISEE, sizes outside 1 to 100, minSize over maxSize). Staff of the Comune and platform admins only.',
  })
  saveSegment(
    @Arg('input', () => SaveSegmentInput) input: SaveSegmentInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Segment> {
    return this.services.segments.save(ctx.em, ctx.caller, input);
  }

  @Mutation(() => Boolean, {
    description:
      'Deletes a segment: false when there is none with that id. Staff of its Comune and platform admins only: FORBIDDEN otherwise.',
  })
  deleteSegment(
    @Arg('id', () => ID, { description: 'The segment’s id.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<boolean> {
    return this.services.segments.delete(ctx.em, ctx.caller, id);
  }

  @Mutation(() => SegmentInvitationType, {
    description:
      'Invites every household of the segment to apply to a published, open campaign of the same Comune: one message in the personal area of each head of household (idempotent per campaign and household). Staff of the Comune only; NOT_FOUND for an unknown segment or campaign, CONFLICT when the campaign is not open.',
  })
  inviteSegmentToApply(
    @Arg('segmentId', () => ID, { description: 'The segment.' }) segmentId: string,
    @Arg('campaignId', () => ID, { description: 'The campaign to apply to.' }) campaignId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<SegmentInvitationType> {
    return this.services.segments.invite(ctx.em, ctx.caller, segmentId, campaignId);
  }

  @FieldResolver(() => SegmentFilterType, { description: 'The saved criteria.' })
  filter(@Root() segment: Segment): SegmentFilterType {
    return segment.filter;
  }

  @FieldResolver(() => OrganisationRef, { description: 'The Comune the segment belongs to.' })
  comune(@Root() segment: Segment): OrganisationRef {
    return { id: segment.comuneId };
  }

  @FieldResolver(() => PersonRef, { description: 'Who saved it.' })
  createdBy(@Root() segment: Segment): PersonRef {
    return { id: segment.createdBy };
  }

  @FieldResolver(() => Int, {
    description:
      'How many households match the segment now (the same SQL as `households.totalCount`). A count by income criteria is written to the audit log (SEARCH_INCOME).',
  })
  householdCount(@Root() segment: Segment, @Ctx() ctx: SubgraphContext): Promise<number> {
    return this.services.segments.householdCount(ctx.em, ctx.caller, segment);
  }
}
