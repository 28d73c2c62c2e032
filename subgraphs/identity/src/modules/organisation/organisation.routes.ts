import type { MikroORM } from '@mikro-orm/postgresql';
import { REIMBURSEMENT_PATHS, payeesRequest } from '@welfare/kit/contracts';
import { internalRoute, type InternalRoute } from '@welfare/kit/service';
import type { OrganisationService } from './organisation.service.js';

/** The only service that may read payees: the owner of the Comunes' reimbursement batches. */
export const PAYEE_CALLERS = ['public-welfare'] as const;

/**
 * The reimbursement contract's payees route (`POST /internal/reimbursement/payees`): the names
 * and IBANs of organisations, for public-welfare's service token only (the kit answers 401 / 403
 * to anyone else); the body validated by the contract (400 with fields).
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
  };
}
