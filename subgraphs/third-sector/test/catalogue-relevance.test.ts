import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMUNE_ID, DEMO_PROVIDERS } from '../src/demo/facts.js';
import { loadDemoData } from '../src/demo/load-demo-data.js';
import type { OfferTargetValue } from '../src/modules/offer/offer.enums.js';
import { member, setupSuite, type Suite } from './helpers.js';
import { CREATE, PUBLISH, offerInput } from './offer-fixtures.js';

/**
 * The judged query set (`relevance/judged.json`): every query's judged offers must be in its
 * first five results. Precision at 5 here is, per query, the judged offers found in the first
 * five over the judged offers that fit there (min(5, judged)); the mean over the queries must be
 * at least PRECISION_MIN.
 */
const PRECISION_MIN = 0.95;

interface Judged {
  query: string;
  targets?: OfferTargetValue[];
  relevant: string[];
}
const judged = (
  JSON.parse(readFileSync(new URL('./relevance/judged.json', import.meta.url), 'utf8')) as {
    queries: Judged[];
  }
).queries;

/** Offers the catalogue will have (tutoring, swimming, an evening babysitter, English). */
const SEEDED = [
  {
    provider: DEMO_PROVIDERS.laEsse,
    title: 'Tutoraggio per studenti delle superiori',
    description:
      'Affiancamento di un tutor universitario nello studio di matematica, fisica e latino.',
    category: 'EDUCATION',
    targets: ['TEENAGERS'],
  },
  {
    provider: DEMO_PROVIDERS.amici,
    title: 'Acquagym in piscina',
    description: 'Ginnastica in acqua per adulti e anziani nella piscina comunale di Partinico.',
    category: 'SPORT',
    targets: ['ADULTS', 'ELDERLY'],
  },
  {
    provider: DEMO_PROVIDERS.amici,
    title: 'Corso di nuoto per bambini',
    description: 'Acquaticità e primi stili di nuoto per bambini dai 4 ai 10 anni.',
    category: 'SPORT',
    targets: ['CHILDREN'],
  },
  {
    provider: DEMO_PROVIDERS.laEsse,
    title: 'Babysitter per la sera',
    description: 'Una babysitter esperta a casa vostra la sera e nei giorni festivi.',
    category: 'CHILDCARE',
    targets: ['CHILDREN'],
  },
  {
    provider: DEMO_PROVIDERS.laEsse,
    title: 'Corso di inglese per ragazzi',
    description:
      'Lezioni di lingua inglese con insegnante madrelingua e preparazione alle certificazioni.',
    category: 'EDUCATION',
    targets: ['TEENAGERS'],
  },
];

let suite: Suite;
beforeAll(async () => {
  suite = await setupSuite('relevance');
  await loadDemoData(suite.orm.em.fork(), suite.services);
  for (const { provider, ...fields } of SEEDED) {
    const admin = member(provider.id, provider.kind, 'ADMIN');
    const created = await suite.run<{ createOffer: { id: string } }>(
      CREATE,
      { providerId: provider.id, comuneId: DEMO_COMUNE_ID, input: offerInput(fields) },
      admin,
    );
    expect(created.errors).toBeUndefined();
    const published = await suite.run(PUBLISH, { id: created.data!.createOffer.id }, admin);
    expect(published.errors).toBeUndefined();
  }
});
afterAll(() => suite?.close());

describe('the catalogue’s relevance on the judged queries', () => {
  it(`finds the judged offers in the first five (mean precision at 5 ≥ ${PRECISION_MIN})`, async () => {
    expect(judged.length).toBeGreaterThanOrEqual(60);
    const misses: string[] = [];
    let sum = 0;
    for (const j of judged) {
      const page = await suite.services.catalogue.search(suite.orm.em.fork(), {
        comuneId: DEMO_COMUNE_ID,
        text: j.query,
        targets: j.targets ?? null,
        pageSize: 5,
      });
      const top = page.items.map((o) => o.title);
      const found = j.relevant.filter((t) => top.includes(t));
      sum += found.length / Math.min(5, j.relevant.length);
      if (found.length < j.relevant.length) {
        misses.push(
          `  "${j.query}": missed ${j.relevant.filter((t) => !top.includes(t)).join(', ')}; got ${top.join(' | ')}`,
        );
      }
    }
    const precision = sum / judged.length;
    console.log(
      `catalogue relevance: precision at 5 = ${precision.toFixed(3)} over ${judged.length} judged queries (minimum ${PRECISION_MIN})${misses.length ? `\n${misses.join('\n')}` : ''}`,
    );
    expect(precision).toBeGreaterThanOrEqual(PRECISION_MIN);
  });

  it('ranks a title match above a description match, and "compiti" finds homework help first', async () => {
    const search = (text: string) =>
      suite.services.catalogue.search(suite.orm.em.fork(), {
        comuneId: DEMO_COMUNE_ID,
        text,
        pageSize: 5,
      });
    expect((await search('compiti')).items[0]!.title).toBe('Doposcuola e aiuto compiti');
    // "teatro" is in one title; "teatrale" only in that offer's description.
    expect((await search('laboratori')).items.map((o) => o.title).slice(0, 2)).toContain(
      'Laboratorio di teatro',
    );
    const nuoto = (await search('nuoto')).items.map((o) => o.title);
    // The word itself (in the title) before its synonym ("piscina").
    expect(nuoto.indexOf('Corso di nuoto per bambini')).toBeLessThan(
      nuoto.indexOf('Acquagym in piscina'),
    );
  });
});
