import { error, redirect } from '@sveltejs/kit';
import { isOneOf, PAGOPA_NOTICE_STATUSES } from '$lib/api-enums';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { parseEuroCents } from '$lib/money';
import { m } from '$lib/paraglide/messages';
import { DEFAULT_MESSAGES } from '$lib/server/errors';
import { failWith, invalid, text } from '$lib/server/forms';
import { requireComuneStaff } from '$lib/server/guards';
import {
  CancelPagopaNoticeMutation,
  IssuePagopaNoticeMutation,
  PagopaNoticeQuery,
  PagopaNoticesQuery,
  ReconcilePagopaFlowMutation,
} from '$lib/server/operations-pagopa';
import { readDay } from '$lib/server/pagopa';
import { throwIfForbidden } from '$lib/server/refusals';
import type { Actions, PageServerLoad } from './$types';

/** The largest flow file the page sends (the payments subgraph reads up to 900,000 characters). */
const MAX_FLOW_BYTES = 900_000;

/** The issue form's fields, named as the API's input (the amount is typed in euro). */
const ISSUE_FIELDS = ['debtorFiscalCode', 'debtorName', 'reason', 'amount', 'dueDate'] as const;

/** The Comune's notices (status filter and search), the issue form and the flow upload. */
export const load: PageServerLoad = async (event) => {
  const { comuneId } = event.params;
  requireComuneStaff(event, comuneId);
  const rawStatus = (event.url.searchParams.get('stato') ?? '').toUpperCase();
  const status = isOneOf(PAGOPA_NOTICE_STATUSES, rawStatus) ? rawStatus : null;
  const search = (event.url.searchParams.get('q') ?? '').trim().slice(0, 100);
  const result = await event.locals.api(PagopaNoticesQuery, {
    comuneId,
    status,
    search: search || null,
  });
  throwIfForbidden(result);
  const comune = result.data?.organisation ?? null;
  if (!result.unavailable && (!comune || comune.kind !== 'COMUNE')) error(404, 'Not found');
  return {
    comuneId,
    comune,
    status: status ?? '',
    search,
    notices: (result.data?.pagopaNotices ?? []).map((n) => ({
      ...n,
      amountCents: Number(n.amountCents),
    })),
    unavailable: result.unavailable || !result.data?.pagopaNotices,
    notice: event.url.searchParams.get('esito'),
  };
};

export const actions: Actions = {
  issue: async (event) => {
    const { comuneId } = event.params;
    requireComuneStaff(event, comuneId);
    const data = await event.request.formData();
    const values = {
      form: 'issue',
      debtorFiscalCode: text(data, 'debtorFiscalCode'),
      debtorName: text(data, 'debtorName'),
      reason: text(data, 'reason'),
      amount: text(data, 'amount'),
      dueDate: text(data, 'dueDate'),
    };
    const fields: Record<string, Localized> = {};
    for (const name of ['debtorFiscalCode', 'debtorName', 'reason'] as const) {
      if (!values[name]) fields[name] = both(m.required_field);
    }
    const amountCents = parseEuroCents(values.amount);
    if (amountCents === null || amountCents <= 0) fields.amount = both(m.pagopa_amount_invalid);
    const dueDate = readDay(values.dueDate);
    if (!dueDate) fields.dueDate = both(m.pagopa_due_date_invalid);
    if (Object.keys(fields).length > 0 || amountCents === null || !dueDate) {
      return invalid({ message: both(m.form_invalid), fields }, values);
    }
    const result = await event.locals.api(IssuePagopaNoticeMutation, {
      input: {
        comuneId,
        debtorFiscalCode: values.debtorFiscalCode,
        debtorName: values.debtorName,
        reason: values.reason,
        amountCents,
        dueDate,
      },
    });
    const id = result.data?.issuePagopaNotice.id;
    if (!id) {
      const failed = failWith(result, [...ISSUE_FIELDS, 'amountCents'], values);
      // The API names the amount in cents; the form shows it in euro.
      const apiAmount = failed.data.failure.fields.amountCents;
      if (apiAmount) {
        failed.data.failure.fields.amount = apiAmount;
        delete failed.data.failure.fields.amountCents;
      }
      return failed;
    }
    redirect(303, `/comune/${encodeURIComponent(comuneId)}/avvisi/${encodeURIComponent(id)}`);
  },

  cancel: async (event) => {
    const { comuneId } = event.params;
    requireComuneStaff(event, comuneId);
    const data = await event.request.formData();
    const values = { form: 'cancel', id: text(data, 'id') };
    // The first post changes nothing: the page states the consequence (the notice read here, as
    // the list may not show it) and posts again with `confirmed=1`.
    if (data.get('confirmed') !== '1') {
      const read = await event.locals.api(PagopaNoticeQuery, { id: values.id });
      const notice = read.data?.pagopaNotice;
      if (!notice) return failWith(read, [], values);
      if (notice.comuneId !== comuneId) {
        return invalid({ message: DEFAULT_MESSAGES.NOT_FOUND, fields: {} }, values, 404);
      }
      if (notice.status !== 'UNPAID') {
        return invalid({ message: both(m.pagopa_error_not_unpaid), fields: {} }, values, 409);
      }
      const { id, noticeNumberGrouped, debtorName, amountCents, dueDate } = notice;
      return {
        confirm: { id, noticeNumberGrouped, debtorName, amountCents: Number(amountCents), dueDate },
      };
    }
    const result = await event.locals.api(CancelPagopaNoticeMutation, { id: values.id });
    if (!result.data?.cancelPagopaNotice) return failWith(result, [], values);
    redirect(303, `/comune/${encodeURIComponent(comuneId)}/avvisi?esito=annullato`);
  },

  reconcile: async (event) => {
    const { comuneId } = event.params;
    requireComuneStaff(event, comuneId);
    const data = await event.request.formData();
    const values = { form: 'reconcile' };
    const file = data.get('file');
    if (!(file instanceof File) || file.size === 0) {
      const message = both(m.pagopa_upload_no_file);
      return invalid({ message, fields: { file: message } }, values);
    }
    if (file.size > MAX_FLOW_BYTES) {
      const message = both(m.pagopa_upload_too_large);
      return invalid({ message, fields: { file: message } }, values, 413);
    }
    const xml = await file.text();
    const result = await event.locals.api(ReconcilePagopaFlowMutation, { comuneId, xml });
    const report = result.data?.reconcilePagopaFlow;
    if (!report) {
      const failed = failWith(result, ['xml'], values);
      const fileMessage = failed.data.failure.fields.xml;
      if (fileMessage) {
        failed.data.failure.fields.file = fileMessage;
        delete failed.data.failure.fields.xml;
      }
      return failed;
    }
    return {
      values,
      report: {
        ...report,
        lines: report.lines.map((line) => ({
          ...line,
          amountCents: line.amountCents === null ? null : Number(line.amountCents),
          expectedCents: line.expectedCents === null ? null : Number(line.expectedCents),
        })),
      },
    };
  },
};
