import {
  ORGANISATION_PATHS,
  organisationLookupResponse,
  type OrganisationLookupResponse,
} from '@welfare/kit/contracts';
import { DomainError } from '@welfare/kit/errors';
import { OutcomeUnknown, ServiceClient, ServiceRefusal } from '@welfare/kit/service';

/** A Comune as a pagoPA creditor (ente creditore): what a notice prints of it. */
export interface Creditor {
  name: string;
  /** The Comune's codice fiscale (11 digits): codiceIdentificativoEnte of the notice and QR. */
  fiscalCode: string;
}

/**
 * Where a Comune's name and codice fiscale live: identity's organisations (the organisation
 * contract, `POST /internal/organisation`, service to service). Null when there is no such
 * Comune.
 */
export interface CreditorDirectory {
  creditor(comuneId: string): Promise<Creditor | null>;
}

/** The directory asked of identity with this service's key. */
export function identityCreditors(options: {
  privateKey: string;
  baseUrl: string;
}): CreditorDirectory {
  const client = new ServiceClient({
    service: 'payments',
    privateKey: options.privateKey,
    audience: 'identity',
    baseUrl: options.baseUrl,
  });
  return {
    async creditor(comuneId) {
      let found: OrganisationLookupResponse;
      try {
        found = await client.call(
          ORGANISATION_PATHS.lookup,
          { organisationId: comuneId },
          organisationLookupResponse,
        );
      } catch (err) {
        if (err instanceof ServiceRefusal && err.code === 'NOT_FOUND') return null;
        if (err instanceof OutcomeUnknown || err instanceof ServiceRefusal) {
          throw creditorUnavailable();
        }
        throw err;
      }
      if (found.kind !== 'COMUNE') return null;
      return { name: found.name, fiscalCode: found.taxCode };
    },
  };
}

/** No directory is configured (no service key or no identity URL). */
export const noCreditors: CreditorDirectory = {
  creditor: () => Promise.reject(creditorUnavailable()),
};

function creditorUnavailable(): DomainError {
  return new DomainError(
    'SERVICE_UNAVAILABLE',
    {
      it: 'I dati dell’ente creditore non sono disponibili: riprova più tardi.',
      en: 'The creditor’s data is unavailable: try again later.',
    },
    { retryAfterSeconds: 5 },
  );
}
