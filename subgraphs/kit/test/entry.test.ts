import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/**
 * The packages a kit entry loads at run time: its relative imports followed file by file (type
 * imports are erased, so they load nothing), the bare specifiers collected.
 */
function packagesLoadedBy(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    const statements = text.matchAll(
      /^(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm,
    );
    for (const [, typeOnly, specifier] of statements) {
      if (typeOnly || !specifier) continue;
      if (specifier.startsWith('.')) visit(join(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else
        packages.add(
          specifier.startsWith('@')
            ? specifier.split('/').slice(0, 2).join('/')
            : specifier.split('/')[0]!,
        );
    }
  };
  visit(join(SRC, entry));
  return packages;
}

describe('the kit’s root entry', () => {
  it('loads only what every process needs: no ORM, schema builder, database driver or PII library', () => {
    const loaded = packagesLoadedBy('index.ts');
    for (const heavy of [
      '@mikro-orm/core',
      '@mikro-orm/postgresql',
      'type-graphql',
      '@apollo/server',
      '@apollo/subgraph',
      'pg',
      'codice-fiscale-js',
      'reflect-metadata',
    ]) {
      expect(loaded.has(heavy), heavy).toBe(false);
    }
  });

  it('is checked by a walk that does find them behind the subpaths', () => {
    expect(packagesLoadedBy('orm.ts').has('@mikro-orm/postgresql')).toBe(true);
    expect(packagesLoadedBy('subgraph.ts').has('@apollo/server')).toBe(true);
    expect(packagesLoadedBy('book/index.ts').has('@mikro-orm/core')).toBe(true);
  });
});
