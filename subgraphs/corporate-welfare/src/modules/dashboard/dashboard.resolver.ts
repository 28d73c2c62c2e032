import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import type { EmployerDashboard } from './dashboard.service.js';
import { EmployerDashboardType } from './dashboard.type.js';

/** The employer's dashboard. */
@Resolver()
export class DashboardResolver {
  constructor(private readonly services: Services) {}

  @Query(() => EmployerDashboardType, {
    description:
      'The employer’s dashboard for a tax year: each plan’s money from the book (funded, credited, spent by purpose, left) and the employees near or over the fringe-benefit cap. Its HR only: FORBIDDEN otherwise.',
  })
  employerWelfareDashboard(
    @Arg('employerId', () => ID, { description: 'The employer (identity Organisation id).' })
    employerId: string,
    @Arg('year', () => Int, { description: 'The tax year (2000-2100).' }) year: number,
    @Ctx() ctx: SubgraphContext,
  ): Promise<EmployerDashboard> {
    return this.services.dashboard.dashboard(ctx.em, ctx.caller, employerId, year);
  }
}
