#!/usr/bin/env node
// `npm run new:subgraph NAME`: a new subgraph from the kit's scaffold (./template), registered in
// schema/subgraphs.json, linked into the workspace and composed into the supergraph.
//
//   node subgraphs/kit/scaffold/new-subgraph.mjs NAME [--port N] [--root DIR] [--no-install]
//
// --root writes into another checkout's layout (tests generate into a temporary folder);
// --no-install skips `npm install` and `npm run compose` (run them yourself).
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..', '..');
const templateDir = join(here, 'template');

const RESERVED = new Set(['kit', 'platform', 'gateway', 'web', 'schema', 'tests']);
const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

function fail(message) {
  console.error(`new:subgraph: ${message}`);
  process.exit(1);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string' },
    root: { type: 'string' },
    'no-install': { type: 'boolean', default: false },
  },
});
const name = positionals[0];
if (!name || positionals.length > 1) fail('usage: npm run new:subgraph NAME (e.g. ies-circuit)');
if (!NAME.test(name) || name.length > 30) {
  fail(`"${name}" is not a name: lowercase words joined by "-", at most 30 characters`);
}
if (RESERVED.has(name)) fail(`"${name}" is reserved`);

const root = values.root ?? repoRoot;
const target = join(root, 'subgraphs', name);
if (existsSync(target)) fail(`subgraphs/${name} already exists`);

const registryPath = join(root, 'schema', 'subgraphs.json');
const registry = JSON.parse(await readFile(registryPath, 'utf8'));
if (registry.some((entry) => entry.name === name))
  fail(`${name} is already in schema/subgraphs.json`);
const port = values.port ? Number(values.port) : Math.max(4000, ...registry.map((e) => e.port)) + 1;
if (!Number.isInteger(port) || port < 1024 || port > 65535) fail(`bad port ${values.port}`);
if (registry.some((entry) => entry.port === port)) fail(`port ${port} is taken`);

const words = name.split('-');
const pascal = words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
/** Longest first, so `__Name__` is not eaten by `__name__`-like prefixes. */
const tokens = [
  ['__nameCamel__', pascal[0].toLowerCase() + pascal.slice(1)],
  ['__demoNoticeId__', randomUUID()],
  ['__Title__', words.join(' ').replace(/^./, (c) => c.toUpperCase())],
  ['__Name__', pascal],
  ['__name__', name],
  ['__db__', words.join('_')],
  ['__port__', String(port)],
  ['__stamp__', stamp],
];
const fill = (text) => tokens.reduce((out, [token, value]) => out.split(token).join(value), text);

async function* files(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

const written = [];
for await (const source of files(templateDir)) {
  const path = join(target, fill(relative(templateDir, source)).replace(/\.tmpl$/, ''));
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, fill(await readFile(source, 'utf8')), 'utf8');
  written.push(relative(root, path));
}

registry.push({ name, port });
registry.sort((a, b) => a.port - b.port);
await writeFile(
  registryPath,
  `[\n${registry.map((e) => `  { "name": "${e.name}", "port": ${e.port} }`).join(',\n')}\n]\n`,
  'utf8',
);

const run = (command, args, cwd) => {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) fail(`${command} ${args.join(' ')} failed`);
};
// The repository's formatting, wherever the subgraph is written.
run(
  'npx',
  [
    'prettier',
    '--log-level',
    'warn',
    '--config',
    join(repoRoot, '.prettierrc.json'),
    '--write',
    target,
  ],
  repoRoot,
);

console.log(
  `Created subgraphs/${name} (${written.length} files), port ${port}, schema "${words.join('_')}".`,
);
if (values['no-install']) {
  console.log('Next: npm install && npm run compose');
} else {
  run('npm', ['install', '--no-audit', '--no-fund'], root);
  run('npm', ['run', 'compose'], root);
}
console.log(`
Next steps:
  1. Say what the subgraph owns in subgraphs/${name}/README.md and package.json.
  2. Replace the sample module src/modules/notice (entity, type, input, resolver, service,
     repository, test/notice.test.ts) with the first real noun; keep one noun per module.
  3. Change tables with a migration (npm run migration:create -w @welfare/${name}), add it to
     src/migrations/index.ts; change the API, then npm run compose and commit schema/.
  4. npm start runs it with the rest of the platform; npm test runs its tests.`);
