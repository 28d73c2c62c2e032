import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import type { ReconciliationReport } from './reconciliation.repository.js';
import { ReconciliationReportType } from './reconciliation.type.js';

function toType(report: ReconciliationReport): ReconciliationReportType {
  return {
    id: report.id ?? '',
    comuneId: report.comuneId,
    ranAt: report.ranAt,
    trigger: report.trigger ?? 'ON_DEMAND',
    ok: report.ok,
    problems: report.problems.slice(0, 200).map((p) => ({
      check: p.check,
      subject: p.subject,
      expectedCents: p.expectedCents,
      actualCents: p.actualCents,
      messageIt: p.message.it,
      messageEn: p.message.en,
    })),
  };
}

/** The money reconciliation above the book: its latest run, a run on demand, the platform's alerts. */
@Resolver()
export class ReconciliationResolver {
  constructor(private readonly services: Services) {}

  @Query(() => ReconciliationReportType, {
    nullable: true,
    description:
      'A MANAGER of the Comune (or a platform admin): the latest run of the money reconciliation, null before the first. FORBIDDEN for anyone else.',
  })
  async moneyReconciliation(
    @Arg('comuneId', () => ID, { description: 'The Comune.' }) comuneId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ReconciliationReportType | null> {
    const report = await this.services.reconciliation.latest(ctx.em, ctx.caller, comuneId);
    return report ? toType(report) : null;
  }

  @Query(() => [ReconciliationReportType], {
    description:
      'Platform admins: the latest run of every Comune whose latest run found problems. FORBIDDEN for anyone else.',
  })
  async moneyReconciliationAlerts(
    @Ctx() ctx: SubgraphContext,
  ): Promise<ReconciliationReportType[]> {
    return (await this.services.reconciliation.alerts(ctx.em, ctx.caller)).map(toType);
  }

  @Mutation(() => ReconciliationReportType, {
    description:
      'A MANAGER of the Comune (or a platform admin) runs the money reconciliation now; the run is stored. FORBIDDEN for anyone else.',
  })
  async reconcileMoney(
    @Arg('comuneId', () => ID, { description: 'The Comune.' }) comuneId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ReconciliationReportType> {
    return toType(await this.services.reconciliation.runOnDemand(ctx.em, ctx.caller, comuneId));
  }
}
