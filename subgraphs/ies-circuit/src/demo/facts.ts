/**
 * The ies-circuit subgraph's demo facts, as plain constants (`@welfare/ies-circuit/demo`): the
 * launcher prints them and tests import them instead of repeating ids. No ORM is loaded here.
 */

/** The demo Comune, the Balestrate circuit's manager (identity's demo organisation). */
export const DEMO_COMUNE_ID = '0b7c2d1e-0000-4000-8000-000000000101';
/** Identity's demo shop (Alimentari Da Rosa, Balestrate): a business that accepts IES. */
export const DEMO_SHOP_ID = '0b7c2d1e-0000-4000-8000-000000000104';
/** Identity's demo cooperative (La Esse): its catalogue offers accept IES. */
export const DEMO_COOPERATIVE_ID = '0b7c2d1e-0000-4000-8000-000000000102';
/** Identity's demo association (Amici di Balestrate): volunteering shifts. */
export const DEMO_ASSOCIATION_ID = '0b7c2d1e-0000-4000-8000-000000000105';
/** Identity's demo citizen Giuseppe Lo Cascio, who holds IES. */
export const DEMO_CITIZEN_PERSON_ID = '0b7c2d1e-0000-4000-8000-000000000303';
export const DEMO_CITIZEN_FISCAL_CODE = 'LCSGPP72S03A592D';

/** The demo circuit. */
export const DEMO_CIRCUIT_ID = '1e5c0000-0000-4000-8000-000000000001';
export const DEMO_CIRCUIT_CODE = 'balestrate';

/** The demo members' ids. */
export const DEMO_MEMBER_IDS = {
  comune: '1e5c0000-0000-4000-8000-000000000101',
  shop: '1e5c0000-0000-4000-8000-000000000102',
  cooperative: '1e5c0000-0000-4000-8000-000000000103',
  association: '1e5c0000-0000-4000-8000-000000000104',
  giuseppe: '1e5c0000-0000-4000-8000-000000000105',
} as const;

/** Giuseppe's IES, bought with euro (cents). */
export const DEMO_GIUSEPPE_IES_CENTS = 4_000;
/** The rewards the Comune funded in euro (cents). */
export const DEMO_REWARDS_CENTS = 50_000;

/** The demo reward for attendance: 2,00 IES per lesson attended, at most 10,00 IES a month. */
export const DEMO_ATTENDANCE_RULE_ID = '1e5c0000-0000-4000-8000-000000000201';
/** The Comune's manager (identity's demo `responsabile@balestrate.demo`), who set the rule. */
export const DEMO_MANAGER_PERSON_ID = '0b7c2d1e-0000-4000-8000-000000000203';
