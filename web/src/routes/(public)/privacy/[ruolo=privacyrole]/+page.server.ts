import { legalPageData } from '$lib/server/legal';
import type { PageServerLoad } from './$types';

// The route's matcher admits only the roles with a notice (and types the parameter).
export const load: PageServerLoad = ({ params }) => ({ ...legalPageData(), role: params.ruolo });
