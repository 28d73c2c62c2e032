/**
 * The platform's shared vocabulary: values more than one subgraph names, written once. A
 * subgraph registers a GraphQL enum from these lists (the same name, values and description in
 * every subgraph, so federation merges them); the portal's labels are typed from the API schema,
 * so a value without a label fails its type check.
 */

/** Kinds of organisation on the platform. */
export const ORGANISATION_KINDS = [
  'COMUNE',
  'COOPERATIVE',
  'ASSOCIATION',
  'EMPLOYER',
  'MERCHANT',
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** Roles a person holds in an organisation. Which roles fit which kind: `ROLES_BY_KIND`. */
export const ROLES = ['OPERATOR', 'MANAGER', 'ADMIN', 'TUTOR', 'HR', 'OWNER', 'CASHIER'] as const;
export type Role = (typeof ROLES)[number];

export const ROLES_BY_KIND: Record<OrganisationKind, readonly Role[]> = {
  COMUNE: ['OPERATOR', 'MANAGER'],
  COOPERATIVE: ['ADMIN', 'TUTOR'],
  ASSOCIATION: ['ADMIN', 'TUTOR'],
  EMPLOYER: ['HR'],
  MERCHANT: ['OWNER', 'CASHIER'],
};

/**
 * The catalogue's fixed taxonomy of services. Third-sector owns offers; public-welfare names the
 * categories a campaign's credit pays for; later funds (an employer's plan, IES) will too.
 */
export const OFFER_CATEGORIES = [
  'EDUCATION',
  'CHILDCARE',
  'ELDERLY_CARE',
  'DISABILITY',
  'HEALTH',
  'SPORT',
  'CULTURE',
  'EMPLOYMENT',
  'HOME_SERVICES',
  'OTHER',
] as const;
export type OfferCategoryValue = (typeof OFFER_CATEGORIES)[number];

/** The GraphQL description of `OfferCategory`, identical in every subgraph that declares it. */
export const OFFER_CATEGORY_DESCRIPTION =
  'The category of an offer in the catalogue’s fixed taxonomy: EDUCATION (istruzione, doposcuola, tutoring), CHILDCARE (prima infanzia), ELDERLY_CARE (anziani), DISABILITY (disabilità), HEALTH (salute), SPORT, CULTURE (cultura), EMPLOYMENT (lavoro e formazione), HOME_SERVICES (servizi a domicilio), OTHER (altro).';

export function isOfferCategory(value: string): value is OfferCategoryValue {
  return (OFFER_CATEGORIES as readonly string[]).includes(value);
}

/** A `{ VALUE: 'VALUE' }` object of a list, as type-graphql's `registerEnumType` wants. */
export function enumObject<const T extends readonly string[]>(values: T): { [K in T[number]]: K } {
  return Object.fromEntries(values.map((v) => [v, v])) as { [K in T[number]]: K };
}
