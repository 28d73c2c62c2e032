// `npm run bench -- catalogue`: the public catalogue search at 10,000 and 100,000 offers
// (BENCH_SIZES), the subgraph's result cache off. For each size, on a fresh database:
// 1. the in-memory index's build (the first search after seeding), the same search with no
//    change, and the search after a one-offer edit: refreshed from the change log (incremental)
//    and with a full reload (the log pruned first); median of five each. BENCH_REFRESH_ONLY=1
//    stops after this step;
// 2. two searches, Italian full text with facets and filters only (category, weekday, time), each
//    against three targets: the third-sector subgraph called directly (with a gateway token), the
//    gateway, and the gateway with public-welfare's cross-subgraph field
//    (`Offer.coveredByCampaigns`, one more fetch); at 1 and 50 clients: req/s, latency
//    percentiles, errors, and the server CPU per request (utime + stime from /proc over the
//    round, of the third-sector process and of the PostgreSQL backends serving its connections);
// 3. the ceiling: the same gateway query with `coveredByCampaigns` on a platform whose result
//    cache is on, so that the subgraph answers the repeated search from it (same two fetches,
//    same page of offers loaded, no search); the ratio of the search to it.
// Asserts nothing. BENCH_CATALOGUE_CACHE=on measures step 2 with the cache on as well.
import { mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { startPlatform, type Platform } from '@welfare/platform';
import { createTokenSigner, generateGatewayKeys } from '@welfare/kit/auth';
import { createTestDatabase, startTestPostgres } from '@welfare/kit/testing';
import { seedOffers } from '../support/offers.js';
import { printTable, round, type Round, type Target } from './lib.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const sizes = (process.env.BENCH_SIZES ?? process.env.BENCH_OFFERS ?? '10000,100000')
  .split(',')
  .map(Number);
/** The subgraph's result cache for the measured searches: off by default. */
const cache = process.env.BENCH_CATALOGUE_CACHE === 'on';
/** Only the index's build and refreshes (step 1). */
const refreshOnly = process.env.BENCH_REFRESH_ONLY === '1';
/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux). */
const TICKS = 100;

const OFFER_FIELDS = 'id title category priceKind priceCents format capacity providerId';
const FACETS = `facets {
  categories { value count } targets { value count } pricing { value count }
  municipalities { value count } weekdays { value count } }`;
const search = (input: string, extra = '') =>
  JSON.stringify({
    query: `{ catalogue(input: ${input}) { total pageCount items { ${OFFER_FIELDS} ${extra} } ${FACETS} } }`,
  });
const SEARCHES = {
  'text "lezioni inglese"': '{ text: "lezioni inglese", pageSize: 20 }',
  'filters (category, day, time)':
    '{ categories: [EDUCATION, SPORT], weekdays: [2], time: "17:45", pricing: [PAID], pageSize: 20 }',
};
const COVERED = 'coveredByCampaigns { id title }';

/** utime + stime of a process, in ticks (0 once it is gone). */
async function cpuOf(pid: number): Promise<{ ppid: number; ticks: number }> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return { ppid: 0, ticks: 0 };
  }
}

/** The subgraph's TCP connections to PostgreSQL: their local ports (inode match in /proc). */
async function portsToPostgres(pid: number, pgPort: number): Promise<number[]> {
  const inodes = new Set<string>();
  for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])) {
    const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const m = /^socket:\[(\d+)\]$/.exec(link);
    if (m) inodes.add(m[1]!);
  }
  const ports: number[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of (await readFile(file, 'utf8').catch(() => '')).split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || !inodes.has(f[9]!)) continue;
      if (parseInt(f[2]!.split(':')[1]!, 16) === pgPort)
        ports.push(parseInt(f[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

/**
 * CPU ticks of the subgraph (key 0) and of each PostgreSQL backend serving it (by pid): the
 * backends whose client port is one of the subgraph's connections (pg_stat_activity).
 */
async function snapshot(pid: number, databaseUrl: string): Promise<Map<number, number>> {
  const ticks = new Map([[0, (await cpuOf(pid)).ticks]]);
  const ports = await portsToPostgres(pid, Number(new URL(databaseUrl).port));
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ pid: number }>(
      'select pid from pg_stat_activity where client_port = any($1::int[])',
      [ports],
    );
    for (const r of rows) ticks.set(r.pid, (await cpuOf(r.pid)).ticks);
  } finally {
    await db.end();
  }
  return ticks;
}

/** Ticks spent between two snapshots (a backend opened in between counts from its start). */
function spent(before: Map<number, number>, after: Map<number, number>): number {
  let ticks = 0;
  for (const [k, t] of after) ticks += t - (before.get(k) ?? 0);
  return ticks;
}

interface Measured extends Round {
  /** Server CPU (subgraph + PostgreSQL) per request, in ms. */
  cpuMs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Every target `rounds` times, interleaved, each round with its CPU; medians. */
async function measure(
  targets: Target[],
  connections: number,
  cpu: () => Promise<Map<number, number>>,
): Promise<Measured[]> {
  const all = new Map<string, Measured[]>();
  for (let i = 0; i < rounds; i++) {
    for (const target of targets) {
      const before = await cpu();
      const r = await round(target, connections, seconds);
      const ticks = spent(before, await cpu());
      const requests = r.rps * seconds;
      all.set(target.name, [
        ...(all.get(target.name) ?? []),
        { ...r, cpuMs: requests > 0 ? ((ticks / TICKS) * 1000) / requests : NaN },
      ]);
    }
  }
  return targets.map((t) => {
    const rs = all.get(t.name)!;
    const of = (k: keyof Measured) => median(rs.map((r) => r[k] as number));
    return {
      name: t.name,
      connections,
      rps: of('rps'),
      p50: of('p50'),
      p90: of('p90'),
      p97_5: of('p97_5'),
      p99: of('p99'),
      errors: rs.reduce((s, r) => s + r.errors, 0),
      cpuMs: of('cpuMs'),
    };
  });
}

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return (await res.json()) as {
    errors?: unknown;
    data?: {
      catalogue: { total: number; items: { id: string; coveredByCampaigns?: unknown[] }[] };
    };
  };
}

const postgres = await startTestPostgres();
const keys = await generateGatewayKeys();
const sign = await createTokenSigner(keys.privateKey);
const token = async () => ({
  authorization: `Bearer ${await sign('third-sector', { kind: 'anonymous' }, 'bench')}`,
});
const summary: string[] = [];

async function withPlatform<T>(
  databaseUrl: string,
  cacheSize: number,
  demoData: boolean,
  fn: (platform: Platform) => Promise<T>,
): Promise<T> {
  const dataDir = await mkdtemp(join(tmpdir(), 'welfare-bench-'));
  const platform = await startPlatform({
    databaseUrl,
    dataDir,
    demoData,
    randomPorts: true,
    nodeEnv: 'test',
    web: false,
    gatewayKeys: keys,
    subgraphEnv: { 'third-sector': { CATALOGUE_CACHE_SIZE: String(cacheSize) } },
    log: () => undefined,
  });
  try {
    return await fn(platform);
  } finally {
    await platform.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

try {
  for (const size of sizes) {
    const databaseUrl = await createTestDatabase(postgres.url, `bench_catalogue_${size}`);
    const searchRows = new Map<string, Measured[]>();
    await withPlatform(databaseUrl, cache ? 500 : 0, true, async (platform) => {
      const t0 = performance.now();
      await seedOffers(databaseUrl, size);
      console.log(
        `\n=== ${size} offers: seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s; load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
      );
      const direct = platform.urls.subgraphs['third-sector'] ?? '';
      const pid = platform.pid('third-sector')!;
      const cpu = () => snapshot(pid, databaseUrl);

      // The index: built by the first search; after a one-offer edit, the next search refreshes
      // it: from the change log (incremental, the default), or with a full reload (the log
      // pruned past the index's version first, as when it is older than the log). Five edits of
      // each kind, alternated; the median.
      const first = Object.values(SEARCHES)[0]!;
      let t = performance.now();
      await post(direct, search(first), await token());
      const build = performance.now() - t;
      const db = new pg.Client({ connectionString: databaseUrl });
      await db.connect();
      const refreshes = {
        unchanged: [] as number[],
        incremental: [] as number[],
        full: [] as number[],
      };
      for (let k = 0; k < 10; k++) {
        const full = k % 2 === 1;
        t = performance.now();
        await post(direct, search(first), await token());
        refreshes.unchanged.push(performance.now() - t);
        await db.query(
          `update third_sector.offer set title = title || ' ' where id = (select id from third_sector.offer where status = 'PUBLISHED' order by id offset $1 limit 1)`,
          [k * 97],
        );
        if (full) {
          await db.query(
            `with gone as (delete from third_sector.catalogue_change returning 1)
             update third_sector.catalogue_version set log_from = version where id`,
          );
        }
        t = performance.now();
        await post(direct, search(first), await token());
        refreshes[full ? 'full' : 'incremental'].push(performance.now() - t);
      }
      await db.end();
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const line = `${size} offers: index built by the first search in ${build.toFixed(0)} ms; the same search with no change ${median(refreshes.unchanged).toFixed(1)} ms; after a one-offer edit: ${median(refreshes.incremental).toFixed(1)} ms incremental (${refreshes.incremental.map((x) => x.toFixed(1)).join(', ')}), ${median(refreshes.full).toFixed(0)} ms with a full reload (${refreshes.full.map((x) => x.toFixed(0)).join(', ')}); load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`;
      console.log(line);
      summary.push(line);
      if (refreshOnly) return;

      // One check before measuring: the three targets answer the same offers, without errors.
      for (const [name, input] of Object.entries(SEARCHES)) {
        const answers = await Promise.all([
          post(direct, search(input), await token()),
          post(platform.urls.gateway, search(input)),
          post(platform.urls.gateway, search(input, COVERED)),
        ]);
        for (const answer of answers) {
          if (answer.errors || !answer.data) {
            throw new Error(`${name}: ${JSON.stringify(answer.errors)}`);
          }
        }
        const ids = answers.map((a) => a.data!.catalogue.items.map((i) => i.id).join());
        if (new Set(ids).size !== 1) throw new Error(`${name}: the targets disagree`);
        console.log(
          `${name}: ${answers[0].data!.catalogue.total} matching offers, first page of ${answers[0].data!.catalogue.items.length}`,
        );
      }

      console.log(
        `\n${size} offers: ${rounds} interleaved rounds of ${seconds} s per target; result cache ${cache ? 'ON (BENCH_CATALOGUE_CACHE=on)' : 'OFF'}; cpu ms = CPU of the third-sector process and of its PostgreSQL backends, per request`,
      );
      for (const [name, input] of Object.entries(SEARCHES)) {
        const targets: Target[] = [
          { name: 'third-sector direct', url: direct, body: search(input), headers: token },
          { name: 'gateway', url: platform.urls.gateway, body: search(input) },
          {
            name: 'gateway + coveredByCampaigns',
            url: platform.urls.gateway,
            body: search(input, COVERED),
          },
        ];
        for (const connections of [1, 50]) {
          const rows = await measure(targets, connections, cpu);
          searchRows.set(`${name}/${connections}`, rows);
          printTable(
            `${size} offers, ${name}, ${connections} client(s)`,
            rows,
            'third-sector direct',
          );
          for (const r of rows) {
            console.log(`  ${r.name}: ${r.cpuMs.toFixed(2)} ms server CPU per request`);
          }
        }
      }
    });

    if (refreshOnly) continue;
    // The ceiling: the same two-fetch query answered from the result cache (no search), on the
    // same database (its demo data already loaded).
    await withPlatform(databaseUrl, 500, false, async (platform) => {
      console.log(
        `\n${size} offers, ceiling (result cache on: no search); load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
      );
      const pid = platform.pid('third-sector')!;
      const cpu = () => snapshot(pid, databaseUrl);
      for (const [name, input] of Object.entries(SEARCHES)) {
        // Warm up until answered: the first request builds the index (a gateway's deadline may
        // end the request before the build does; measuring then would measure the build).
        for (let i = 0; i < 60; i++) {
          const answer = await post(platform.urls.gateway, search(input, COVERED)).catch(
            () => null,
          );
          if (answer?.data) break;
          await new Promise((r) => setTimeout(r, 5000));
        }
        for (const connections of [1, 50]) {
          const [ceiling] = await measure(
            [
              {
                name: 'gateway + coveredByCampaigns, cached (ceiling)',
                url: platform.urls.gateway,
                body: search(input, COVERED),
              },
            ],
            connections,
            cpu,
          );
          const rows = searchRows.get(`${name}/${connections}`)!;
          const searched = rows.find((r) => r.name === 'gateway + coveredByCampaigns')!;
          const direct = rows.find((r) => r.name === 'third-sector direct')!;
          printTable(`${size} offers, ${name}, ${connections} client(s), ceiling`, [ceiling!], '-');
          const line = `${size} offers, ${name}, ${connections} client(s): direct ${direct.rps.toFixed(0)} req/s (p50/p95≈p97.5/p99 ${direct.p50.toFixed(1)}/${direct.p97_5.toFixed(1)}/${direct.p99.toFixed(1)} ms, ${direct.cpuMs.toFixed(2)} ms CPU); gateway + coveredByCampaigns ${searched.rps.toFixed(0)} req/s (p50/p97.5/p99 ${searched.p50.toFixed(1)}/${searched.p97_5.toFixed(1)}/${searched.p99.toFixed(1)} ms); ceiling ${ceiling!.rps.toFixed(0)} req/s; ratio ${(searched.rps / ceiling!.rps).toFixed(2)}`;
          summary.push(line);
        }
      }
    });
  }
  console.log('\nSummary:');
  for (const line of summary) console.log(`  ${line}`);
} finally {
  await postgres.teardown();
}
