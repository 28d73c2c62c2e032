import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import type { Plan } from './plan.entity.js';
import { PlanInput } from './plan.input.js';
import { PlanCategoryType, PlanType } from './plan.type.js';

const FORBIDDEN_NOTE =
  'Its employer’s HR only: UNAUTHENTICATED, BAD_USER_INPUT for a malformed id, NOT_FOUND, FORBIDDEN otherwise.';

@Resolver(() => PlanType)
export class PlanResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [PlanType], {
    description:
      'The employer’s welfare plans, newest year first (at most 100). Its HR only: UNAUTHENTICATED, BAD_USER_INPUT for a malformed id, FORBIDDEN otherwise.',
  })
  employerWelfarePlans(
    @Arg('employerId', () => ID, { description: 'The employer (identity Organisation id).' })
    employerId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Plan[]> {
    return this.services.plans.list(ctx.em, ctx.caller, employerId);
  }

  @Query(() => PlanType, { description: `A welfare plan. ${FORBIDDEN_NOTE}` })
  welfarePlan(
    @Arg('id', () => ID, { description: 'The plan.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Plan> {
    return this.services.plans.get(ctx.em, ctx.caller, id);
  }

  @Mutation(() => PlanType, {
    description:
      'Creates a DRAFT welfare plan of the employer (its HR only). BAD_USER_INPUT names every invalid field (name, year, validFrom, validUntil, purposes, coveredCategories, endRule, categories.N.code…); nothing is written then.',
  })
  createWelfarePlan(
    @Arg('employerId', () => ID, { description: 'The employer (identity Organisation id).' })
    employerId: string,
    @Arg('input', () => PlanInput, { description: 'The plan.' }) input: PlanInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Plan> {
    return this.services.plans.create(ctx.em, ctx.caller, employerId, input);
  }

  @Mutation(() => PlanType, {
    description: `Replaces a DRAFT plan not yet published, whole (categories matched by code). BAD_USER_INPUT as createWelfarePlan; CONFLICT once published. ${FORBIDDEN_NOTE}`,
  })
  updateWelfarePlan(
    @Arg('id', () => ID, { description: 'The plan.' }) id: string,
    @Arg('input', () => PlanInput, { description: 'The plan, whole.' }) input: PlanInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Plan> {
    return this.services.plans.update(ctx.em, ctx.caller, id, input);
  }

  @Mutation(() => PlanType, {
    description: `Publishes a DRAFT plan: it needs its regulation (field regulation) and at least one category (field categories), and can no longer be edited; fund it next. Publishing it again returns it as it is. ${FORBIDDEN_NOTE}`,
  })
  publishWelfarePlan(
    @Arg('id', () => ID, { description: 'The plan.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Plan> {
    return this.services.plans.publish(ctx.em, ctx.caller, id);
  }

  @FieldResolver(() => [PlanCategoryType], { description: 'The categories it covers, by code.' })
  categories(@Root() plan: Plan): PlanCategoryType[] {
    return plan.categories.getItems();
  }
}
