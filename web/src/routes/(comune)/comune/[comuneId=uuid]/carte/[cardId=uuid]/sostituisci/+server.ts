import { redirect } from '@sveltejs/kit';
import { guardCards, lettersResponse, notFound, postCardFile, toLogin } from '../../cards.server';
import type { RequestHandler } from './$types';

/**
 * `POST …/carte/<id>/sostituisci` (form field `confirm`): replaces the card (the old one stops
 * working for good) and answers the new card's letter with its PIN.
 */
export const POST: RequestHandler = async (event) => {
  const comuneId = guardCards(event);
  const { cardId } = event.params;
  const page = `/comune/${comuneId}/carte/${cardId}`;
  const confirmed = (await event.request.formData()).get('confirm') === 'si';
  if (!confirmed) redirect(303, `${page}?esito=conferma#esito`);
  const outcome = await postCardFile(event, 'replace', { cardId });
  if (outcome.kind === 'pdf') {
    return lettersResponse(outcome.response, 'lettera-carta-sostitutiva.pdf');
  }
  if (outcome.kind === 'unauthenticated') toLogin(page);
  if (outcome.kind === 'notFound') notFound();
  if (outcome.kind === 'conflict') redirect(303, `${page}?esito=gia-sostituita#esito`);
  redirect(303, `${page}?esito=non-disponibile#esito`);
};
