import { summarise } from '$lib/server/viewer';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => ({
  viewer: summarise(locals.viewer),
  identityUnavailable: locals.identityUnavailable,
});
