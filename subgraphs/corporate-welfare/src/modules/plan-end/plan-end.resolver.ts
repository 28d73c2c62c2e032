import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import type { PlanClosure } from './plan-end.service.js';
import { PlanClosureType } from './plan-end.type.js';

@Resolver(() => PlanClosureType)
export class PlanEndResolver {
  constructor(private readonly services: Services) {}

  @Mutation(() => PlanClosureType, {
    description:
      'Closes an ACTIVE plan after its last day, once: its end rule moves the unspent credit (back to the employer, or to the employees’ credit in the next ACTIVE plan). Closing it again returns what the closing moved. CONFLICT before its end, for a plan never funded, or while an employee has a payment under way (retry in a few minutes). Its employer’s HR only: UNAUTHENTICATED, BAD_USER_INPUT for a malformed id, NOT_FOUND, FORBIDDEN otherwise.',
  })
  closeWelfarePlan(
    @Arg('id', () => ID, { description: 'The plan.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<PlanClosure> {
    return this.services.planEnd.close(ctx.em, ctx.caller, id);
  }
}
