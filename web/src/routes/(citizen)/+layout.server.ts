import { requireViewer } from '$lib/server/guards';
import type { LayoutServerLoad } from './$types';

/** Any logged-in person (citizens and staff alike). */
export const load: LayoutServerLoad = (event) => {
  requireViewer(event);
};
