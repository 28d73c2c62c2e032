#!/usr/bin/env node
// Composes the subgraphs' emitted SDL (subgraphs/<name>/schema.graphql) into the supergraph the
// gateway serves (supergraph.graphql) and the client-facing API schema (api.graphql), offline.
// `--check` writes nothing and fails when a committed file is stale or composition fails.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@apollo/composition';
import { parse, printSchema } from 'graphql';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const check = process.argv.includes('--check');
const registry = JSON.parse(await readFile(here('./subgraphs.json'), 'utf8'));

const services = await Promise.all(
  registry.map(async ({ name, port }) => ({
    name,
    url: `http://127.0.0.1:${port}/graphql`,
    typeDefs: parse(await readFile(here(`../subgraphs/${name}/schema.graphql`), 'utf8')),
  })),
);

const result = composeServices(services);
if (result.errors?.length) {
  console.error('Composition failed:');
  for (const error of result.errors) console.error(`  - ${error.message}`);
  process.exit(1);
}

const outputs = {
  'supergraph.graphql': `${result.supergraphSdl.trim()}\n`,
  'api.graphql': `${printSchema(result.schema.toAPISchema().toGraphQLJSSchema()).trim()}\n`,
};

let stale = false;
for (const [file, text] of Object.entries(outputs)) {
  const path = here(`./${file}`);
  const current = await readFile(path, 'utf8').catch(() => '');
  if (current === text) continue;
  if (check) {
    console.error(`schema/${file} is stale: run \`npm run compose\` and commit it.`);
    stale = true;
  } else {
    await writeFile(path, text, 'utf8');
    console.log(`wrote schema/${file}`);
  }
}
if (stale) process.exit(1);
console.log(
  `${check ? 'checked' : 'composed'} ${services.length} subgraph(s): ${services.map((s) => s.name).join(', ')}`,
);
