// `[area=helparea]`: the help pages (`/aiuto/cittadini`…); any other value is the 404 page.
import type { ParamMatcher } from '@sveltejs/kit';
import { HELP_AREAS, type HelpArea } from '$lib/legal';

export const match = ((param: string): param is HelpArea =>
  (HELP_AREAS as readonly string[]).includes(param)) satisfies ParamMatcher;
