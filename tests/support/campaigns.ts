// A voucher campaign (public-welfare) of a test's own, created as the Comune's staff creates it:
// through the gateway with a MANAGER's session, open to applications since yesterday for 30 days,
// by default 100 € a household whatever its size, residency required, no ISEE threshold, no
// declarations (a test or the bench says otherwise). Published unless the test wants a draft;
// closed by the test's clean-up (closeCampaign) on the shared platform.
import { DEMO_COMUNE_ID } from './demo.js';
import { gql, type GraphQLResponse } from './graphql.js';

const DAY = 86_400_000;

/** The day `days` days from today (UTC), as YYYY-MM-DD (a CampaignInput date). */
export const daysAhead = (days: number) =>
  new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

/** What a test says about its campaign; every other field of CampaignInput is the default. */
export interface CampaignSeed {
  /** Its title: unique on the shared platform (a run's random suffix) when a page looks it up. */
  title: string;
  /** Its description; a generic one unless told. */
  description?: string;
  /** The Comune; the demo Comune (Balestrate) unless told. */
  comuneId?: string;
  /** Its budget; 1,000 € unless told. */
  budgetCents?: number;
  /** The last day the credit can be spent (YYYY-MM-DD); 90 days from today unless told. */
  spendingUntil?: string;
  /** The catalogue categories its credit pays for; none unless told. */
  serviceCategories?: string[];
  /** Its kind (CampaignKind); OTHER unless told. */
  kind?: string;
  /** Who may apply; residency required, no ISEE threshold, public support allowed unless told. */
  rules?: {
    requireResidency: boolean;
    iseeThresholds: { type: string; maxCents: number }[];
    excludePublicSupport: boolean;
  };
  /** How much a household gets; 100 € whatever its size unless told. */
  amountSchedule?: { mode: string; bySizeCents?: number[] };
  /** The declarations an applicant accepts; none unless told. */
  declarations?: { code: string; textIt: string; textEn: string }[];
  /** Published (PUBLISHED, open to applications) unless false: a DRAFT then. */
  publish?: boolean;
}

/**
 * Creates the campaign through `gateway` with `token` (a MANAGER of its Comune), publishes it
 * unless told not to, and returns its id; throws with the API's errors when either step fails.
 */
export async function createCampaign(
  gateway: string,
  token: string,
  seed: CampaignSeed,
): Promise<string> {
  const now = Date.now();
  const created = await gql<{ createCampaign: { id: string } }>(
    gateway,
    `mutation($input: CampaignInput!) { createCampaign(input: $input) { id } }`,
    {
      input: {
        comuneId: seed.comuneId ?? DEMO_COMUNE_ID,
        kind: seed.kind ?? 'OTHER',
        title: seed.title,
        description: seed.description ?? 'Buoni di prova.',
        contacts: 'Ufficio servizi sociali',
        budgetCents: seed.budgetCents ?? 100_000,
        applicationsOpenAt: new Date(now - DAY).toISOString(),
        applicationsCloseAt: new Date(now + 30 * DAY).toISOString(),
        spendingFrom: '2020-01-01',
        spendingUntil: seed.spendingUntil ?? daysAhead(90),
        rules: seed.rules ?? {
          requireResidency: true,
          iseeThresholds: [],
          excludePublicSupport: false,
        },
        amountSchedule: seed.amountSchedule ?? { mode: 'BY_SIZE', bySizeCents: [10_000] },
        declarations: seed.declarations ?? [],
        serviceCategories: seed.serviceCategories ?? [],
      },
    },
    { token },
  );
  const id = created.data?.createCampaign.id;
  if (!id || created.errors) {
    throw new Error(`createCampaign: ${created.status} ${JSON.stringify(created.errors)}`);
  }
  if (seed.publish ?? true) {
    const published = await gql(
      gateway,
      `mutation($id: ID!) { publishCampaign(id: $id) { id } }`,
      { id },
      { token },
    );
    if (published.errors) {
      throw new Error(`publishCampaign: ${published.status} ${JSON.stringify(published.errors)}`);
    }
  }
  return id;
}

/**
 * Closes the campaign (a test's clean-up on the shared platform) and returns the API's errors:
 * undefined when it closed.
 */
export async function closeCampaign(
  gateway: string,
  token: string,
  id: string,
): Promise<GraphQLResponse['errors']> {
  const closed = await gql(
    gateway,
    `mutation($id: ID!) { closeCampaign(id: $id) { id } }`,
    { id },
    { token },
  );
  return closed.errors;
}
