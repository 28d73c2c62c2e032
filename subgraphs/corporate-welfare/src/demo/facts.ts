/**
 * The corporate-welfare subgraph's demo facts, as plain constants (`@welfare/corporate-welfare/demo`):
 * the launcher prints them and tests import them instead of repeating ids. No ORM is loaded here.
 */

/** The demo employer, Officine Rossi S.p.A. (identity's demo organisation, referenced by id only). */
export const DEMO_EMPLOYER_ID = '0b7c2d1e-0000-4000-8000-000000000103';
