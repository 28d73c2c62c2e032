import {
  ORGANISATION_PATHS,
  organisationLookupResponse,
  type OrganisationLookupResponse,
} from '@welfare/kit/contracts';
import { DomainError } from '@welfare/kit/errors';
import { OutcomeUnknown, ServiceClient, ServiceRefusal } from '@welfare/kit/service';

/** An organisation as identity registered it: what creating a circuit needs of its manager. */
export interface DirectoryOrganisation {
  id: string;
  /** Identity's organisation kind (`COMUNE`, `MERCHANT`, …). */
  kind: string;
  name: string;
}

/**
 * Where organisations' kinds and names live: identity (the kit's organisation contract,
 * `POST /internal/organisation`, service to service). Null when there is no such organisation.
 */
export interface OrganisationDirectory {
  organisation(organisationId: string): Promise<DirectoryOrganisation | null>;
}

/** The directory asked of identity with this service's key. */
export function identityOrganisations(options: {
  privateKey: string;
  baseUrl: string;
}): OrganisationDirectory {
  const client = new ServiceClient({
    service: 'ies-circuit',
    privateKey: options.privateKey,
    audience: 'identity',
    baseUrl: options.baseUrl,
  });
  return {
    async organisation(organisationId) {
      let found: OrganisationLookupResponse;
      try {
        found = await client.call(
          ORGANISATION_PATHS.lookup,
          { organisationId },
          organisationLookupResponse,
        );
      } catch (err) {
        if (err instanceof ServiceRefusal && err.code === 'NOT_FOUND') return null;
        if (err instanceof OutcomeUnknown || err instanceof ServiceRefusal) {
          throw directoryUnavailable();
        }
        throw err;
      }
      return { id: found.id, kind: found.kind, name: found.name };
    },
  };
}

/** No directory is configured (no service key or no identity URL): creating a circuit waits. */
export const noOrganisations: OrganisationDirectory = {
  organisation: () => Promise.reject(directoryUnavailable()),
};

function directoryUnavailable(): DomainError {
  return new DomainError(
    'SERVICE_UNAVAILABLE',
    {
      it: 'I dati del Comune non sono disponibili: riprova più tardi.',
      en: 'The Comune’s data is unavailable: try again later.',
    },
    { retryAfterSeconds: 5 },
  );
}
