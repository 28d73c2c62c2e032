import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import type { PlanReport } from './report.service.js';
import { PlanReportType } from './report.type.js';

@Resolver(() => PlanReportType)
export class ReportResolver {
  constructor(private readonly services: Services) {}

  @Query(() => PlanReportType, {
    description:
      'A plan’s usage report (totals, by category, by purpose, by month). The employer’s HR only: NOT_FOUND for an unknown plan, FORBIDDEN for anyone else.',
  })
  welfarePlanReport(
    @Arg('planId', () => ID, { description: 'The plan.' }) planId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<PlanReport> {
    return this.services.reports.planReport(ctx.em, ctx.caller, planId);
  }
}
