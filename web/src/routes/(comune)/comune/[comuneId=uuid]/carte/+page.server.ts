import { error } from '@sveltejs/kit';
import { isCardStatus } from '$lib/card-labels';
import { findError } from '$lib/server/errors';
import { requireComuneStaff } from '$lib/server/guards';
import { throwIfForbidden } from '$lib/server/refusals';
import { CardsQuery } from './operations.server';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

/** Notices after issuing (`?esito=`), shown above the list. */
const NOTICES = ['nessuna', 'campagna', 'non-disponibile'] as const;
export type CardsNotice = (typeof NOTICES)[number];

/** The Comune's cards (status filter, cursor pages) and the issuance form per campaign. */
export const load: PageServerLoad = async (event) => {
  const { comuneId } = event.params;
  requireComuneStaff(event, comuneId);
  const rawStatus = (event.url.searchParams.get('stato') ?? '').trim().toUpperCase();
  const badStatus = rawStatus !== '' && !isCardStatus(rawStatus);
  const status = isCardStatus(rawStatus) ? rawStatus : null;
  const after = (event.url.searchParams.get('dopo') ?? '').trim();
  const result = await event.locals.api(CardsQuery, {
    comuneId,
    status,
    first: PAGE_SIZE,
    after: after || null,
  });
  throwIfForbidden(result);
  const comune = result.data?.organisation ?? null;
  if (!result.unavailable && (!comune || comune.kind !== 'COMUNE')) error(404, 'Not found');
  if (!result.data?.cards && findError(result.errors, 'BAD_USER_INPUT') && after) {
    error(400, 'Bad cursor');
  }
  const esito = event.url.searchParams.get('esito');
  return {
    comuneId,
    comune,
    status: badStatus ? '' : (status ?? ''),
    badStatus,
    after,
    campaigns: (result.data?.campaigns ?? []).filter((c) => c.status !== 'DRAFT'),
    cards: badStatus ? null : (result.data?.cards ?? null),
    notice: NOTICES.find((n) => n === esito) ?? null,
    unavailable: !badStatus && (result.unavailable || !result.data?.cards),
  };
};
