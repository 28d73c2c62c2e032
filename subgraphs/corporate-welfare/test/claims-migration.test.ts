import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Suite } from '@welfare/kit/test-suite';
import type { Services } from '../src/services.js';
import { setupSuite } from './helpers.js';

let suite: Suite<Services>;
beforeAll(async () => {
  suite = await setupSuite('claims_migration');
});
afterAll(() => suite.close());

const tables = async () =>
  (
    await suite.sql<{ table_name: string }>(
      `select table_name from information_schema.tables
        where table_schema = 'corporate_welfare' and table_name like 'claim%' order by 1`,
    )
  ).map((r) => r.table_name);

describe('Migration20261207060000_claims', () => {
  it('goes down (the claims tables dropped) and up again', async () => {
    expect(await tables()).toEqual(['claim', 'claim_receipt']);
    const migrator = suite.orm.getMigrator();
    await migrator.down({ to: 'Migration20261207010100_plans' });
    expect(await tables()).toEqual([]);
    await migrator.up();
    expect(await tables()).toEqual(['claim', 'claim_receipt']);
  });
});
