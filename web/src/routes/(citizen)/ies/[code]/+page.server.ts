import { error, redirect } from '@sveltejs/kit';
import { findError } from '$lib/server/errors';
import { requireViewer } from '$lib/server/guards';
import { IesWalletQuery } from '$lib/server/operations-ies-members';
import type { PageServerLoad } from './$types';

/** The citizen's wallet in one circuit: balance, movements (`?prima=<cursor>` pages back). */
export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  const { code } = event.params;
  const before = event.url.searchParams.get('prima');
  const result = await event.locals.api(IesWalletQuery, {
    code,
    organisationId: null,
    before: before && /^[0-9]{1,15}$/.test(before) ? before : null,
  });
  if (findError(result.errors, 'NOT_FOUND')) redirect(303, '/ies');
  if (findError(result.errors, 'FORBIDDEN')) error(403, 'Forbidden');
  const wallet = result.data?.iesWallet;
  if (!wallet) error(result.unavailable ? 503 : 500, 'IES wallet unavailable');
  return { code, wallet, joined: event.url.searchParams.get('esito') === 'joined' };
};
