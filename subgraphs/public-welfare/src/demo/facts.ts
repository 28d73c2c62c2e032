/**
 * The demo data's fixed facts (package export `@welfare/public-welfare/demo`): plain constants, no
 * dependencies, so that the launcher can print them and the tests can name the demo's campaigns
 * and card without loading the subgraph. The loaders beside this file create the data.
 */

/** The demo Comune (Comune di Balestrate): the fixed id of identity's demo data. */
export const DEMO_COMUNE_ID = '0b7c2d1e-0000-4000-8000-000000000101';

/** The demo campaign, open to applications (links in the README and tests). */
export const DEMO_CAMPAIGN_ID = '0b7c2d1e-0000-4000-8000-000000000901';
export const DEMO_CAMPAIGN_TITLE = 'Buoni spesa 2026';

/** Third-sector services the demo campaign's credit can pay for (catalogue offers). */
export const DEMO_SERVICE_CATEGORIES = ['EDUCATION', 'CHILDCARE', 'SPORT'];

/** The second demo campaign: closed to applications, cards issued and credited, a shop accredited. */
export const DEMO_SPENDING_CAMPAIGN_ID = '0b7c2d1e-0000-4000-8000-000000000902';
export const DEMO_SPENDING_CAMPAIGN_TITLE = 'Buoni spesa – primo semestre 2026';

/** The PIN of every demo card (printed with the demo logins; never in a real Comune). */
export const DEMO_CARD_PIN = '135790';

/** The demo citizen who holds a card with credit (Giuseppe Lo Cascio). */
export const DEMO_CARD_HOLDER = 'LCSGPP72S03A592D';
