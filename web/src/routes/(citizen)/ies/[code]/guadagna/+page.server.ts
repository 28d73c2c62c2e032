import { error, redirect } from '@sveltejs/kit';
import { failWith, text } from '$lib/server/forms';
import { requireViewer } from '$lib/server/guards';
import { IesShareLinkMutation, MyIesEarningsQuery } from '$lib/server/operations-ies-earn';
import { throwIfForbidden } from '$lib/server/refusals';
import type { Actions, PageServerLoad } from './$types';

/** The citizen's earning in a circuit: rules in force and cap left, rewards, share links. */
export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  const { code } = event.params;
  if (!/^[a-z0-9-]{1,40}$/.test(code)) error(404, 'Not found');
  const result = await event.locals.api(MyIesEarningsQuery, { code });
  throwIfForbidden(result);
  const earnings = result.data?.myIesEarnings;
  return {
    code,
    circuitName: result.data?.iesCircuit?.name ?? code,
    rules: earnings?.rules ?? [],
    rewards: earnings?.rewards ?? [],
    initiatives: earnings?.initiatives ?? [],
    links: earnings?.links ?? [],
    origin: event.url.origin,
    unavailable: result.unavailable || !earnings,
  };
};

export const actions: Actions = {
  /** The citizen's personal link to an initiative (made on first asking). */
  link: async (event) => {
    requireViewer(event);
    const { code } = event.params;
    const initiativeId = text(await event.request.formData(), 'initiativeId');
    const result = await event.locals.api(IesShareLinkMutation, { code, initiativeId });
    if (!result.data?.iesShareLink) return failWith(result, ['initiativeId'], { initiativeId });
    redirect(303, `/ies/${code}/guadagna#link-${initiativeId}`);
  },
};
