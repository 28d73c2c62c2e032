// Operations of the provider accreditation pages (third-sector subgraph), and the one client of
// its document upload route. Server-only.
import { config } from './config';
import type { GatewayContext } from './gateway';
import { type ApiError, normaliseErrors } from './errors';
import { graphql } from './graphql';
import { postUpload } from './gateway-upload';

export const ProviderAccreditationsQuery = graphql(`
  query ProviderAccreditations($providerId: ID!) {
    providerAccreditations(providerId: $providerId) {
      id
      status
      renewalOf
      validUntil
      effective
      submittedAt
      createdAt
      comune {
        id
        name
      }
    }
    accreditingComuni {
      id
      name
    }
  }
`);

export const AccreditationRequestQuery = graphql(`
  query AccreditationRequest($id: ID!) {
    providerAccreditation(id: $id) {
      id
      providerId
      comuneId
      status
      renewalOf
      validUntil
      effective
      integrationReason
      decisionReason
      suspensionReason
      submittedAt
      decidedAt
      createdAt
      provider {
        id
        name
      }
      comune {
        id
        name
      }
      checklist {
        requirement {
          id
          code
          textIt
          textEn
          documentRequired
        }
        declared
        note
        documents {
          id
          fileName
          sizeBytes
          uploadedAt
        }
      }
      history {
        id
        kind
        actorRole
        fromStatus
        toStatus
        reason
        at
      }
    }
  }
`);

export const StartAccreditationMutation = graphql(`
  mutation StartAccreditation($providerId: ID!, $comuneId: ID!) {
    startProviderAccreditation(providerId: $providerId, comuneId: $comuneId) {
      id
    }
  }
`);

export const RenewAccreditationMutation = graphql(`
  mutation RenewAccreditation($id: ID!) {
    renewProviderAccreditation(accreditationId: $id) {
      id
    }
  }
`);

export const SaveAnswersMutation = graphql(`
  mutation SaveAccreditationAnswers($id: ID!, $answers: [ProviderAccreditationAnswerInput!]!) {
    saveProviderAccreditationAnswers(id: $id, answers: $answers) {
      id
    }
  }
`);

export const SubmitAccreditationMutation = graphql(`
  mutation SubmitAccreditation($id: ID!, $answers: [ProviderAccreditationAnswerInput!]) {
    submitProviderAccreditation(id: $id, answers: $answers) {
      id
      status
    }
  }
`);

export const ComuneAccreditationsQuery = graphql(`
  query ComuneAccreditations($comuneId: ID!, $filter: ProviderAccreditationQueueFilter) {
    accreditationRequirements(comuneId: $comuneId, includeRetired: true) {
      id
      code
      textIt
      textEn
      documentRequired
      position
      retiredAt
      inUse
    }
    providerAccreditationQueue(comuneId: $comuneId, filter: $filter) {
      totalCount
      items {
        id
        status
        renewalOf
        validUntil
        effective
        submittedAt
        provider {
          id
          name
        }
      }
    }
  }
`);

export const SaveRequirementMutation = graphql(`
  mutation SaveAccreditationRequirement($input: AccreditationRequirementInput!) {
    saveAccreditationRequirement(input: $input) {
      id
    }
  }
`);

export const RetireRequirementMutation = graphql(`
  mutation RetireAccreditationRequirement($id: ID!) {
    retireAccreditationRequirement(id: $id) {
      id
    }
  }
`);

export const StartReviewMutation = graphql(`
  mutation StartAccreditationReview($id: ID!) {
    startProviderAccreditationReview(id: $id) {
      id
    }
  }
`);

export const RequestIntegrationMutation = graphql(`
  mutation RequestAccreditationIntegration($id: ID!, $reason: String!) {
    requestProviderAccreditationIntegration(id: $id, reason: $reason) {
      id
    }
  }
`);

export const DecideAccreditationMutation = graphql(`
  mutation DecideAccreditation($id: ID!, $input: ProviderAccreditationDecisionInput!) {
    decideProviderAccreditation(id: $id, input: $input) {
      id
    }
  }
`);

export const SuspendAccreditationMutation = graphql(`
  mutation SuspendAccreditation($id: ID!, $reason: String!) {
    suspendProviderAccreditation(id: $id, reason: $reason) {
      id
    }
  }
`);

export const ReinstateAccreditationMutation = graphql(`
  mutation ReinstateAccreditation($id: ID!, $reason: String!) {
    reinstateProviderAccreditation(id: $id, reason: $reason) {
      id
    }
  }
`);

export const ACCREDITATION_UPLOAD_PATH = '/uploads/third-sector/files/documents';

export type AccreditationUploadResult =
  { ok: true; documentId: string } | { ok: false; status: number; error: ApiError | undefined };

/**
 * Streams one document of an accreditation request to the gateway's upload route with the
 * session, the client address and the request id. Never throws: a network failure is status 503.
 */
export async function uploadAccreditationDocument(
  context: GatewayContext,
  upload: { requestId: string; requirementId: string; file: Blob & { name?: string } },
  options: { fetch?: typeof fetch } = {},
): Promise<AccreditationUploadResult> {
  const answer = await postUpload(context, {
    url: () => {
      const url = new URL(ACCREDITATION_UPLOAD_PATH, config().gatewayUrl);
      url.searchParams.set('requestId', upload.requestId);
      url.searchParams.set('requirementId', upload.requirementId);
      url.searchParams.set('name', upload.file.name || 'documento');
      return url;
    },
    body: upload.file.stream(),
    contentType: upload.file.type || 'application/octet-stream',
    timeoutMs: 60_000,
    fetch: options.fetch,
  });
  if (!answer) return { ok: false, status: 503, error: undefined };
  const record =
    typeof answer.body === 'object' && answer.body !== null
      ? (answer.body as Record<string, unknown>)
      : {};
  if (answer.status === 201 && typeof record.documentId === 'string') {
    return { ok: true, documentId: record.documentId };
  }
  return { ok: false, status: answer.status, error: normaliseErrors(record.errors)[0] };
}
