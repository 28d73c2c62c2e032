import { centsOrNull } from '$lib/money';
import { graphql } from '$lib/server/graphql';
import { requireViewer } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

const MyApplicationsQuery = graphql(`
  query MyApplications {
    myApplications {
      id
      status
      protocolNumber
      submittedAt
      createdAt
      amountCents
      campaign {
        id
        title
      }
    }
  }
`);

/** "Le mie domande": the person's applications (by the codice fiscale of their login). */
export const load: PageServerLoad = async (event) => {
  const viewer = requireViewer(event);
  const result = await event.locals.api(MyApplicationsQuery);
  return {
    // Staff known by email only have no codice fiscale, hence no applications of their own.
    hasFiscalCode: Boolean(viewer.person.fiscalCode),
    applications: (result.data?.myApplications ?? []).map((a) => ({
      ...a,
      amountCents: centsOrNull(a.amountCents),
    })),
    unavailable: result.unavailable || !result.data?.myApplications,
  };
};
