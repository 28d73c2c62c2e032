import { error, fail, redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { parseEuroAmount } from '$lib/money';
import { m } from '$lib/paraglide/messages';
import { type FormFailure, formFailure, statusOf } from '$lib/server/errors';
import { failWith, invalid, text } from '$lib/server/forms';
import { requireComuneStaff } from '$lib/server/guards';
import { findError } from '$lib/server/errors';
import {
  CorrectDirectListEntryMutation,
  DirectListBeneficiariesQuery,
  ImportBeneficiaryListMutation,
} from '$lib/server/operations-direct-list';
import { requireFound, throwIfForbidden } from '$lib/server/refusals';
import { CampaignQuery } from '../../operations.server';
import { isComuneManager } from '../../access';
import { MAX_CENTS } from '../../campaign-fields';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** The largest list the API takes (2 MiB): refused here before it is sent. */
const MAX_BYTES = 2 * 1024 * 1024;

/** Beneficiaries shown a page at a time. */
const PAGE_SIZE = 50;

/** A CSV by its name or its declared type (browsers differ on the type of a .csv file). */
function looksLikeCsv(file: File): boolean {
  return /\.csv$/i.test(file.name) || file.type === 'text/csv';
}

/** Longest reason of a correction (the API's bound). */
const MAX_REASON = 500;

/** Where the outcome of a correction is shown (`?esito=`). */
const NOTICES = ['corretta', 'ritirata'] as const;

/** The values of the correction form, as typed. */
interface CorrectionValues {
  applicationId: string;
  choice: string;
  amount: string;
  reason: string;
}

/** The list page's URL with its page cursor (`dopo`) and more query parameters. */
function listUrl(event: RequestEvent, extra: string): string {
  const { comuneId, campaignId } = event.params;
  const after = event.url.searchParams.get('dopo');
  const query = [after ? `dopo=${encodeURIComponent(after)}` : '', extra].filter(Boolean).join('&');
  return `/comune/${comuneId}/misure/${campaignId}/beneficiari${query ? `?${query}` : ''}`;
}

export const load: PageServerLoad = async (event) => {
  const { comuneId, campaignId } = event.params;
  const viewer = requireComuneStaff(event, comuneId);
  const result = await event.locals.api(CampaignQuery, { id: campaignId });
  throwIfForbidden(result);
  const campaign = requireFound(result.data?.campaign, result);
  if (campaign.comune.id !== comuneId) error(404, 'Not found');
  // The list of beneficiaries, a page at a time (`?dopo=` the previous page's cursor).
  const after = (event.url.searchParams.get('dopo') ?? '').trim() || null;
  const listed = await event.locals.api(DirectListBeneficiariesQuery, {
    campaignId,
    first: PAGE_SIZE,
    after,
  });
  throwIfForbidden(listed);
  const page = listed.data?.directListBeneficiaries ?? null;
  // A stale or forged cursor: the API refuses it.
  if (!page && after && findError(listed.errors, 'BAD_USER_INPUT')) error(400, 'Bad cursor');
  const esito = event.url.searchParams.get('esito');
  return {
    comuneId,
    isManager: isComuneManager(viewer, comuneId),
    // The entry whose correction form is open (`?correggi=`), when on this page.
    correcting: event.url.searchParams.get('correggi'),
    notice: NOTICES.find((n) => n === esito) ?? null,
    campaign: {
      id: campaign.id,
      title: campaign.title,
      status: campaign.status,
      budgetCents: Number(campaign.budgetCents),
    },
    after,
    beneficiaries: page
      ? {
          ...page,
          nodes: page.nodes.map((n) => ({
            ...n,
            amountCents: Number(n.amountCents),
            creditedCents: Number(n.creditedCents),
          })),
        }
      : null,
  };
};

export const actions: Actions = {
  correct,
  import: async (event) => {
    const { comuneId, campaignId } = event.params;
    requireComuneStaff(event, comuneId);
    const data = await event.request.formData();
    const file = data.get('file');
    const fields: Record<string, Localized> = {};
    if (!(file instanceof File) || (file.name === '' && file.size === 0)) {
      fields.file = both(m.import_error_no_file);
    } else if (!looksLikeCsv(file)) {
      fields.file = both(m.import_error_not_csv);
    } else if (file.size === 0) {
      fields.file = both(m.import_error_empty);
    } else if (file.size > MAX_BYTES) {
      fields.file = both(m.dl_error_too_large);
    }
    if (Object.keys(fields).length > 0 || !(file instanceof File)) {
      return invalid({ message: both(m.form_invalid), fields }, {});
    }
    const contentBase64 = Buffer.from(await file.arrayBuffer()).toString('base64');
    const result = await event.locals.api(ImportBeneficiaryListMutation, {
      campaignId,
      contentBase64,
    });
    const outcome = result.data?.importBeneficiaryList;
    if (!outcome) return failWith(result, ['file'], {});
    return {
      outcome: {
        ...outcome,
        newCents: Number(outcome.newCents),
        budgetLeftCents: Number(outcome.budgetLeftCents),
        rejections: outcome.rejections.map((r) => ({
          line: r.line,
          field: r.field,
          reason: { it: r.reasonIt, en: r.reasonEn } satisfies Localized,
        })),
      },
    };
  },
};

/**
 * A correction of a list entry (MANAGER; the API refuses the others): a new amount or the entry
 * withdrawn, and why. The first post sends nothing to the API and shows the confirmation (the
 * shared ConfirmAction), which posts the same values again with `confirmed=1`.
 */
async function correct(event: RequestEvent) {
  const { comuneId } = event.params;
  requireComuneStaff(event, comuneId);
  const data = await event.request.formData();
  const values: CorrectionValues = {
    applicationId: text(data, 'applicationId'),
    choice: text(data, 'choice'),
    amount: text(data, 'amount'),
    reason: text(data, 'reason'),
  };
  const fields: Record<string, Localized> = {};
  let amountCents: number | null = null;
  if (values.choice !== 'amount' && values.choice !== 'withdraw') {
    fields.choice = both(m.dl_correct_error_choice);
  } else if (values.choice === 'amount') {
    const parsed = parseEuroAmount(values.amount, MAX_CENTS);
    if ('problem' in parsed || parsed.cents < 1) fields.amount = both(m.dl_correct_error_amount);
    else amountCents = parsed.cents;
  }
  if (!values.reason) fields.reason = both(m.required_field);
  else if (values.reason.length > MAX_REASON) fields.reason = both(m.dl_correct_error_reason_long);
  if (Object.keys(fields).length > 0) {
    return fail(400, {
      correction: { failure: { message: both(m.form_invalid), fields }, values },
    });
  }
  if (data.get('confirmed') !== '1') return { correction: { confirm: true as const, values } };
  const result = await event.locals.api(CorrectDirectListEntryMutation, {
    input: {
      applicationId: values.applicationId,
      amountCents,
      withdraw: values.choice === 'withdraw' ? true : null,
      reason: values.reason,
    },
  });
  const done = result.data?.correctDirectListEntry;
  if (!done) {
    const failure: FormFailure = result.unavailable
      ? { message: both(m.error_503_text), fields: {} }
      : formFailure(result.errors, ['amountCents', 'withdraw', 'reason']);
    // The API's field names, as the form's.
    const { amountCents: amountError, withdraw: withdrawError, ...rest } = failure.fields;
    const mapped: Record<string, Localized> = { ...rest };
    if (amountError) mapped[values.choice === 'withdraw' ? 'choice' : 'amount'] = amountError;
    if (withdrawError) mapped.choice = withdrawError;
    return fail(statusOf(result), {
      correction: { failure: { message: failure.message, fields: mapped }, values },
    });
  }
  redirect(
    303,
    `${listUrl(event, `esito=${done.withdrawn ? 'ritirata' : 'corretta'}`)}#dl-correct-notice`,
  );
}
