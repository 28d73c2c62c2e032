import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import { ReconciliationReportType } from './reconciliation.type.js';

@Resolver(() => ReconciliationReportType)
export class ReconciliationResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [ReconciliationReportType], {
    description:
      'The latest reconciliations of Stripe’s balance transactions with our card payments, newest first, each with every mismatch. Platform admins only: UNAUTHENTICATED, FORBIDDEN otherwise.',
  })
  async paymentReconciliations(
    @Arg('limit', () => Int, { defaultValue: 10, description: 'How many runs, 1 to 50.' })
    limit: number,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ReconciliationReportType[]> {
    const reports = await this.services.reconciliation.reports(ctx.em, ctx.caller, limit);
    return reports.map(({ run, mismatches }) => ({
      id: run.id,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      windowStart: run.windowStart,
      balanceTransactions: run.balanceTransactions,
      cardPayments: run.cardPayments,
      mismatchCount: run.mismatches,
      mismatches,
    }));
  }
}
