import { redirect } from '@sveltejs/kit';
import { guardCards, lettersResponse, notFound, postCardFile, toLogin } from '../cards.server';
import type { RequestHandler } from './$types';
import { isUuid } from '$lib/uuid';

/**
 * `POST …/carte/emetti` (form field `campaignId`): issues the cards still missing for the
 * campaign's approved applications and answers the PDF of their letters; when there is nothing
 * new, back to the list with a notice.
 */
export const POST: RequestHandler = async (event) => {
  const comuneId = guardCards(event);
  const list = `/comune/${comuneId}/carte`;
  const value = (await event.request.formData()).get('campaignId');
  const campaignId = typeof value === 'string' ? value.trim() : '';
  if (!isUuid(campaignId)) redirect(303, `${list}?esito=campagna#esito`);
  const outcome = await postCardFile(event, 'issue', { campaignId });
  if (outcome.kind === 'pdf') return lettersResponse(outcome.response, 'lettere-carte.pdf');
  if (outcome.kind === 'nothing') redirect(303, `${list}?esito=nessuna#esito`);
  if (outcome.kind === 'unauthenticated') toLogin(list);
  if (outcome.kind === 'notFound') notFound();
  if (outcome.kind === 'invalid') redirect(303, `${list}?esito=campagna#esito`);
  redirect(303, `${list}?esito=non-disponibile#esito`);
};
