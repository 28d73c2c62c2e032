import { z } from 'zod';

/*
 * The organisation lookup: identity (which owns organisations) answers another service, service to
 * service (`@welfare/kit/service`), what it keeps of one organisation that the caller must copy
 * into a document it issues. Payments uses it for a pagoPA notice's creditor: the Comune's name
 * and its codice fiscale (the `codiceIdentificativoEnte` of the notice and its QR code).
 * NOT_FOUND when there is no such organisation.
 */

/** The path of the lookup, under identity's base URL. */
export const ORGANISATION_PATHS = { lookup: '/internal/organisation' } as const;

export const organisationLookupRequest = z.object({ organisationId: z.string().uuid() });
export type OrganisationLookupRequest = z.infer<typeof organisationLookupRequest>;

/** What identity answers: the organisation as registered. */
export const organisationLookupResponse = z.object({
  id: z.string().uuid(),
  kind: z.string().min(1).max(40),
  name: z.string().min(1).max(500),
  /** Partita IVA or codice fiscale (11 digits for a public body). */
  taxCode: z.string().min(1).max(20),
});
export type OrganisationLookupResponse = z.infer<typeof organisationLookupResponse>;
