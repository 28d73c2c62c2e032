import { error, fail, redirect } from '@sveltejs/kit';
import { isStaffBlockReason } from '$lib/card-labels';
import { both } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';
import { type FormFailure, formFailure, statusOf } from '$lib/server/errors';
import type { GatewayResult } from '$lib/server/gateway';
import { requireComuneStaff } from '$lib/server/guards';
import { requireFound, throwIfForbidden } from '$lib/server/refusals';
import { BlockCardMutation, CardQuery, UnblockCardMutation } from '../operations.server';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** Notices after an action or a refused replacement (`?esito=`). */
const NOTICES = ['bloccata', 'sbloccata', 'conferma', 'gia-sostituita', 'non-disponibile'] as const;
export type CardNotice = (typeof NOTICES)[number];

export const load: PageServerLoad = async (event) => {
  const { comuneId, cardId } = event.params;
  requireComuneStaff(event, comuneId);
  const result = await event.locals.api(CardQuery, { id: cardId });
  throwIfForbidden(result);
  const card = requireFound(result.data?.card, result);
  if (card.comune.id !== comuneId) error(404, 'Not found');
  const esito = event.url.searchParams.get('esito');
  return { comuneId, card, notice: NOTICES.find((n) => n === esito) ?? null };
};

interface CardActionResult {
  action: 'block' | 'unblock';
  failure: FormFailure;
  values: { reason: string };
}

/**
 * A block or unblock waiting for its confirmation: the first post of its form sends nothing to the
 * API; the page states the consequence and posts the same action again with `confirmed=1`.
 */
function confirmFirst(action: CardActionResult['action'], reason = '') {
  return { action, confirm: true as const, values: { reason } };
}

function guard(event: RequestEvent): { comuneId: string; id: string } {
  const { comuneId, cardId } = event.params;
  requireComuneStaff(event, comuneId);
  return { comuneId, id: cardId };
}

function refused(action: CardActionResult['action'], result: GatewayResult<unknown>, reason = '') {
  const failure: FormFailure = result.unavailable
    ? { message: both(m.error_503_text), fields: {} }
    : formFailure(result.errors, ['reason'], { CONFLICT: both(m.cards_error_replaced) });
  return fail(statusOf(result), {
    action,
    failure,
    values: { reason },
  } satisfies CardActionResult);
}

export const actions: Actions = {
  block: async (event) => {
    const { comuneId, id } = guard(event);
    const data = await event.request.formData();
    const value = data.get('reason');
    const reason = typeof value === 'string' ? value : '';
    if (!isStaffBlockReason(reason)) {
      return fail(400, {
        action: 'block',
        failure: {
          message: both(m.form_invalid),
          fields: { reason: both(m.cards_error_reason) },
        },
        values: { reason: '' },
      } satisfies CardActionResult);
    }
    if (data.get('confirmed') !== '1') return confirmFirst('block', reason);
    const result = await event.locals.api(BlockCardMutation, { id, reason });
    if (!result.data?.blockCard) return refused('block', result, reason);
    redirect(303, `/comune/${comuneId}/carte/${id}?esito=bloccata#esito`);
  },
  unblock: async (event) => {
    const { comuneId, id } = guard(event);
    const data = await event.request.formData();
    if (data.get('confirmed') !== '1') return confirmFirst('unblock');
    const result = await event.locals.api(UnblockCardMutation, { id });
    if (!result.data?.unblockCard) return refused('unblock', result);
    redirect(303, `/comune/${comuneId}/carte/${id}?esito=sbloccata#esito`);
  },
};
