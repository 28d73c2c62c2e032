// `npm run bench -- catalogue-page`: the server time of the portal's public catalogue page
// (`/servizi`, issue 18 item 7: under 100 ms). Starts the platform with the demo data and the
// portal, then for three pages (the whole catalogue, a text search, a filtered search):
// 1. one client, BENCH_REQUESTS requests back to back (after a warm-up): p50/p95/p99 of the time
//    from sending the request to the last byte of the HTML (on localhost this is the server's
//    time: SvelteKit's hooks, load, the gateway calls and the render), of it the load's wait for
//    the API (the page's Server-Timing header) and the rest, and the CPU per page of the portal
//    and of all the platform's processes (utime + stime from /proc over the run);
// 2. ten clients for BENCH_SECONDS: pages per second and latency percentiles;
// 3. what the page waits on: each gateway operation the page sends (the session's viewer query
//    of the hooks, the measures and the catalogue query), timed alone at one client.
// Asserts nothing.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startPlatform } from '@welfare/platform';
import { createTestDatabase, startTestPostgres } from '@welfare/kit/testing';
import { round, type Target } from './lib.js';

const requests = Number(process.env.BENCH_REQUESTS ?? 200);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux). */
const TICKS = 100;

const PAGES: { name: string; path: string }[] = [
  { name: '/servizi', path: '/servizi' },
  { name: '/servizi?q=doposcuola', path: '/servizi?q=doposcuola' },
  {
    name: 'filtered (category, target, weekday)',
    path: '/servizi?categoria=EDUCATION&categoria=SPORT&per=CHILDREN&giorno=1',
  },
];

/** The catalogue query of the page (web/src/lib/server/offers.ts), as the portal sends it. */
const CATALOGUE = `query Catalogue($input: CatalogueSearchInput) { catalogue(input: $input) {
  total page pageSize pageCount
  items { id title description category targets priceKind priceCents format capacity
    places { name municipality latitude longitude } provider { id name }
    coveredByCampaigns { id title } coveredByMyPlan acceptsIes }
  facets { categories { value count } targets { value count } pricing { value count }
    municipalities { value count } weekdays { value count } } } }`;
const OPERATIONS: { name: string; query: string; variables?: unknown }[] = [
  { name: 'viewer (hooks, every page)', query: '{ viewer { platformAdmin } }' },
  {
    name: 'measures (publishedCampaigns)',
    query: `{ publishedCampaigns { id title description acceptingApplications serviceCategories
      comune { id name } } }`,
  },
  {
    name: 'catalogue, q=doposcuola',
    query: CATALOGUE,
    variables: { input: { text: 'doposcuola', page: 1, pageSize: 20 } },
  },
  {
    name: 'catalogue, no search',
    query: CATALOGUE,
    variables: { input: { page: 1, pageSize: 20 } },
  },
  {
    name: 'catalogue, no search, no coveredByMyPlan',
    query: CATALOGUE.replace('coveredByMyPlan', ''),
    variables: { input: { page: 1, pageSize: 20 } },
  },
  {
    name: 'catalogue, no search, third-sector only',
    query: CATALOGUE.replace('coveredByCampaigns { id title } coveredByMyPlan acceptsIes', ''),
    variables: { input: { page: 1, pageSize: 20 } },
  },
  {
    name: 'measures and catalogue in one query',
    query: CATALOGUE.replace(
      'query Catalogue($input: CatalogueSearchInput) {',
      `query Catalogue($input: CatalogueSearchInput) {
        publishedCampaigns { id title description acceptingApplications serviceCategories
          comune { id name } }`,
    ),
    variables: { input: { page: 1, pageSize: 20 } },
  },
];

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/** utime + stime of a process, in ticks. */
async function ticksOf(pid: number | undefined): Promise<number> {
  if (pid === undefined) return 0;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
}

/** `count` requests back to back on one kept-alive connection; each one's milliseconds. */
async function sequential(
  url: URL,
  count: number,
  body?: string,
): Promise<{ ms: number[]; loadMs: number[]; errors: number; bytes: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const ms: number[] = [];
  const loadMs: number[] = [];
  let errors = 0;
  let bytes = 0;
  const once = () =>
    new Promise<number>((done, fail) => {
      const req = request(
        url,
        {
          method: body ? 'POST' : 'GET',
          headers: body ? { 'content-type': 'application/json' } : {},
          agent,
        },
        (res) => {
          // The page's own measure of its load (web/src/routes/(public)/servizi/+page.server.ts).
          const timing = /load;dur=([\d.]+)/.exec(String(res.headers['server-timing'] ?? ''));
          if (timing) loadMs.push(Number(timing[1]));
          res.on('data', (chunk: Buffer) => (bytes += chunk.length));
          res.on('end', () => done(res.statusCode ?? 0));
        },
      );
      req.on('error', fail);
      req.end(body);
    });
  for (let i = 0; i < count; i += 1) {
    const t0 = performance.now();
    const status = await once().catch(() => 0);
    ms.push(performance.now() - t0);
    if (status !== 200) errors += 1;
  }
  agent.destroy();
  return { ms, loadMs, errors, bytes: bytes / Math.max(1, count) };
}

const fmt = (n: number) => n.toFixed(1).padStart(7);

const postgres = await startTestPostgres();
const dataDir = await mkdtemp(join(tmpdir(), 'welfare-bench-'));
const platform = await startPlatform({
  databaseUrl: await createTestDatabase(postgres.url, 'bench_catalogue_page'),
  dataDir,
  randomPorts: true,
  nodeEnv: 'test',
  log: () => undefined,
});
try {
  const web = platform.urls.web;
  console.log(
    `catalogue page benchmark: ${requests} requests per page at 1 client, ${seconds} s at 10 clients; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const processes = ['web', 'gateway', ...Object.keys(platform.urls.subgraphs)];
  /** CPU ticks of the portal and of every process of the platform (PostgreSQL aside). */
  const cpuNow = async () => {
    const each = await Promise.all(processes.map((name) => ticksOf(platform.pid(name))));
    return { web: each[0] ?? 0, all: each.reduce((sum, t) => sum + t, 0), each };
  };
  const cpuLines: string[] = [];
  console.log(
    "\n1 client: ms from the request to the last byte of the page (total), of it the load's" +
      ' wait for the API (its Server-Timing), the rest (hooks, render); CPU ms per page of the' +
      ' portal and of all the processes (portal, gateway, subgraphs)',
  );
  console.log(
    `  ${'page'.padEnd(40)}  total p50   p95   p99 | load p50   p95 | rest p50 | cpu web   all |  KiB errors`,
  );
  for (const page of PAGES) {
    const url = new URL(page.path, web);
    await sequential(url, 20); // warm-up: compiled routes, connections, caches
    const before = await cpuNow();
    const run = await sequential(url, requests);
    const after = await cpuNow();
    const perPage = (ticks: number) => (ticks * (1000 / TICKS)) / requests;
    cpuLines.push(
      `  ${page.name.padEnd(40)}  ${processes
        .map(
          (name, i) =>
            `${name} ${perPage((after.each[i] ?? 0) - (before.each[i] ?? 0)).toFixed(1)}`,
        )
        .join(', ')}`,
    );
    const sorted = [...run.ms].sort((x, y) => x - y);
    const loads = [...run.loadMs].sort((x, y) => x - y);
    const rest = run.ms.map((v, i) => v - (run.loadMs[i] ?? 0)).sort((x, y) => x - y);
    console.log(
      `  ${page.name.padEnd(40)}  ${fmt(quantile(sorted, 0.5))} ${fmt(quantile(sorted, 0.95))} ${fmt(
        quantile(sorted, 0.99),
      )} | ${fmt(quantile(loads, 0.5))} ${fmt(quantile(loads, 0.95))} | ${fmt(quantile(rest, 0.5))} | ${fmt(
        perPage(after.web - before.web),
      )} ${fmt(perPage(after.all - before.all))} | ${(run.bytes / 1024).toFixed(0).padStart(4)} ${String(run.errors).padStart(6)}`,
    );
  }

  console.log('\nCPU ms per page by process');
  for (const l of cpuLines) console.log(l);

  console.log('\nRate (pages per second; latency ms)');
  console.log(`  ${'page'.padEnd(40)} clients   req/s     p50     p90   p97.5     p99  errors`);
  for (const page of PAGES) {
    for (const connections of [1, 10]) {
      const target: Target = { name: page.name, url: new URL(page.path, web).toString() };
      const r = await round(target, connections, seconds);
      console.log(
        `  ${page.name.padEnd(40)} ${String(connections).padStart(7)} ${fmt(r.rps)} ${fmt(r.p50)} ${fmt(
          r.p90,
        )} ${fmt(r.p97_5)} ${fmt(r.p99)} ${String(r.errors).padStart(7)}`,
      );
    }
  }

  console.log('\nWhat the page waits on: its gateway operations alone, 1 client (ms)');
  console.log(`  ${'operation'.padEnd(40)}    p50     p95  errors`);
  for (const op of OPERATIONS) {
    const body = JSON.stringify({ query: op.query, variables: op.variables });
    const url = new URL(platform.urls.gateway);
    await sequential(url, 20, body);
    const run = await sequential(url, requests, body);
    const sorted = [...run.ms].sort((a, b) => a - b);
    console.log(
      `  ${op.name.padEnd(40)}${fmt(quantile(sorted, 0.5))} ${fmt(quantile(sorted, 0.95))} ${String(
        run.errors,
      ).padStart(7)}`,
    );
  }
} finally {
  await platform.stop();
  await postgres.teardown();
  await rm(dataDir, { recursive: true, force: true });
}
