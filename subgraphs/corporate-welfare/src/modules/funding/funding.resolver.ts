import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import type { Plan } from '../plan/plan.entity.js';
import { PlanType } from '../plan/plan.type.js';
import type { FundingTotals } from './funding.service.js';
import { FundingTotalsType } from './funding.type.js';

@Resolver(() => PlanType)
export class FundingResolver {
  constructor(private readonly services: Services) {}

  @Mutation(() => PlanType, {
    description:
      'Funds a published plan, in one transaction and once: the employer’s money into the plan’s pool (the sum of the credits of its employees in force), each employee’s credit, the plan ACTIVE. Funding it again returns it as it is. CONFLICT for a plan not published or ended. Its employer’s HR only: UNAUTHENTICATED, BAD_USER_INPUT for a malformed id, NOT_FOUND, FORBIDDEN otherwise.',
  })
  fundWelfarePlan(
    @Arg('id', () => ID, { description: 'The plan.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Plan> {
    return this.services.funding.fund(ctx.em, ctx.caller, id);
  }

  @FieldResolver(() => FundingTotalsType, {
    description: 'Its money so far: funded, credited to employees, left in the pool.',
  })
  funding(@Root() plan: Plan, @Ctx() ctx: SubgraphContext): Promise<FundingTotals> {
    return this.services.funding.totals(ctx.em, plan);
  }
}
