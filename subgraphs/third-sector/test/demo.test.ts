import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMUNE_ID, DEMO_PROVIDERS, DEMO_REQUIREMENTS } from '../src/demo/facts.js';
import { loadDemoData } from '../src/demo/load-demo-data.js';
import { DEMO_OFFERS } from '../src/demo/demo-offers.js';
import { setupSuite, type Suite } from './helpers.js';

let suite: Suite;
beforeAll(async () => {
  suite = await setupSuite('demo');
});
afterAll(() => suite?.close());

const TABLES = [
  'accreditation_requirement',
  'accreditation_request',
  'accreditation_answer',
  'accreditation_document',
  'accreditation_event',
] as const;

describe('demo data', () => {
  it('loads idempotently: two accredited providers and one pending', async () => {
    await loadDemoData(suite.orm.em.fork(), suite.services);
    const first = await Promise.all(TABLES.map((t) => suite.count(t)));
    expect(first.slice(0, 2)).toEqual([DEMO_REQUIREMENTS.length, 3]);
    await loadDemoData(suite.orm.em.fork(), suite.services);
    expect(await Promise.all(TABLES.map((t) => suite.count(t)))).toEqual(first);

    const accredited = await suite.services.accreditations.accreditedProviders(
      suite.orm.em.fork(),
      DEMO_COMUNE_ID,
    );
    expect(accredited.map((r) => r.providerId).sort()).toEqual(
      [DEMO_PROVIDERS.laEsse.id, DEMO_PROVIDERS.amici.id].sort(),
    );
    const pending = await suite.sql<{ status: string }>(
      `select status from "third_sector"."accreditation_request" where provider_id = ?`,
      [DEMO_PROVIDERS.girasole.id],
    );
    expect(pending).toEqual([{ status: 'SUBMITTED' }]);
  });

  it('loads the demo offers idempotently: the accredited providers’ in the catalogue, Il Girasole’s drafts not', async () => {
    await loadDemoData(suite.orm.em.fork(), suite.services);
    const offers = await suite.count('offer');
    // The demo offers and the demo tutoring programme's catalogue entry.
    expect(offers).toBe(DEMO_OFFERS.length + 1);
    await loadDemoData(suite.orm.em.fork(), suite.services);
    expect(await suite.count('offer')).toBe(offers);
    const page = await suite.services.catalogue.search(suite.orm.em.fork(), {
      comuneId: DEMO_COMUNE_ID,
      pageSize: 50,
    });
    expect(page.total).toBe(DEMO_OFFERS.filter((o) => o.publish).length + 1);
    expect(page.items.some((o) => o.providerId === DEMO_PROVIDERS.girasole.id)).toBe(false);
    expect(page.facets.categories.every((c) => c.count > 0)).toBe(true);
    const girasole = await suite.sql<{ status: string }>(
      `select status from "third_sector"."offer" where provider_id = ?`,
      [DEMO_PROVIDERS.girasole.id],
    );
    expect(girasole).toEqual([{ status: 'DRAFT' }, { status: 'DRAFT' }]);
  });
});
