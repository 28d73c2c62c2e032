import type { PageServerLoad } from './$types';

// The route's matcher admits only the areas with a guide (and types the parameter).
export const load: PageServerLoad = ({ params }) => ({ area: params.area });
