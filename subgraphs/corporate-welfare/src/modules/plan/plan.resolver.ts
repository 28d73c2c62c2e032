import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import type { Plan } from './plan.entity.js';
import { PlanCategoryType, PlanType } from './plan.type.js';

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

  @FieldResolver(() => [PlanCategoryType], { description: 'The categories it covers, by code.' })
  categories(@Root() plan: Plan): PlanCategoryType[] {
    return plan.categories.getItems();
  }
}
