// `npm run bench -- household-search` (issue 19, item 2: the household file's search). Asserts
// nothing; prints, for a registry of BENCH_HOUSEHOLDS households (10,000) of three members each
// (30,000 people) imported into one Comune through the gateway:
// 1. the SQL time of each search as `lookupHouseholdIds` sends it (household.repository.ts): a
//    family-name prefix (folded: `family_name_folded like fold_name(x) || '%'`, accent-insensitive),
//    a codice fiscale (by its keyed hash) and a registry code: the median and p95 of EXPLAIN
//    ANALYZE's execution time over BENCH_SQL_RUNS runs, and the indexes the plan uses;
// 2. the GraphQL call through the gateway, as the portal's search page sends it
//    (operations-household-file.ts: households with their members): one client, BENCH_REQUESTS
//    requests back to back after a warm-up, p50/p95/p99 and the households found.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import * as codiceFiscaleModule from 'codice-fiscale-js';
import pg from 'pg';
import { startPlatform } from '@welfare/platform';
import { createTestDatabase, startTestPostgres } from '@welfare/kit/testing';
import { DEMO_PASSWORD, demoEmail } from '../support/demo.js';
import { gql, login } from '../support/graphql.js';

// CommonJS exporting `{ CodiceFiscale }` while its typings declare a default export.
const { CodiceFiscale } = codiceFiscaleModule as unknown as {
  CodiceFiscale: new (person: Record<string, unknown>) => { code: string };
};

const HOUSEHOLDS = Number(process.env.BENCH_HOUSEHOLDS ?? 10_000);
const MEMBERS = 3;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const SQL_RUNS = Number(process.env.BENCH_SQL_RUNS ?? 50);
const GIVEN = ['Mario', 'Anna', 'Luca', 'Rosa', 'Pietro', 'Sara', 'Gino', 'Carla', 'Ugo', 'Ida'];
/** 20 stems × 10 endings: 200 family names, accents and apostrophes among them. */
const STEMS = [
  'Ross',
  'Bianc',
  'Verd',
  'Ner',
  'Russ',
  'Grec',
  'Brun',
  'Gall',
  'Cont',
  'Cost',
].concat(['Nicol', "D'Ang", 'Cant', 'Mont', 'Sant', 'Lomb', 'Ferr', 'Espos', 'Roman', 'Ricc']);
const ENDINGS = ['i', 'o', 'a', 'ò', 'ù', 'elli', 'etti', 'ini', 'one', 'ì'];
const familyOf = (h: number) =>
  `${STEMS[h % STEMS.length]}${ENDINGS[Math.floor(h / STEMS.length) % ENDINGS.length]}`;
/** The letters a codice fiscale is computed from: no accents, no apostrophes. */
const plain = (name: string) => name.normalize('NFD').replace(/[\u0300-\u036f']/g, '');

/** A deterministic valid codice fiscale for person `n` (unique for n < 10^7). */
function person(n: number, family: string) {
  const female = n % 2 === 1;
  const year = 1930 + (n % 90);
  const month = (Math.floor(n / 90) % 12) + 1;
  const day = (Math.floor(n / 1080) % 28) + 1;
  const given = `${GIVEN[Math.floor(n / 30240) % 10]}${String.fromCharCode(65 + (Math.floor(n / 302400) % 26))}`;
  const code = new CodiceFiscale({
    name: given,
    surname: plain(family),
    gender: female ? 'F' : 'M',
    day,
    month,
    year,
    birthplace: 'Balestrate',
    birthplaceProvincia: 'PA',
  }).code;
  const date = `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`;
  return { code, given, sex: female ? 'F' : 'M', date };
}

/** Writes the registry; returns one member's codice fiscale per household. */
async function writeRegistry(path: string): Promise<string[]> {
  const out = createWriteStream(path);
  out.write(
    '\uFEFFcodice_famiglia;codice_fiscale;cognome;nome;data_nascita;sesso;relazione;indirizzo;residente;disabilita\r\n',
  );
  const codes: string[] = [];
  let n = 0;
  for (let h = 0; h < HOUSEHOLDS; h += 1) {
    const family = familyOf(h);
    for (let m = 0; m < MEMBERS; m += 1) {
      const p = person(n, family);
      n += 1;
      if (m === 1) codes.push(p.code);
      const relation = m === 0 ? 'INTESTATARIO' : m === 1 ? 'CONIUGE' : 'FIGLIO';
      const line = `HS${String(h).padStart(5, '0')};${p.code};${family};${p.given};${p.date};${p.sex};${relation};Via ${h % 500} n. ${h};SI;NO\r\n`;
      if (!out.write(line))
        await new Promise<void>((resolveDrain) => out.once('drain', () => resolveDrain()));
    }
  }
  out.end();
  await finished(out);
  return codes;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}
const ms = (value: number) => `${value.toFixed(2)} ms`;

/** The searches: GraphQL `search` input and the SQL criterion `lookupHouseholdIds` builds. */
interface Search {
  name: string;
  input: Record<string, string>;
  where: string;
  param: string;
}

const S = '"public_welfare"';
const BY_FAMILY = `exists (select 1 from ${S}."household_member" m
  where m."comune_id" = h."comune_id" and m."household_id" = h."id"
    and m."family_name_folded" like ${S}."fold_name"($2) || '%' escape '\\')`;
const BY_FISCAL_CODE = `exists (select 1 from ${S}."household_member" m
  where m."comune_id" = h."comune_id" and m."household_id" = h."id" and m."fiscal_code_hash" = $2)`;
const BY_CODE = 'lower(h."code") = lower($2)';

/** Indexes a JSON plan uses. */
function indexesOf(plan: unknown, found = new Set<string>()): Set<string> {
  if (plan && typeof plan === 'object') {
    const node = plan as Record<string, unknown>;
    if (typeof node['Index Name'] === 'string') found.add(node['Index Name']);
    if (node['Node Type'] === 'Seq Scan') found.add(`seq scan of ${String(node['Relation Name'])}`);
    for (const value of Object.values(node)) indexesOf(value, found);
  }
  return found;
}

/** EXPLAIN ANALYZE of the search's statement, `runs` times: execution times and indexes. */
async function sqlTimes(client: pg.Client, comuneId: string, search: Search, runs: number) {
  const sql = `explain (analyze, format json) select h."id" from ${S}."household" h
    where h."comune_id" = $1 and ${search.where} order by h."code", h."id" limit 50`;
  const times: number[] = [];
  let indexes = new Set<string>();
  let rows = 0;
  for (let i = 0; i < runs + 3; i += 1) {
    const { rows: out } = await client.query<{ 'QUERY PLAN': [Record<string, unknown>] }>(sql, [
      comuneId,
      search.param,
    ]);
    const plan = out[0]!['QUERY PLAN'][0];
    if (i < 3) continue; // warm-up
    times.push(Number(plan['Execution Time']));
    indexes = indexesOf(plan['Plan']);
    rows = Number((plan['Plan'] as Record<string, unknown>)['Actual Rows']);
  }
  return { sorted: times.sort((a, b) => a - b), indexes, rows };
}

const SEARCH = `query HouseholdSearch($comuneId: ID!, $search: HouseholdSearch!) {
  householdSearch(comuneId: $comuneId, search: $search) {
    id code address resident members { id givenName familyName } } }`;

const postgres = await startTestPostgres();
const work = await mkdtemp(join(tmpdir(), 'welfare-bench-households-'));
const databaseUrl = await createTestDatabase(postgres.url, 'bench_household_search');
const platform = await startPlatform({
  databaseUrl,
  dataDir: work,
  randomPorts: true,
  nodeEnv: 'test',
  web: false,
  demoData: true,
  log: () => undefined,
});
const client = new pg.Client({ connectionString: databaseUrl });
try {
  const csvPath = join(work, 'registry.csv');
  const codes = await writeRegistry(csvPath);
  const manager = await login(platform.urls.gateway, demoEmail('COMUNE', 'MANAGER'), DEMO_PASSWORD);
  const comuneId = manager.viewer.memberships.find((m) => m.organisation.kind === 'COMUNE')!
    .organisation.id;

  let t0 = performance.now();
  const response = await fetch(
    `${new URL(platform.urls.gateway).origin}/uploads/public-welfare/imports/registry?comuneId=${comuneId}`,
    {
      method: 'POST',
      headers: {
        'content-type': 'text/csv',
        authorization: `Bearer ${manager.token}`,
        'content-length': String((await stat(csvPath)).size),
      },
      body: Readable.toWeb((await import('node:fs')).createReadStream(csvPath)) as ReadableStream,
      duplex: 'half',
    } as RequestInit,
  );
  const { jobId } = (await response.json()) as { jobId: string };
  interface Job {
    status: string;
    rowsImported: number;
    rowsRejected: number;
  }
  let job: Job = { status: 'QUEUED', rowsImported: 0, rowsRejected: 0 };
  while (job.status !== 'SUCCEEDED' && job.status !== 'FAILED') {
    await new Promise((resolveWait) => setTimeout(resolveWait, 250));
    const answer = await gql<{ importJob: Job | null }>(
      platform.urls.gateway,
      `query($id: ID!) { importJob(id: $id) { status rowsImported rowsRejected } }`,
      { id: jobId },
      { token: manager.token },
    );
    job = answer.data?.importJob ?? job;
    if (performance.now() - t0 > 600_000) throw new Error('import did not finish in 10 minutes');
  }
  await client.connect();
  await client.query(`analyze ${S}."household", ${S}."household_member"`);
  const [counts] = (
    await client.query<{ households: number; members: number }>(
      `select (select count(*)::int from ${S}."household" where comune_id = $1) as households,
              (select count(*)::int from ${S}."household_member" where comune_id = $1) as members`,
      [comuneId],
    )
  ).rows;
  console.log(
    `registry import: ${job.status} (${job.rowsImported} rows, ${job.rowsRejected} rejected) in ${((performance.now() - t0) / 1000).toFixed(1)} s; the Comune now has ${counts!.households} households, ${counts!.members} members`,
  );

  // A member's hash, as the service computes it from the codice fiscale (PiiCipher.lookupHash).
  const target = Math.floor(HOUSEHOLDS / 2);
  const [hash] = (
    await client.query<{ h: string }>(
      `select m.fiscal_code_hash as h from ${S}."household_member" m
         join ${S}."household" h on h.id = m.household_id
        where h.comune_id = $1 and h.code = $2 and m.relation = 'CONIUGE'`,
      [comuneId, `HS${String(target).padStart(5, '0')}`],
    )
  ).rows;
  const searches: Search[] = [
    {
      name: 'family name "nicolo" (finds Nicolò, Nicolo)',
      input: { familyName: 'nicolo' },
      where: BY_FAMILY,
      param: 'nicolo',
    },
    {
      name: `family name "D'ANG" (apostrophe, upper case)`,
      input: { familyName: "D'ANG" },
      where: BY_FAMILY,
      param: "D'ANG",
    },
    {
      name: 'family name "ross" (500 households, 50 shown)',
      input: { familyName: 'ross' },
      where: BY_FAMILY,
      param: 'ross',
    },
    {
      name: 'family name "zz" (nobody)',
      input: { familyName: 'zz' },
      where: BY_FAMILY,
      param: 'zz',
    },
    {
      name: 'codice fiscale',
      input: { fiscalCode: codes[target]! },
      where: BY_FISCAL_CODE,
      param: hash!.h,
    },
    {
      name: 'registry code (any case)',
      input: { code: `hs${String(target).padStart(5, '0')}` },
      where: BY_CODE,
      param: `hs${String(target).padStart(5, '0')}`,
    },
  ];

  console.log(`\nSQL (lookupHouseholdIds), EXPLAIN ANALYZE execution time over ${SQL_RUNS} runs`);
  for (const search of searches) {
    const { sorted, indexes, rows } = await sqlTimes(client, comuneId, search, SQL_RUNS);
    console.log(
      `  ${search.name.padEnd(48)} p50 ${ms(quantile(sorted, 0.5))}  p95 ${ms(quantile(sorted, 0.95))}  ${rows} rows  [${[...indexes].join(', ')}]`,
    );
  }

  console.log(
    `\nGraphQL householdSearch through the gateway (the portal's query), one client, ${REQUESTS} requests`,
  );
  for (const search of searches) {
    const call = () =>
      gql<{ householdSearch: unknown[] | null }>(
        platform.urls.gateway,
        SEARCH,
        { comuneId, search: search.input },
        { token: manager.token },
      );
    let found = 0;
    for (let i = 0; i < 20; i += 1) {
      const answer = await call();
      if (answer.errors) throw new Error(JSON.stringify(answer.errors));
      found = answer.data?.householdSearch?.length ?? 0;
    }
    const times: number[] = [];
    for (let i = 0; i < REQUESTS; i += 1) {
      t0 = performance.now();
      await call();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(
      `  ${search.name.padEnd(48)} p50 ${ms(quantile(times, 0.5))}  p95 ${ms(quantile(times, 0.95))}  p99 ${ms(quantile(times, 0.99))}  ${found} households`,
    );
  }
} finally {
  await client.end().catch(() => undefined);
  await platform.stop();
  await postgres.teardown();
  await rm(work, { recursive: true, force: true });
}
