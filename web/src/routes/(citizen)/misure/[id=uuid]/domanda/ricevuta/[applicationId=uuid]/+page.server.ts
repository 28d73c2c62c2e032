import { error, redirect } from '@sveltejs/kit';
import { onBehalfOf } from '$lib/applications';
import { centsOrNull } from '$lib/money';
import { graphql } from '$lib/server/graphql';
import { requireViewer } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

const ReceiptQuery = graphql(`
  query ApplicationReceipt($id: ID!) {
    application(id: $id) {
      id
      status
      protocolNumber
      submittedAt
      onBehalf
      amountCents
      dueBy
      checks {
        code
        passed
        messageIt
        messageEn
      }
      documents {
        id
        code
        fileName
      }
      campaign {
        id
        title
        comune {
          id
          name
        }
      }
    }
  }
`);

/** The receipt of a submitted application: protocol number, checks, the PDF to download. */
export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  const { id, applicationId } = event.params;
  const result = await event.locals.api(ReceiptQuery, { id: applicationId });
  const application = result.data?.application ?? null;
  if (!application) error(result.unavailable ? 503 : 404, 'Not found');
  if (application.campaign.id !== id) error(404, 'Not found');
  const per = onBehalfOf(event.url.searchParams.get('per'));
  if (application.status === 'DRAFT' || !application.protocolNumber) {
    const search = per ? `?${new URLSearchParams({ per }).toString()}` : '';
    redirect(303, `/misure/${encodeURIComponent(id)}/domanda${search}`);
  }
  return {
    application: { ...application, amountCents: centsOrNull(application.amountCents) },
    per,
  };
};
