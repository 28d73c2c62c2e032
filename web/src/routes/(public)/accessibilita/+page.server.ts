import { legalPageData } from '$lib/server/legal';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => legalPageData();
