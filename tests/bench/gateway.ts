// `npm run bench -- gateway`: what the gateway adds to a subgraph call. Targets, interleaved:
// a bare node:http server (ceiling), the identity subgraph called directly with a gateway token,
// and the same query through the gateway (anonymous: one fetch; with a session: the session
// lookup plus one fetch). Prints req/s, latency percentiles, errors and ratios; asserts nothing.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform } from '@welfare/platform';
import { createTokenSigner, generateGatewayKeys } from '@welfare/kit/auth';
import { createTestDatabase, startTestPostgres } from '@welfare/kit/testing';
import { DEMO_PASSWORD, demoEmail } from '../support/demo.js';
import { login } from '../support/graphql.js';
import { interleaved, printTable, startBareServer, type Target } from './lib.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

const postgres = await startTestPostgres();
const dataDir = await mkdtemp(join(tmpdir(), 'welfare-bench-'));
const keys = await generateGatewayKeys();
const platform = await startPlatform({
  databaseUrl: await createTestDatabase(postgres.url, 'bench_gateway'),
  dataDir,
  randomPorts: true,
  nodeEnv: 'test',
  web: false,
  gatewayKeys: keys,
  log: () => undefined,
});
const bare = await startBareServer();
try {
  const session = await login(
    platform.urls.gateway,
    demoEmail('COMUNE', 'OPERATOR'),
    DEMO_PASSWORD,
  );
  const sign = await createTokenSigner(keys.privateKey);
  const person = {
    kind: 'person' as const,
    personId: session.viewer.person.id,
    sessionId: 'bench',
    platformAdmin: false,
    memberships: [],
  };
  const query = JSON.stringify({ query: '{ viewer { person { givenName familyName } } }' });
  const anonymousQuery = JSON.stringify({ query: '{ viewer { platformAdmin } }' });
  const targets: Target[] = [
    { name: 'bare node:http (ceiling)', url: bare.url, body: query },
    {
      name: 'identity direct, anonymous',
      url: platform.urls.subgraphs.identity ?? '',
      body: anonymousQuery,
      headers: async () => ({
        authorization: `Bearer ${await sign('identity', { kind: 'anonymous' }, 'bench')}`,
      }),
    },
    { name: 'gateway, anonymous (1 fetch)', url: platform.urls.gateway, body: anonymousQuery },
    {
      name: 'identity direct, viewer (token)',
      url: platform.urls.subgraphs.identity ?? '',
      body: query,
      headers: async () => ({ authorization: `Bearer ${await sign('identity', person, 'bench')}` }),
    },
    {
      name: 'gateway, viewer (session + 1 fetch)',
      url: platform.urls.gateway,
      body: query,
      headers: () => ({ authorization: `Bearer ${session.token}` }),
    },
  ];

  console.log(`gateway benchmark: ${rounds} interleaved rounds of ${seconds} s per target`);
  const single = await interleaved(targets, { rounds, connections: 1, seconds });
  printTable('1 client (latency)', single, 'bare node:http (ceiling)');
  const loaded = await interleaved(targets, { rounds, connections: 16, seconds });
  printTable('16 clients (throughput)', loaded, 'bare node:http (ceiling)');

  const p50 = (name: string) => single.find((r) => r.name === name)?.p50 ?? NaN;
  console.log('\nGateway overhead at 1 client (p50, gateway minus direct):');
  console.log(
    `  anonymous, one fetch:          ${(p50('gateway, anonymous (1 fetch)') - p50('identity direct, anonymous')).toFixed(2)} ms (goal <= 1.5 ms)`,
  );
  console.log(
    `  with a session (lookup+fetch): ${(p50('gateway, viewer (session + 1 fetch)') - p50('identity direct, viewer (token)')).toFixed(2)} ms`,
  );
} finally {
  bare.stop();
  await platform.stop();
  await postgres.teardown();
  await rm(dataDir, { recursive: true, force: true });
}
