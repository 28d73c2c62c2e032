import { error, fail, redirect } from '@sveltejs/kit';
import { romeToday } from '$lib/dates';
import { isFiscalCode, normaliseFiscalCode } from '$lib/fiscal-code';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { centsOrZero } from '$lib/money';
import { m } from '$lib/paraglide/messages';
import { findError, formFailure, type FormFailure } from '$lib/server/errors';
import { requireComuneStaff } from '$lib/server/guards';
import { isUuid } from '$lib/uuid';
import { throwIfForbidden } from '$lib/server/refusals';
import { type QueueProblem, onBehalfPath, parseQueueFilter, queueSearch } from './queue';
import { BulkApproveMutation, CampaignChoicesQuery, QueueQuery } from './operations.server';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 50;

const PROBLEMS: Record<QueueProblem, () => Localized> = {
  choice: () => both(m.queue_error_choice),
  protocol: () => both(m.queue_error_protocol),
};

export const load: PageServerLoad = async (event) => {
  const { comuneId } = event.params;
  requireComuneStaff(event, comuneId);
  const parsed = parseQueueFilter(event.url.searchParams);
  const fields = Object.fromEntries(
    Object.entries(parsed.problems).map(([field, problem]) => [field, PROBLEMS[problem]()]),
  );
  const invalid = Object.keys(fields).length > 0;
  const result = await event.locals.api(QueueQuery, {
    comuneId,
    // A filter the person did not mean shows nothing until they correct it.
    filter: invalid ? { statuses: [] } : parsed.filter,
    first: PAGE_SIZE,
    after: invalid ? null : parsed.after || null,
  });
  throwIfForbidden(result);
  const comune = result.data?.organisation ?? null;
  if (!result.unavailable && (!comune || comune.kind !== 'COMUNE')) error(404, 'Not found');
  // A stale or forged cursor: the API refuses it.
  if (
    !result.data?.applicationQueue &&
    findError(result.errors, 'BAD_USER_INPUT') &&
    parsed.after
  ) {
    error(400, 'Bad cursor');
  }
  const queue = result.data?.applicationQueue ?? null;
  return {
    comuneId,
    comune,
    values: parsed.values,
    after: parsed.after,
    search: queueSearch(parsed.values),
    failure: invalid ? { message: both(m.queue_filter_invalid), fields } : null,
    campaigns: result.data?.campaigns ?? [],
    queue:
      queue && !invalid
        ? {
            ...queue,
            nodes: queue.nodes.map((n) => ({
              ...n,
              amountCents: n.amountCents == null ? null : centsOrZero(n.amountCents),
            })),
          }
        : null,
    today: romeToday(),
    unavailable: result.unavailable || !queue,
  };
};

/** What the page's two forms return (one shape for both). */
interface QueueActionResult {
  action: 'bulk' | 'onBehalf';
  failure: FormFailure | null;
  values: Record<string, string>;
  bulk: {
    approved: string[];
    notFunded: string[];
    /** Above the Comune's limit: waiting for a MANAGER's second approval. */
    pendingApproval: string[];
    skipped: { protocol: string; reason: Localized }[];
  } | null;
  /** The selection waiting for its confirmation (the first post of the bulk form). */
  confirm?: { ids: string[]; protocols: string[] };
}

export const actions: Actions = {
  bulk: async (event) => {
    const { comuneId } = event.params;
    requireComuneStaff(event, comuneId);
    const data = await event.request.formData();
    const ids = [
      ...new Set(data.getAll('ids').filter((v): v is string => typeof v === 'string')),
    ].filter(isUuid);
    const protocolOf = (id: string) => {
      const value = data.get(`protocol-${id}`);
      return typeof value === 'string' && value ? value : id;
    };
    if (ids.length === 0) {
      return fail(400, {
        action: 'bulk',
        failure: { message: both(m.queue_bulk_none), fields: { ids: both(m.queue_bulk_none) } },
        values: {},
        bulk: null,
      } satisfies QueueActionResult);
    }
    // Approving asks first (nothing sent to the API): the page states the consequence and
    // posts the same selection again with `confirmed=1`.
    if (data.get('confirmed') !== '1') {
      return {
        action: 'bulk',
        failure: null,
        values: {},
        bulk: null,
        confirm: { ids, protocols: ids.map(protocolOf) },
      } satisfies QueueActionResult;
    }
    const result = await event.locals.api(BulkApproveMutation, { ids });
    const outcome = result.data?.bulkApproveApplications;
    if (!outcome) {
      return fail(result.unavailable ? 503 : 400, {
        action: 'bulk',
        failure: result.unavailable
          ? { message: both(m.error_503_text), fields: {} }
          : formFailure(result.errors, []),
        values: {},
        bulk: null,
      } satisfies QueueActionResult);
    }
    return {
      action: 'bulk',
      failure: null,
      values: {},
      bulk: {
        approved: outcome.approved.map((a) => a.protocolNumber ?? a.id),
        notFunded: outcome.notFunded.map((a) => a.protocolNumber ?? a.id),
        pendingApproval: outcome.pendingApproval.map((a) => a.protocolNumber ?? a.id),
        skipped: outcome.skipped.map((s) => ({
          protocol: protocolOf(s.id),
          reason: { it: s.reasonIt, en: s.reasonEn },
        })),
      },
    } satisfies QueueActionResult;
  },
  onBehalf: async (event) => {
    const { comuneId } = event.params;
    requireComuneStaff(event, comuneId);
    const data = await event.request.formData();
    const raw = (name: string) => {
      const v = data.get(name);
      return typeof v === 'string' ? v.trim() : '';
    };
    const values = {
      campaign: raw('campaign'),
      fiscalCode: normaliseFiscalCode(raw('fiscalCode')),
    };
    const fields: Record<string, Localized> = {};
    if (!values.campaign) fields.campaign = both(m.required_field);
    if (!values.fiscalCode) fields.fiscalCode = both(m.required_field);
    else if (!isFiscalCode(values.fiscalCode)) fields.fiscalCode = both(m.queue_error_fiscal_code);
    if (values.campaign && !fields.campaign) {
      const campaigns = await event.locals.api(CampaignChoicesQuery, { comuneId });
      const open = campaigns.data?.campaigns.some(
        (c) => c.id === values.campaign && c.acceptingApplications,
      );
      if (!open) fields.campaign = both(m.queue_error_campaign_closed);
    }
    if (Object.keys(fields).length > 0) {
      return fail(400, {
        action: 'onBehalf',
        failure: { message: both(m.form_invalid), fields },
        values,
        bulk: null,
      } satisfies QueueActionResult);
    }
    redirect(303, onBehalfPath(values.campaign, values.fiscalCode));
  },
};
