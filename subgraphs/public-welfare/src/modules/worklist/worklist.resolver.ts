import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import { ComuneWorklistType } from './worklist.type.js';

/** The Comune's worklist: the staff's home page counts. */
@Resolver()
export class WorklistResolver {
  constructor(private readonly services: Services) {}

  @Query(() => ComuneWorklistType, {
    description:
      'The Comune’s worklist for today: applications to decide (and past due), integrations answered, reimbursement batches to approve. Its OPERATOR and MANAGER only: FORBIDDEN otherwise; UNAUTHENTICATED when anonymous.',
  })
  comuneWorklist(
    @Arg('comuneId', () => ID, { description: 'The Comune.' }) comuneId: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.worklist.worklist(ctx.em, ctx.caller, comuneId);
  }
}
