// The HR plan editor's GraphQL operations (corporate-welfare subgraph) and the regulation upload.
import { config } from './config';
import { type ApiError, normaliseErrors } from './errors';
import type { GatewayContext } from './gateway';
import { graphql } from './graphql';
import { postUpload } from './gateway-upload';

const PlanFields = graphql(`
  fragment CorporatePlanFields on WelfarePlan @_unmask {
    id
    employerId
    name
    year
    validFrom
    validUntil
    status
    purposes
    coveredCategories
    endRule
    bonusConversion
    regulationFileName
    regulationSizeBytes
    publishedAt
    fundedAt
    closedAt
    categories {
      id
      code
      name
      criterion
      creditCents
    }
  }
`);

export const CorporatePlansQuery = graphql(
  `
    query CorporatePlans($employerId: ID!) {
      employerWelfarePlans(employerId: $employerId) {
        ...CorporatePlanFields
      }
    }
  `,
  [PlanFields],
);

export const CorporatePlanQuery = graphql(
  `
    query CorporatePlan($id: ID!) {
      welfarePlan(id: $id) {
        ...CorporatePlanFields
        funding {
          fundedCents
          creditedCents
          employeesCredited
          poolBalanceCents
        }
      }
    }
  `,
  [PlanFields],
);

export const CreateCorporatePlanMutation = graphql(`
  mutation CreateCorporatePlan($employerId: ID!, $input: WelfarePlanInput!) {
    createWelfarePlan(employerId: $employerId, input: $input) {
      id
    }
  }
`);

export const UpdateCorporatePlanMutation = graphql(`
  mutation UpdateCorporatePlan($id: ID!, $input: WelfarePlanInput!) {
    updateWelfarePlan(id: $id, input: $input) {
      id
    }
  }
`);

export const PublishCorporatePlanMutation = graphql(`
  mutation PublishCorporatePlan($id: ID!) {
    publishWelfarePlan(id: $id) {
      id
    }
  }
`);

export const FundCorporatePlanMutation = graphql(`
  mutation FundCorporatePlan($id: ID!) {
    fundWelfarePlan(id: $id) {
      id
    }
  }
`);

export const CloseCorporatePlanMutation = graphql(`
  mutation CloseCorporatePlan($id: ID!) {
    closeWelfarePlan(id: $id) {
      returnedCents
      carriedOverCents
      carryOverFellBack
    }
  }
`);

export const PLAN_REGULATION_UPLOAD_PATH = '/uploads/corporate-welfare/files/plan-regulation';

export type RegulationUploadResult =
  { ok: true } | { ok: false; status: number; error: ApiError | undefined };

/**
 * Streams a plan's regulation to the gateway's upload route with the session, the client address
 * and the request id. Never throws: a network failure is status 503.
 */
export async function uploadPlanRegulation(
  context: GatewayContext,
  upload: { planId: string; file: Blob & { name?: string } },
  options: { fetch?: typeof fetch } = {},
): Promise<RegulationUploadResult> {
  const answer = await postUpload(context, {
    url: () => {
      const url = new URL(PLAN_REGULATION_UPLOAD_PATH, config().gatewayUrl);
      url.searchParams.set('planId', upload.planId);
      url.searchParams.set('name', upload.file.name || 'regolamento');
      return url;
    },
    body: upload.file.stream(),
    contentType: upload.file.type || 'application/octet-stream',
    timeoutMs: 60_000,
    fetch: options.fetch,
  });
  if (!answer) return { ok: false, status: 503, error: undefined };
  if (answer.status === 201) return { ok: true };
  const record =
    typeof answer.body === 'object' && answer.body !== null
      ? (answer.body as Record<string, unknown>)
      : {};
  return { ok: false, status: answer.status, error: normaliseErrors(record.errors)[0] };
}
