import type { SubgraphContext } from '@welfare/kit';
import { badId, isUuid } from '@welfare/kit/access';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import { groupedNoticeNumber, qrPayload } from './notice-code.js';
import { IssuePagopaNoticeInput } from './pagopa.input.js';
import type { NoticeRow, NoticeStatus } from './pagopa.repository.js';
import {
  PagopaNoticeStatus,
  PagopaNoticeType,
  PagopaReconciliationReportType,
} from './pagopa.type.js';

@Resolver(() => PagopaNoticeType)
export class PagopaResolver {
  constructor(private readonly services: Services) {}

  @Mutation(() => PagopaNoticeType, {
    description:
      'Issues a pagoPA notice of the Comune to a debtor, with a new IUV and notice number. The Comune’s staff only (FORBIDDEN otherwise); BAD_USER_INPUT lists every invalid field and nothing is written.',
  })
  issuePagopaNotice(
    @Arg('input', () => IssuePagopaNoticeInput) input: IssuePagopaNoticeInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<NoticeRow> {
    return this.services.pagopa.issue(ctx.em, ctx.caller, input);
  }

  @Query(() => [PagopaNoticeType], {
    description:
      'The Comune’s pagoPA notices, newest first, optionally by status and searched by debtor, codice fiscale, notice number or IUV. The Comune’s staff only.',
  })
  pagopaNotices(
    @Arg('comuneId', () => ID, { description: 'The Comune (identity Organisation id).' })
    comuneId: string,
    @Arg('status', () => PagopaNoticeStatus, { nullable: true, description: 'Only this status.' })
    status: NoticeStatus | null,
    @Arg('search', () => String, { nullable: true, description: 'Text to look for.' })
    search: string | null,
    @Arg('limit', () => Int, { defaultValue: 100, description: 'At most this many, 1 to 200.' })
    limit: number,
    @Ctx() ctx: SubgraphContext,
  ): Promise<NoticeRow[]> {
    return this.services.pagopa.list(ctx.em, ctx.caller, comuneId, {
      status: status ?? undefined,
      search: search ?? undefined,
      limit,
    });
  }

  @Query(() => PagopaNoticeType, {
    description: 'One notice: its Comune’s staff or its debtor; NOT_FOUND for anyone else.',
  })
  pagopaNotice(
    @Arg('id', () => ID, { description: 'The notice’s id.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<NoticeRow> {
    if (!isUuid(id)) throw badId('id');
    return this.services.pagopa.view(ctx.em, ctx.caller, id);
  }

  @Query(() => [PagopaNoticeType], {
    description:
      'The pagoPA notices addressed to the logged-in person’s codice fiscale, newest first.',
  })
  myPagopaNotices(@Ctx() ctx: SubgraphContext): Promise<NoticeRow[]> {
    return this.services.pagopa.mine(ctx.em, ctx.caller);
  }

  @Mutation(() => PagopaNoticeType, {
    description:
      'Cancels an UNPAID notice. The Comune’s staff only (NOT_FOUND otherwise); CONFLICT once PAID or CANCELLED.',
  })
  cancelPagopaNotice(
    @Arg('id', () => ID, { description: 'The notice’s id.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<NoticeRow> {
    if (!isUuid(id)) throw badId('id');
    return this.services.pagopa.cancel(ctx.em, ctx.caller, id);
  }

  @Mutation(() => PagopaReconciliationReportType, {
    description:
      'Applies a Flusso di Rendicontazione (FlussoRiversamento XML) the Comune downloaded: each executed payment of one of its notices, for the exact amount, marks it PAID once (an upload repeated changes nothing). Answers a line-by-line report. A malformed file, or one for another creditor, is refused whole: BAD_USER_INPUT on `xml`, nothing changed. The Comune’s staff only.',
  })
  async reconcilePagopaFlow(
    @Arg('comuneId', () => ID, { description: 'The Comune (identity Organisation id).' })
    comuneId: string,
    @Arg('xml', () => String, {
      description: 'The flow’s XML text (at most 900,000 characters, about 2,000 payments).',
    })
    xml: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<PagopaReconciliationReportType> {
    const report = await this.services.pagopa.reconcile(ctx.em, ctx.caller, comuneId, xml);
    return {
      flowId: report.flowId,
      pspName: report.pspName,
      settlementDate: report.settlementDate,
      paidCount: report.lines.filter((line) => line.outcome === 'PAID').length,
      lines: report.lines.map((line) => ({
        index: line.index,
        iuv: line.iuv,
        iur: line.iur,
        amountCents: line.amountCents,
        outcome: line.outcome,
        noticeId: line.noticeId,
        expectedCents: line.expectedCents,
        messageIt: line.message?.it ?? null,
        messageEn: line.message?.en ?? null,
      })),
    };
  }

  @FieldResolver(() => String, {
    description: 'The notice number grouped by four digits, as printed on the notice.',
  })
  noticeNumberGrouped(@Root() notice: NoticeRow): string {
    return groupedNoticeNumber(notice.noticeNumber);
  }

  @FieldResolver(() => String, {
    description:
      'The QR code’s payload (pagoPA, version 002): `PAGOPA|002|<notice number>|<creditor fiscal code>|<amount in cents>`.',
  })
  qrPayload(@Root() notice: NoticeRow): string {
    return qrPayload(notice.noticeNumber, notice.creditorFiscalCode, notice.amountCents);
  }
}
