/**
 * The payments subgraph's demo facts, as plain constants (`@welfare/payments/demo`): the
 * launcher prints them and tests import them instead of repeating ids. No ORM is loaded here.
 */

/** The fake Stripe's test cards (its hosted page): one succeeds, one is declined. */
export const DEMO_TEST_CARDS = {
  succeeds: '4242 4242 4242 4242',
  declined: '4000 0000 0000 0002',
} as const;
