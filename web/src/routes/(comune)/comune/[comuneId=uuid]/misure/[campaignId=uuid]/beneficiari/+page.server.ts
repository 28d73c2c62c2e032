import { error } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { m } from '$lib/paraglide/messages';
import { failWith, invalid } from '$lib/server/forms';
import { requireComuneStaff } from '$lib/server/guards';
import { findError } from '$lib/server/errors';
import {
  DirectListBeneficiariesQuery,
  ImportBeneficiaryListMutation,
} from '$lib/server/operations-direct-list';
import { requireFound, throwIfForbidden } from '$lib/server/refusals';
import { CampaignQuery } from '../../operations.server';
import type { Actions, PageServerLoad } from './$types';

/** The largest list the API takes (2 MiB): refused here before it is sent. */
const MAX_BYTES = 2 * 1024 * 1024;

/** Beneficiaries shown a page at a time. */
const PAGE_SIZE = 50;

/** A CSV by its name or its declared type (browsers differ on the type of a .csv file). */
function looksLikeCsv(file: File): boolean {
  return /\.csv$/i.test(file.name) || file.type === 'text/csv';
}

export const load: PageServerLoad = async (event) => {
  const { comuneId, campaignId } = event.params;
  requireComuneStaff(event, comuneId);
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
  return {
    comuneId,
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
