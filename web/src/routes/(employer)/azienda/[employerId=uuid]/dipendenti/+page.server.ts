import { requireEmployerHr } from '$lib/server/corporate-hr';
import { EmployerEmployeesQuery } from '$lib/server/operations-corporate-enrolment';
import { throwIfForbidden } from '$lib/server/refusals';
import type { PageServerLoad } from './$types';

/** Employees per page. */
const PAGE_SIZE = 25;

export const load: PageServerLoad = async (event) => {
  const membership = requireEmployerHr(event);
  const { employerId } = event.params;
  const search = (event.url.searchParams.get('cerca') ?? '').trim().slice(0, 100);
  const pageNumber = Math.max(1, Math.floor(Number(event.url.searchParams.get('pagina')) || 1));
  const result = await event.locals.api(EmployerEmployeesQuery, {
    employerId,
    search: search || null,
    first: PAGE_SIZE,
    offset: (pageNumber - 1) * PAGE_SIZE,
  });
  throwIfForbidden(result);
  const page = result.data?.employerEmployees ?? null;
  return {
    employerId,
    employerName: membership.organisation.name,
    search,
    pageNumber,
    pageSize: PAGE_SIZE,
    page,
    unavailable: result.unavailable || !page,
  };
};
