import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidPersonalFiscalCode } from '@welfare/kit';
import { DEMO_COMUNE_ID, DEMO_HOUSEHOLDS, demoCsvFiles } from '../src/demo/demo-registry.js';
import { loadDemoData } from '../src/demo/load-demo-data.js';
import { setupSuite, staff, type Suite } from './helpers.js';

let suite: Suite;

beforeAll(async () => {
  suite = await setupSuite('demo');
});
afterAll(() => suite.close());

describe('demo data', () => {
  it('generates the same files every time, with valid codici fiscali', () => {
    const files = demoCsvFiles();
    expect(demoCsvFiles()).toEqual(files);
    const rows = files.registry.trim().split('\r\n').slice(1);
    expect(rows.length).toBeGreaterThan(DEMO_HOUSEHOLDS);
    for (const row of rows) expect(isValidPersonalFiscalCode(row.split(';')[1]!)).toBe(true);
  });

  it('loads about 300 households with members and ISEE for most, idempotently', async () => {
    await loadDemoData(suite.orm.em.fork(), suite.services.imports);
    const counts = async () => [
      await suite.count('household', DEMO_COMUNE_ID),
      await suite.count('household_member', DEMO_COMUNE_ID),
      await suite.count('income_declaration', DEMO_COMUNE_ID),
      await suite.count('import_job'),
    ];
    const first = await counts();
    expect(first[0]).toBe(DEMO_HOUSEHOLDS);
    expect(first[1]).toBeGreaterThan(DEMO_HOUSEHOLDS * 2);
    expect(first[2]).toBeGreaterThan(DEMO_HOUSEHOLDS * 0.75);
    expect(first[2]).toBeLessThan(DEMO_HOUSEHOLDS);
    expect(first[3]).toBe(2);
    await loadDemoData(suite.orm.em.fork(), suite.services.imports);
    expect(await counts()).toEqual(first);

    // The demo Comune's operator can search it.
    const result = await suite.run<{ households: { totalCount: number } }>(
      `query($c: ID!) { households(comuneId: $c, filter: { hasMinors: true }) { totalCount } }`,
      { c: DEMO_COMUNE_ID },
      staff(DEMO_COMUNE_ID),
    );
    expect(result.data?.households.totalCount).toBeGreaterThan(10);
  });
});
