// `[ruolo=privacyrole]`: the roles with a privacy notice (`/privacy/cittadini`…); any other value
// is the 404 page.
import type { ParamMatcher } from '@sveltejs/kit';
import { PRIVACY_ROLES, type PrivacyRole } from '$lib/legal';

export const match = ((param: string): param is PrivacyRole =>
  (PRIVACY_ROLES as readonly string[]).includes(param)) satisfies ParamMatcher;
