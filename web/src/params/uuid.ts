// `[name=uuid]` route parameters: the API's ids. Any other value matches no route, so a malformed
// id in an address is the 404 page rather than a call the API would refuse.
import type { ParamMatcher } from '@sveltejs/kit';
import { isUuid } from '$lib/uuid';

export const match = ((param: string): boolean => isUuid(param)) satisfies ParamMatcher;
