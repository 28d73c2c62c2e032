// Type-aware lint for the whole monorepo: TypeScript everywhere, Svelte in the portal, and the
// guard rails of the layout (who may import whom, who may read the environment).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const ROOT = import.meta.dirname;

/** The workspace a path is in: `subgraphs/<name>`, `gateway`, `web`, `tests`, `schema` or null. */
function workspaceOf(path) {
  const parts = relative(ROOT, path).split(sep);
  if (parts[0] === 'subgraphs' && parts[1]) return `subgraphs/${parts[1]}`;
  return ['gateway', 'web', 'tests', 'schema'].includes(parts[0]) ? parts[0] : null;
}

/** Every workspace's package name, to its folder (`@welfare/kit` → `subgraphs/kit`). */
const PACKAGES = new Map(
  [
    'gateway',
    'web',
    'tests',
    'schema',
    ...readdirSync(join(ROOT, 'subgraphs')).map((d) => `subgraphs/${d}`),
  ]
    .filter((dir) => existsSync(join(ROOT, dir, 'package.json')))
    .map((dir) => [JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')).name, dir]),
);

/** The workspace an import specifier points into, from a file: null for an outside package. */
function targetOf(specifier, filename) {
  if (specifier.startsWith('.')) return workspaceOf(resolve(dirname(filename), specifier));
  const match = /^(@welfare\/[^/]+)/.exec(specifier);
  return match ? (PACKAGES.get(match[1]) ?? null) : null;
}

/**
 * Who may import whom: a subgraph only itself and the kit (never another subgraph); the kit only
 * itself; the gateway itself and the kit; the portal only itself (it speaks GraphQL to the
 * gateway) and the kit's plain CSV writer (`@welfare/kit/csv`: the audit export combines the
 * subgraphs' logs in the portal, and every export goes through one writer). The launcher
 * (`subgraphs/platform`) and the tests see everything.
 */
function allowed(from, to, specifier) {
  if (to === null || from === null || from === to) return true;
  if (from === 'tests' || from === 'subgraphs/platform') return true;
  if (from === 'web') return specifier === '@welfare/kit/csv';
  return to === 'subgraphs/kit';
}

/**
 * The portal's components that link to a value rather than to a `resolve(…)` call or a literal
 * (`href={listPath}`, `href="{base}?page=2"`): `svelte/no-navigation-without-resolve` accepts such
 * a value only when its type is a resolved path, so these are linted with type information. A
 * component this misses is not let through: without types, the rule reports its link.
 */
const COMPONENTS_NEEDING_TYPES = readdirSync(join(ROOT, 'web/src'), { recursive: true })
  .filter((path) => path.endsWith('.svelte'))
  .filter((path) =>
    /\bhref="?\{(?!\s*resolve\()|\b(?:goto|pushState|replaceState)\(/.test(
      readFileSync(join(ROOT, 'web/src', path), 'utf8'),
    ),
  )
  // As glob patterns: route folders such as `(comune)` and `[id=uuid]` are glob syntax.
  .map((path) => `web/src/${path.split(sep).join('/')}`.replace(/[[\]()*?{}!+@]/g, '\\$&'));

/** The layout's rules, as an ESLint plugin (tested in tests/tooling/lint-rules.test.ts). */
export const welfare = {
  rules: {
    boundaries: {
      meta: {
        type: 'problem',
        docs: {
          description:
            'No import across subgraphs, nor from the gateway or the portal into a subgraph.',
        },
        messages: {
          crossing:
            '{{from}} may not import from {{to}}: subgraphs share only the kit; talk to another subgraph through the gateway.',
        },
        schema: [],
      },
      create(context) {
        const from = workspaceOf(context.filename);
        const check = (node) => {
          const source = node?.source;
          if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
          const to = targetOf(source.value, context.filename);
          if (!allowed(from, to, source.value))
            context.report({ node: source, messageId: 'crossing', data: { from, to } });
        };
        return {
          ImportDeclaration: check,
          ExportAllDeclaration: check,
          ExportNamedDeclaration: check,
          ImportExpression: check,
        };
      },
    },
  },
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/build/**',
      '**/.svelte-kit/**',
      '**/.turbo/**',
      '**/.data/**',
      'web/src/lib/paraglide/**',
      'web/src/graphql-env.d.ts',
      '**/*.config.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte'],
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // type-graphql and MikroORM decorators need runtime class imports for metadata.
      '@typescript-eslint/no-extraneous-class': 'off',
    },
  },
  {
    plugins: { welfare },
    rules: {
      'welfare/boundaries': 'error',
      // The environment is read in one place per workspace: its config (validated with zod).
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read the environment in this workspace’s config.ts only, and pass settings on.',
        },
      ],
    },
  },
  {
    // Where reading the environment is the point: configs, the MikroORM CLI's config,
    // development scripts, test plumbing and the tests, the launcher that hands it to its children.
    files: [
      '**/config.ts',
      '**/mikro-orm.config.ts',
      '**/src/dev/**',
      'subgraphs/kit/src/testing.ts',
      'subgraphs/platform/**',
      'gateway/src/platform/**',
      'tests/**',
      '**/test/**',
      '**/*.spec.ts',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser },
    },
  },
  {
    // Components are linted with type information only where a rule needs it (see
    // COMPONENTS_NEEDING_TYPES): with it, every component cost 5–8 s, 829 of lint's 1,040 s
    // (`eslint --stats`), since its script is a virtual file and the type checker is rebuilt for
    // each one. Every component's types are still checked by svelte-check (`npm run typecheck` in
    // web), and the type-aware rules still run on every .ts file, the portal's loads and actions.
    files: ['**/*.svelte'],
    ignores: COMPONENTS_NEEDING_TYPES,
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: {
        ...tseslint.configs.disableTypeChecked.languageOptions?.parserOptions,
        parser: tseslint.parser,
        extraFileExtensions: ['.svelte'],
      },
    },
  },
);
