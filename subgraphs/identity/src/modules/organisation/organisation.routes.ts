import type { MikroORM } from '@mikro-orm/postgresql';
import {
  ORGANISATION_PATHS,
  REIMBURSEMENT_PATHS,
  organisationLookupRequest,
  payeesRequest,
  type OrganisationLookupResponse,
} from '@welfare/kit/contracts';
import { DomainError } from '@welfare/kit/errors';
import { internalRoute, type InternalRoute } from '@welfare/kit/service';
import type { OrganisationService } from './organisation.service.js';

/** The only service that may read payees: the owner of the Comunes' reimbursement batches. */
export const PAYEE_CALLERS = ['public-welfare'] as const;

/**
 * The services that may look an organisation up: payments (a pagoPA notice's creditor), ies-circuit
 * (a new circuit's manager Comune).
 */
export const ORGANISATION_LOOKUP_CALLERS = ['payments', 'ies-circuit'] as const;

/**
 * Identity's internal routes, each answering its callers' service tokens only (the kit answers
 * 401 / 403 to anyone else; the body validated by the contract, 400 with fields):
 * - the reimbursement contract's payees (`POST /internal/reimbursement/payees`): the names and
 *   IBANs of organisations, for public-welfare;
 * - `POST /internal/organisation` (the kit's organisation contract), for payments; NOT_FOUND for an
 *   unknown organisation; and for ies-circuit.
 */
export function organisationRoutes(options: {
  orm: MikroORM;
  organisations: OrganisationService;
}): Record<string, InternalRoute> {
  const { orm, organisations } = options;
  return {
    [`POST ${REIMBURSEMENT_PATHS.payees}`]: internalRoute({
      callers: PAYEE_CALLERS,
      input: payeesRequest,
      run: async (input) => ({
        payees: await organisations.payees(orm.em.fork(), input.organisationIds),
      }),
    }),
    [`POST ${ORGANISATION_PATHS.lookup}`]: internalRoute({
      callers: ORGANISATION_LOOKUP_CALLERS,
      input: organisationLookupRequest,
      run: async ({ organisationId }): Promise<OrganisationLookupResponse> => {
        const found = await organisations.findById(orm.em.fork(), organisationId);
        if (!found) throw DomainError.notFound();
        return { id: found.id, kind: found.kind, name: found.name, taxCode: found.taxCode };
      },
    }),
  };
}
