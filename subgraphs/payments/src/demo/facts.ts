/**
 * The payments subgraph's demo facts, as plain constants (`@welfare/payments/demo`): the
 * launcher prints them and tests import them instead of repeating ids. No ORM is loaded here.
 */

/** The demo Comune (identity's demo organisation, referenced by id only). */
export const DEMO_COMUNE_ID = '0b7c2d1e-0000-4000-8000-000000000101';

/** The demo notice's id, loaded idempotently at start-up with the demo data. */
export const DEMO_NOTICE_ID = '61e72c57-c28f-474d-a6d0-e68a33310aff';
