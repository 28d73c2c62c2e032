import {
  MAX_PAYEES_PER_CALL,
  REIMBURSEMENT_PATHS,
  deliveredLessonsResponse,
  payeesResponse,
  type DeliveredLesson,
  type Payee,
} from '@welfare/kit/contracts';
import { ServiceClient } from '@welfare/kit/service';

/*
 * What a reimbursement batch asks other subgraphs, through the reimbursement contract
 * (`@welfare/kit/contracts`, service to service): identity for the providers' names and IBANs (it
 * owns organisations), third-sector for the tutoring hours delivered (it owns the attendance
 * register). No table of theirs is read, no code of theirs imported.
 */

/** The providers' names and IBANs (identity's organisations). */
export interface PayeeDirectory {
  payees(organisationIds: readonly string[]): Promise<Payee[]>;
}

/** The tutoring lessons held in the Comune's programmes (third-sector's attendance register). */
export interface DeliveredHoursSource {
  deliveredLessons(comuneId: string, upTo: string): Promise<DeliveredLesson[]>;
}

/** Batches' peers when they are not configured: no payee is known, no hours are delivered. */
export const noPeers: { payees: PayeeDirectory; hours: DeliveredHoursSource } = {
  payees: { payees: () => Promise.resolve([]) },
  hours: { deliveredLessons: () => Promise.resolve([]) },
};

/** How this subgraph reaches identity and third-sector (from the config). */
export interface ReimbursementPeerSettings {
  /** This subgraph's service signing key (Ed25519 JWK JSON). */
  privateKey: string;
  identityUrl: string;
  thirdSectorUrl: string;
  timeoutMs?: number;
}

/** The peers over the reimbursement contract, as the `public-welfare` service. */
export function contractPeers(settings: ReimbursementPeerSettings): {
  payees: PayeeDirectory;
  hours: DeliveredHoursSource;
} {
  const client = (audience: string, baseUrl: string) =>
    new ServiceClient({
      service: 'public-welfare',
      privateKey: settings.privateKey,
      audience,
      baseUrl,
      timeoutMs: settings.timeoutMs ?? 5_000,
    });
  const identity = client('identity', settings.identityUrl);
  const thirdSector = client('third-sector', settings.thirdSectorUrl);
  return {
    payees: {
      async payees(organisationIds) {
        const unique = [...new Set(organisationIds)];
        const found: Payee[] = [];
        for (let i = 0; i < unique.length; i += MAX_PAYEES_PER_CALL) {
          const page = unique.slice(i, i + MAX_PAYEES_PER_CALL);
          const answer = await identity.call(
            REIMBURSEMENT_PATHS.payees,
            { organisationIds: page },
            payeesResponse,
          );
          found.push(...answer.payees);
        }
        return found;
      },
    },
    hours: {
      async deliveredLessons(comuneId, upTo) {
        const answer = await thirdSector.call(
          REIMBURSEMENT_PATHS.deliveredLessons,
          { comuneId, upTo },
          deliveredLessonsResponse,
        );
        return answer.lessons;
      },
    },
  };
}
