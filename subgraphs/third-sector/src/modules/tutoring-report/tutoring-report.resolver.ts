import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import { programmeArg } from '../tutoring-programme/tutoring-programme.input.js';
import type { TutoringReport } from './tutoring-report.service.js';
import { TutoringReportType } from './tutoring-report.type.js';

/** A programme's hours report. */
@Resolver(() => TutoringReportType)
export class TutoringReportResolver {
  constructor(private readonly services: Services) {}

  @Query(() => TutoringReportType, {
    description:
      'The hours report of a programme: for the funding Comune’s staff and the provider’s ADMIN (NOT_FOUND otherwise). CSV and PDF: GET /downloads/third-sector/exports/tutoring-report.csv|.pdf?programmeId=.',
  })
  tutoringReport(
    @Arg('programmeId', () => ID, programmeArg) programmeId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringReport> {
    return this.services.tutoring.reports.report(ctx.em, ctx.caller, programmeId);
  }
}
