import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import { CampaignDashboardType, DashboardPeriodInput } from './monitoring.type.js';

/** The campaign's live monitoring dashboard. */
@Resolver()
export class MonitoringResolver {
  constructor(private readonly services: Services) {}

  @Query(() => CampaignDashboardType, {
    description:
      'Staff of the campaign’s Comune: budget, committed, credited, spent, returned and unspent credit, by shop, by category and by day, read in one snapshot of the book. NOT_FOUND for anyone else; BAD_USER_INPUT for a bad period.',
  })
  campaignDashboard(
    @Arg('campaignId', () => ID, { description: 'The campaign.' }) campaignId: string,
    @Arg('period', () => DashboardPeriodInput, {
      nullable: true,
      description: 'The days of the by-day series (default: the days with movements).',
    })
    period: DashboardPeriodInput | null,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.monitoring.dashboard(ctx.em, ctx.caller, campaignId, period);
  }
}
