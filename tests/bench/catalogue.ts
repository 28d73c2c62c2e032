// `npm run bench -- catalogue`: the public catalogue search with 10,000 offers. Targets,
// interleaved: the third-sector subgraph called directly (with a gateway token), the same search
// through the gateway, and through the gateway with public-welfare's cross-subgraph field
// (`Offer.coveredByCampaigns`, one more fetch). Two searches: Italian full text with facets, and
// filters only (category, weekday, time). 1 and 50 concurrent clients; prints req/s, latency
// percentiles, errors and the gateway's ratio to the direct call; asserts nothing. The subgraph's
// result cache is off unless BENCH_CATALOGUE_CACHE=on.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startPlatform } from '@welfare/platform';
import { createTokenSigner, generateGatewayKeys } from '@welfare/kit/auth';
import { createTestDatabase, startTestPostgres } from '@welfare/kit/testing';
import { seedOffers } from '../support/offers.js';
import { interleaved, printTable, type Round, type Target } from './lib.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const offers = Number(process.env.BENCH_OFFERS ?? 10_000);
/** The subgraph's result cache: off by default, so that every request runs the search. */
const cache = process.env.BENCH_CATALOGUE_CACHE === 'on';

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

const postgres = await startTestPostgres();
const dataDir = await mkdtemp(join(tmpdir(), 'welfare-bench-'));
const keys = await generateGatewayKeys();
const databaseUrl = await createTestDatabase(postgres.url, 'bench_catalogue');
const platform = await startPlatform({
  databaseUrl,
  dataDir,
  demoData: true,
  randomPorts: true,
  nodeEnv: 'test',
  web: false,
  gatewayKeys: keys,
  subgraphEnv: { 'third-sector': { CATALOGUE_CACHE_SIZE: cache ? '500' : '0' } },
  log: () => undefined,
});
try {
  const t0 = performance.now();
  await seedOffers(databaseUrl, offers);
  console.log(
    `seeded ${offers} published offers in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const sign = await createTokenSigner(keys.privateKey);
  const direct = platform.urls.subgraphs['third-sector'] ?? '';
  const token = async () => ({
    authorization: `Bearer ${await sign('third-sector', { kind: 'anonymous' }, 'bench')}`,
  });

  // One check before measuring: the three targets answer the same offers, without errors.
  for (const [name, input] of Object.entries(SEARCHES)) {
    const answers = await Promise.all(
      [
        { url: direct, body: search(input), headers: await token() },
        { url: platform.urls.gateway, body: search(input), headers: {} },
        {
          url: platform.urls.gateway,
          body: search(input, 'coveredByCampaigns { id title }'),
          headers: {},
        },
      ].map(async (t) => {
        const res = await fetch(t.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...t.headers },
          body: t.body,
        });
        return (await res.json()) as {
          errors?: unknown;
          data?: {
            catalogue: { total: number; items: { id: string; coveredByCampaigns?: unknown[] }[] };
          };
        };
      }),
    );
    for (const answer of answers) {
      if (answer.errors || !answer.data)
        throw new Error(`${name}: ${JSON.stringify(answer.errors)}`);
    }
    const ids = answers.map((a) => a.data!.catalogue.items.map((i) => i.id).join());
    if (new Set(ids).size !== 1) throw new Error(`${name}: the targets disagree`);
    const covered = answers[2]!.data!.catalogue.items.filter(
      (i) => (i.coveredByCampaigns ?? []).length > 0,
    );
    console.log(
      `${name}: ${answers[0]!.data!.catalogue.total} matching offers, first page of ${answers[0]!.data!.catalogue.items.length}, ${covered.length} payable with a campaign's credit`,
    );
  }

  console.log(
    `\ncatalogue benchmark: ${rounds} interleaved rounds of ${seconds} s per target; the subgraph's result cache is ${cache ? 'on (BENCH_CATALOGUE_CACHE=on: repeated searches)' : 'off (every request searches; BENCH_CATALOGUE_CACHE=on to measure it)'}`,
  );
  const ratios: string[] = [];
  for (const [name, input] of Object.entries(SEARCHES)) {
    const targets: Target[] = [
      { name: 'third-sector direct', url: direct, body: search(input), headers: token },
      { name: 'gateway', url: platform.urls.gateway, body: search(input) },
      {
        name: 'gateway + coveredByCampaigns',
        url: platform.urls.gateway,
        body: search(input, 'coveredByCampaigns { id title }'),
      },
    ];
    for (const connections of [1, 50]) {
      const rows: Round[] = await interleaved(targets, { rounds, connections, seconds });
      printTable(`${name}, ${connections} client(s)`, rows, 'third-sector direct');
      const rps = (n: string) => rows.find((r) => r.name === n)?.rps ?? NaN;
      ratios.push(
        `  ${name}, ${connections} client(s): gateway ${(rps('gateway') / rps('third-sector direct')).toFixed(2)}, with coveredByCampaigns ${(rps('gateway + coveredByCampaigns') / rps('third-sector direct')).toFixed(2)}`,
      );
    }
  }
  console.log('\nThroughput through the gateway as a share of the direct call (1.00 = no cost):');
  for (const line of ratios) console.log(line);
} finally {
  await platform.stop();
  await postgres.teardown();
  await rm(dataDir, { recursive: true, force: true });
}
