import { redirect } from '@sveltejs/kit';
import { homePath } from '$lib/home';
import { requireViewer } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

/** The landing after a login: the person's work (see `homePath`). Never a page of its own. */
export const load: PageServerLoad = (event) => {
  redirect(303, homePath(requireViewer(event)));
};
