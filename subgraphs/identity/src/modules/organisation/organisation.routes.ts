import type { MikroORM } from '@mikro-orm/postgresql';
import {
  ORGANISATION_PATHS,
  organisationLookupRequest,
  type OrganisationLookupResponse,
} from '@welfare/kit/contracts';
import { DomainError } from '@welfare/kit/errors';
import { internalRoute, type InternalRoute } from '@welfare/kit/service';
import type { OrganisationService } from './organisation.service.js';

/** The services that may look an organisation up: payments (a pagoPA notice's creditor). */
export const ORGANISATION_LOOKUP_CALLERS = ['payments'] as const;

/**
 * `POST /internal/organisation` (the kit's organisation contract): service tokens of the callers
 * above only (401 / 403 to anyone else); NOT_FOUND for an unknown organisation.
 */
export function organisationRoutes(options: {
  orm: MikroORM;
  organisations: OrganisationService;
}): Record<string, InternalRoute> {
  return {
    [`POST ${ORGANISATION_PATHS.lookup}`]: internalRoute({
      callers: ORGANISATION_LOOKUP_CALLERS,
      input: organisationLookupRequest,
      run: async ({ organisationId }): Promise<OrganisationLookupResponse> => {
        const found = await options.organisations.findById(options.orm.em.fork(), organisationId);
        if (!found) throw DomainError.notFound();
        return { id: found.id, kind: found.kind, name: found.name, taxCode: found.taxCode };
      },
    }),
  };
}
