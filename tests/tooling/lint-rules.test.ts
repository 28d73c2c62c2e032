import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

/**
 * The repository's own lint configuration on planted code: the text is linted as if it were the
 * named file (which exists, so the type-aware rules have its project).
 */
async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'welfare/boundaries' || m.ruleId === 'no-restricted-properties')
    .map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the lint rules of the layout', () => {
  it('fail on an import from one subgraph into another, by package or by path', async () => {
    const file = 'subgraphs/third-sector/src/services.ts';
    expect(
      await problems(file, `import { x } from '@welfare/public-welfare/demo';\nexport { x };\n`),
    ).toEqual([
      'welfare/boundaries: subgraphs/third-sector may not import from subgraphs/public-welfare: subgraphs share only the kit; talk to another subgraph through the gateway.',
    ]);
    expect(
      await problems(
        file,
        `export { createServices } from '../../public-welfare/src/services.js';\n`,
      ),
    ).toHaveLength(1);
    expect(
      await problems(file, `export const load = () => import('../../identity/src/orm.js');\n`),
    ).toHaveLength(1);
  });

  it('fail on an import from the gateway or the portal into a subgraph', async () => {
    expect(
      await problems('gateway/src/errors.ts', `export * from '@welfare/identity/demo';\n`),
    ).toHaveLength(1);
    expect(
      await problems(
        'web/src/lib/format.ts',
        `export * from '../../../subgraphs/kit/src/dates.js';\n`,
      ),
    ).toHaveLength(1);
  });

  it('let the portal import the kit’s CSV writer, and nothing else of the kit', async () => {
    const file = 'web/src/lib/format.ts';
    expect(await problems(file, `export { csvText } from '@welfare/kit/csv';\n`)).toEqual([]);
    expect(await problems(file, `export { romeDay } from '@welfare/kit/dates';\n`)).toHaveLength(1);
  });

  it('let a subgraph import itself and the kit', async () => {
    const file = 'subgraphs/third-sector/src/services.ts';
    const code = `import { isUuid } from '@welfare/kit/access';\nimport { DB_SCHEMA } from './entities.js';\nexport const ok = isUuid(DB_SCHEMA);\n`;
    expect(await problems(file, code)).toEqual([]);
  });

  it('fail on reading the environment outside a config', async () => {
    expect(
      await problems(
        'subgraphs/third-sector/src/services.ts',
        'export const port = process.env.PORT;\n',
      ),
    ).toHaveLength(1);
    expect(
      await problems(
        'subgraphs/third-sector/src/config.ts',
        'export const port = process.env.PORT;\n',
      ),
    ).toEqual([]);
  });
});
