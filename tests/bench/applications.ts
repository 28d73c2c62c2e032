// `npm run bench -- applications` (issue 3). Asserts nothing; prints:
// 1. the import of a registry of 100,000 households (about 250,000 people) streamed through the
//    gateway into the public-welfare subgraph: rows per second and the subgraph's peak memory;
// 2. the simulation of a campaign over those 100,000 households: time to answer;
// 3. the campaign opening: 10,000 citizens apply at once (draft + submit) through the gateway with
//    concurrent clients: throughput, p50/p95/p99, lost and duplicated applications, and the ratio
//    to a trivial query through the same gateway in the same run, and to a one-row read through the
//    same gateway to the same subgraph (the floor of any request that reaches a subgraph).
// BENCH_HOUSEHOLDS, BENCH_APPLICANTS and BENCH_CLIENTS change the sizes. BENCH_CPU_PROF=DIR writes
// CPU profiles of the gateway, the public-welfare and identity subgraphs into DIR/<name>/ (tests/bin/cpu-profile.mjs);
// BENCH_NODE_OPTIONS (e.g. `--max-semi-space-size=64`) is given to the gateway, public-welfare and identity.
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import * as codiceFiscaleModule from 'codice-fiscale-js';
import { randomUUID } from 'node:crypto';
import { startPlatform } from '@welfare/platform';
import { PiiCipher, newOpaqueToken, sha256Hex } from '@welfare/kit/pii';
import pg from 'pg';
import { createTestDatabase, startTestPostgres } from '@welfare/kit/testing';
import { createCampaign } from '../support/campaigns.js';
import { DEMO_PASSWORD, demoEmail } from '../support/demo.js';
import { gql, login } from '../support/graphql.js';

// CommonJS exporting `{ CodiceFiscale }` while its typings declare a default export.
const { CodiceFiscale } = codiceFiscaleModule as unknown as {
  CodiceFiscale: new (person: Record<string, unknown>) => { code: string };
};

const HOUSEHOLDS = Number(process.env.BENCH_HOUSEHOLDS ?? 100_000);
const GIVEN = ['Mario', 'Anna', 'Luca', 'Rosa', 'Pietro', 'Sara', 'Gino', 'Carla', 'Ugo', 'Ida'];
const FAMILY = [
  'Rossi',
  'Bianchi',
  'Verdi',
  'Neri',
  'Russo',
  'Greco',
  'Bruno',
  'Gallo',
  'Conti',
  'Costa',
];

/** A deterministic valid codice fiscale for person `n` (unique for n < 10^7 by birth date and names). */
function person(n: number) {
  const female = n % 2 === 1;
  const year = 1930 + (n % 90);
  const month = (Math.floor(n / 90) % 12) + 1;
  const day = (Math.floor(n / 1080) % 28) + 1;
  const given = `${GIVEN[Math.floor(n / 30240) % 10]}${String.fromCharCode(65 + (Math.floor(n / 302400) % 26))}`;
  const family = `${FAMILY[Math.floor(n / 7862400) % 10]}`;
  const code = new CodiceFiscale({
    name: given,
    surname: family,
    gender: female ? 'F' : 'M',
    day,
    month,
    year,
    birthplace: 'Balestrate',
    birthplaceProvincia: 'PA',
  }).code;
  const date = `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`;
  return { code, given, family, sex: female ? 'F' : 'M', date };
}

/** Codici fiscali of the heads of the first households (the applicants of the opening burst). */
const heads: string[] = [];
const APPLICANTS = Number(process.env.BENCH_APPLICANTS ?? 10_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);

/** A deterministic ISEE for household `h` (cents; about one household in four has none). */
function isee(h: number): number | null {
  if (h % 4 === 3 && h >= APPLICANTS) return null;
  return ((h * 7919) % 3_000_000) + 100_000;
}

async function writeIncome(path: string): Promise<number> {
  const out = createWriteStream(path);
  out.write('\uFEFFcodice_fiscale_dichiarante;isee;tipo_isee;data_validita;sostegno_pubblico\r\n');
  let rows = 0;
  for (let h = 0; h < headCodes.length; h += 1) {
    const cents = isee(h);
    if (cents === null) continue;
    const euros = `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;
    const line = `${headCodes[h]};${euros};ORDINARIO;31/12/2099;${h % 10 === 0 && h >= APPLICANTS ? 'SI' : 'NO'}\r\n`;
    if (!out.write(line))
      await new Promise<void>((resolveDrain) => out.once('drain', () => resolveDrain()));
    rows += 1;
  }
  out.end();
  await finished(out);
  return rows;
}

const headCodes: string[] = [];

async function writeRegistry(path: string): Promise<number> {
  const out = createWriteStream(path);
  out.write(
    '\uFEFFcodice_famiglia;codice_fiscale;cognome;nome;data_nascita;sesso;relazione;indirizzo;residente;disabilita\r\n',
  );
  let rows = 0;
  let n = 0;
  for (let h = 0; h < HOUSEHOLDS; h += 1) {
    const size = 1 + (h % 4); // 1..4 members: 2.5 on average
    for (let m = 0; m < size; m += 1) {
      const p = person(n);
      n += 1;
      if (m === 0) {
        headCodes.push(p.code);
        if (h < APPLICANTS) heads.push(p.code);
      }
      const relation = m === 0 ? 'INTESTATARIO' : m === 1 ? 'CONIUGE' : 'FIGLIO';
      const line = `B${h};${p.code};${p.family};${p.given};${p.date};${p.sex};${relation};Via ${h % 500} n. ${h};SI;${h % 17 === 0 ? 'SI' : 'NO'}\r\n`;
      if (!out.write(line))
        await new Promise<void>((resolveDrain) => out.once('drain', () => resolveDrain()));
      rows += 1;
    }
  }
  out.end();
  await finished(out);
  return rows;
}

function peakMemoryMb(pid: number | undefined): Promise<number> {
  if (!pid) return Promise.resolve(NaN);
  return readFile(`/proc/${pid}/status`, 'utf8').then((status) => {
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return kb / 1024;
  });
}

/** CPU seconds (user + system) a process has used so far; 0 when it is gone. */
async function cpuSeconds(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** The PostgreSQL backends serving one database (their title names it). */
async function backendsOf(database: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const title = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (title.startsWith('postgres: ') && title.includes(` ${database} `)) pids.push(Number(entry));
  }
  return pids;
}

/** CPU seconds used so far by the platform's processes that serve the burst, and PostgreSQL's. */
async function cpuSnapshot(
  pids: Record<string, number | undefined>,
  database: string,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) out[name] = pid ? await cpuSeconds(pid) : 0;
  let postgresSeconds = 0;
  for (const pid of await backendsOf(database)) postgresSeconds += await cpuSeconds(pid);
  out.postgres = postgresSeconds;
  const self = process.cpuUsage();
  out.bench = (self.user + self.system) / 1e6;
  return out;
}

/**
 * Samples `pg_stat_activity` every 50 ms until stopped: the average number of the database's
 * backends per state (active, idle in transaction, waiting on a lock, idle).
 */
function sampleBackends(databaseUrl: string): { stop(): Promise<Record<string, number>> } {
  const client = new pg.Client({ connectionString: databaseUrl });
  const totals = new Map<string, number>();
  let samples = 0;
  let running = true;
  const loop = (async () => {
    await client.connect();
    while (running) {
      const { rows } = await client.query<{ state: string; n: number }>(
        `select case when wait_event_type = 'Lock'
                     then 'waiting on a lock (' || wait_event || ', '
                          || left(regexp_replace(query, '\\s+', ' ', 'g'), 60) || ')'
                     else coalesce(state, 'unknown') end as state, count(*)::int as n
           from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()
          group by 1`,
      );
      samples += 1;
      for (const r of rows) totals.set(r.state, (totals.get(r.state) ?? 0) + r.n);
      await new Promise((resolveWait) => setTimeout(resolveWait, 50));
    }
    await client.end();
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return Object.fromEntries([...totals].map(([state, n]) => [state, n / Math.max(1, samples)]));
    },
  };
}

const postgres = await startTestPostgres();
const work = await mkdtemp(join(tmpdir(), 'welfare-bench-apps-'));
const databaseUrl = await createTestDatabase(postgres.url, 'bench_applications');
const platform = await startPlatform({
  databaseUrl,
  dataDir: work,
  randomPorts: true,
  nodeEnv: 'test',
  web: false,
  demoData: true,
  log: () => undefined,
  ...(process.env.BENCH_CPU_PROF || process.env.BENCH_NODE_OPTIONS
    ? {
        subgraphEnv: Object.fromEntries(
          ['gateway', 'public-welfare', 'identity'].map((name) => [
            name,
            {
              NODE_OPTIONS: [
                process.env.BENCH_NODE_OPTIONS ?? '',
                process.env.BENCH_CPU_PROF
                  ? `--import=${new URL('../../bin/cpu-profile.mjs', import.meta.url).pathname}`
                  : '',
              ]
                .join(' ')
                .trim(),
              ...(process.env.BENCH_CPU_PROF
                ? { CPU_PROFILE_DIR: `${process.env.BENCH_CPU_PROF}/${name}` }
                : {}),
            },
          ]),
        ),
      }
    : {}),
});
try {
  const csvPath = join(work, 'registry.csv');
  let t0 = performance.now();
  const rows = await writeRegistry(csvPath);
  const bytes = (await stat(csvPath)).size;
  console.log(
    `generated ${HOUSEHOLDS} households, ${rows} rows, ${(bytes / 1e6).toFixed(1)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const manager = await login(platform.urls.gateway, demoEmail('COMUNE', 'MANAGER'), DEMO_PASSWORD);
  const comuneId = manager.viewer.memberships.find((m) => m.organisation.kind === 'COMUNE')
    ?.organisation.id;
  const memoryBefore = await peakMemoryMb(platform.pid('public-welfare'));

  t0 = performance.now();
  const { createReadStream } = await import('node:fs');
  const response = await fetch(
    `${new URL(platform.urls.gateway).origin}/uploads/public-welfare/imports/registry?comuneId=${comuneId}`,
    {
      method: 'POST',
      headers: {
        'content-type': 'text/csv',
        authorization: `Bearer ${manager.token}`,
        'content-length': String(bytes),
      },
      body: Readable.toWeb(createReadStream(csvPath)) as ReadableStream,
      duplex: 'half',
    } as RequestInit,
  );
  const received = performance.now();
  const { jobId } = (await response.json()) as { jobId: string };
  let status = '';
  let job: { status: string; rowsImported: number; rowsRejected: number } | undefined;
  while (status !== 'SUCCEEDED' && status !== 'FAILED') {
    await new Promise((resolveWait) => setTimeout(resolveWait, 250));
    const answer = await gql<{ importJob: typeof job }>(
      platform.urls.gateway,
      `query($id: ID!) { importJob(id: $id) { status rowsImported rowsRejected } }`,
      { id: jobId },
      { token: manager.token },
    );
    job = answer.data?.importJob ?? undefined;
    status = job?.status ?? 'UNKNOWN';
    if (performance.now() - t0 > 600_000) throw new Error('import did not finish in 10 minutes');
  }
  const seconds = (performance.now() - t0) / 1000;
  const upload = (received - t0) / 1000;
  console.log(`\nregistry import, ${HOUSEHOLDS} households, through the gateway`);
  console.log(
    `  status:                 ${status} (${job?.rowsImported ?? 0} imported, ${job?.rowsRejected ?? 0} rejected)`,
  );
  console.log(`  upload + staging:       ${upload.toFixed(1)} s (HTTP ${response.status})`);
  console.log(`  total until SUCCEEDED:  ${seconds.toFixed(1)} s`);
  console.log(`  rows per second:        ${(rows / seconds).toFixed(0)}`);
  console.log(`  households per second:  ${(HOUSEHOLDS / seconds).toFixed(0)}`);
  console.log(
    `  peak memory (VmHWM) of public-welfare: ${(await peakMemoryMb(platform.pid('public-welfare'))).toFixed(0)} MB (before the import: ${memoryBefore.toFixed(0)} MB)`,
  );
  console.log(
    `  peak memory (VmHWM) of the gateway:    ${(await peakMemoryMb(platform.pid('gateway'))).toFixed(0)} MB`,
  );

  // Income data, so that the simulation and the checks have ISEE values.
  const incomePath = join(work, 'income.csv');
  const incomeRows = await writeIncome(incomePath);
  const incomeJob = await importCsv(
    platform.urls.gateway,
    manager.token,
    comuneId!,
    'income',
    incomePath,
  );
  console.log(`\nincome import: ${incomeRows} declarations, ${incomeJob}`);

  // 2. Simulation over the registry.
  const simulationInput = {
    comuneId,
    rules: {
      requireResidency: true,
      iseeThresholds: [{ type: 'ORDINARIO', maxCents: 1_500_000 }],
      excludePublicSupport: true,
    },
    amountSchedule: { mode: 'BY_SIZE', bySizeCents: [15_000, 25_000, 30_000, 35_000] },
    budgetCents: 500_000_000,
    rankingCriteria: ['ISEE_ASC', 'MINORS_DESC'],
  };
  const SIMULATE = `query($input: SimulationInput!) { campaignSimulation(input: $input) { households eligible totalCostCents funded fundedCents tookMs } }`;
  const simulationTimes: number[] = [];
  let simulation: Record<string, number> | undefined;
  for (let i = 0; i < 5; i += 1) {
    const t = performance.now();
    const answer = await gql<{ campaignSimulation: Record<string, number> }>(
      platform.urls.gateway,
      SIMULATE,
      { input: simulationInput },
      { token: manager.token },
    );
    simulationTimes.push(performance.now() - t);
    simulation = answer.data?.campaignSimulation ?? undefined;
    if (!simulation) throw new Error(`simulation failed: ${JSON.stringify(answer.errors)}`);
  }
  simulationTimes.sort((a, b) => a - b);
  console.log(
    `\nsimulation over the registry (${simulation?.households} households), 5 runs through the gateway`,
  );
  console.log(
    `  eligible: ${simulation?.eligible}, cost ${((simulation?.totalCostCents ?? 0) / 100).toFixed(2)} €, funded ${simulation?.funded}`,
  );
  console.log(
    `  time to answer: median ${simulationTimes[2]!.toFixed(0)} ms, min ${simulationTimes[0]!.toFixed(0)} ms, max ${simulationTimes[4]!.toFixed(0)} ms (server side ${simulation?.tookMs} ms in the last run)`,
  );

  // 3. Campaign opening: a published campaign, then every applicant at once.
  const campaignId = await createCampaign(platform.urls.gateway, manager.token, {
    comuneId: comuneId!,
    kind: 'FOOD_VOUCHERS',
    title: 'Bench: apertura bando',
    description: 'Benchmark',
    budgetCents: 1_000_000_000,
    spendingUntil: '2030-12-31',
    rules: simulationInput.rules,
    amountSchedule: simulationInput.amountSchedule,
    declarations: [{ code: 'VERO', textIt: 'Dichiaro il vero.', textEn: 'I declare the truth.' }],
  });

  const tokens = await citizenSessions(databaseUrl, work, heads);
  const DRAFT = `mutation($input: ApplicationDraftInput!) { saveApplicationDraft(input: $input) { id } }`;
  const SUBMIT = `mutation($id: ID!) { submitApplication(id: $id) { id protocolNumber } }`;
  const draftMs: number[] = [];
  const submitMs: number[] = [];
  let failures = 0;
  const errorCodes = new Map<string, number>();
  const noteErrors = (answer: {
    status: number;
    errors?: { extensions?: { code?: string } }[];
  }) => {
    for (const e of answer.errors ?? []) {
      const ext = e.extensions as Record<string, unknown> | undefined;
      // SERVICE_UNAVAILABLE: shed by the subgraph (a retry hint) or timed out (outcome UNKNOWN).
      const detail =
        typeof ext?.outcome === 'string'
          ? ` ${ext.outcome}`
          : ext?.retryAfterSeconds
            ? ' shed'
            : '';
      const code = `${answer.status} ${e.extensions?.code ?? 'UNKNOWN'}${detail}`;
      errorCodes.set(code, (errorCodes.get(code) ?? 0) + 1);
    }
  };
  let next = 0;
  const servingPids = {
    gateway: platform.pid('gateway'),
    'public-welfare': platform.pid('public-welfare'),
    identity: platform.pid('identity'),
  };
  const databaseName = new URL(databaseUrl).pathname.slice(1);
  const cpuBefore = await cpuSnapshot(servingPids, databaseName);
  const sampler = sampleBackends(databaseUrl);
  const t1 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < tokens.length) {
        const i = next;
        next += 1;
        const token = tokens[i]!;
        let t = performance.now();
        const draft = await gql<{ saveApplicationDraft: { id: string } }>(
          platform.urls.gateway,
          DRAFT,
          {
            input: { campaignId, privacyNoticeAcknowledged: true, acceptedDeclarations: ['VERO'] },
          },
          { token },
        );
        draftMs.push(performance.now() - t);
        noteErrors(draft);
        const id = draft.data?.saveApplicationDraft.id;
        if (!id) {
          failures += 1;
          continue;
        }
        t = performance.now();
        // One applicant in a hundred double-clicks: two submissions at once.
        const submits = i % 100 === 0 ? [1, 2] : [1];
        const answers = await Promise.all(
          submits.map(() => gql(platform.urls.gateway, SUBMIT, { id }, { token })),
        );
        submitMs.push(performance.now() - t);
        answers.forEach(noteErrors);
        if (answers.some((a) => a.errors)) failures += 1;
      }
    }),
  );
  const burstSeconds = (performance.now() - t1) / 1000;
  const cpuAfter = await cpuSnapshot(servingPids, databaseName);
  const backendStates = await sampler.stop();
  const counts = await countApplications(databaseUrl, campaignId);

  // The trivial query, same gateway, same clients, as many requests as the burst made.
  const requests = draftMs.length + submitMs.length;
  const trivialMs: number[] = [];
  let sent = 0;
  const t2 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (sent < requests) {
        const token = tokens[sent % tokens.length]!;
        sent += 1;
        const t = performance.now();
        await gql(platform.urls.gateway, '{ __typename }', {}, { token });
        trivialMs.push(performance.now() - t);
      }
    }),
  );
  const trivialSeconds = (performance.now() - t2) / 1000;

  // The floor of the architecture: a one-row read through the same gateway to the same subgraph
  // (one fetch, one indexed select, no transaction), same clients, as many requests.
  const READ = `query($id: ID!) { campaign(id: $id) { id } }`;
  const readMs: number[] = [];
  let read = 0;
  let readFailures = 0;
  const t3 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (read < requests) {
        const token = tokens[read % tokens.length]!;
        read += 1;
        const t = performance.now();
        const found: string | undefined = (
          await gql<{ campaign: { id: string } | null }>(
            platform.urls.gateway,
            READ,
            { id: campaignId },
            { token },
          )
        ).data?.campaign?.id;
        readMs.push(performance.now() - t);
        if (found !== campaignId) readFailures += 1;
      }
    }),
  );
  const readSeconds = (performance.now() - t3) / 1000;
  const q = (values: number[], p: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
  };
  const requestRate = requests / burstSeconds;
  const trivialRate = trivialMs.length / trivialSeconds;
  console.log(
    `\ncampaign opening: ${tokens.length} citizens, ${CLIENTS} concurrent clients, through the gateway`,
  );
  console.log(`  elapsed:                ${burstSeconds.toFixed(1)} s`);
  console.log(
    `  applications per second: ${(tokens.length / burstSeconds).toFixed(0)} (draft + submit each; ${requestRate.toFixed(0)} requests/s)`,
  );
  console.log(
    `  draft  p50/p95/p99:     ${q(draftMs, 0.5).toFixed(0)} / ${q(draftMs, 0.95).toFixed(0)} / ${q(draftMs, 0.99).toFixed(0)} ms`,
  );
  console.log(
    `  submit p50/p95/p99:     ${q(submitMs, 0.5).toFixed(0)} / ${q(submitMs, 0.95).toFixed(0)} / ${q(submitMs, 0.99).toFixed(0)} ms`,
  );
  console.log(
    `  failed requests:        ${failures} ${JSON.stringify(Object.fromEntries(errorCodes))}`,
  );
  console.log(
    `  submitted in the database: ${counts.submitted} of ${tokens.length} (lost: ${tokens.length - counts.submitted}), distinct protocol numbers ${counts.protocols}, duplicated: ${counts.submitted - counts.protocols + counts.duplicates}`,
  );
  console.log(
    `  CPU per application (draft + submit), by process: ${Object.keys(cpuAfter)
      .map((k) => `${k} ${(((cpuAfter[k]! - cpuBefore[k]!) * 1000) / tokens.length).toFixed(2)} ms`)
      .join(', ')}`,
  );
  console.log(
    `  PostgreSQL backends of the platform during the burst (average of samples every 50 ms): ${Object.entries(
      backendStates,
    )
      .map(([state, n]) => `${state} ${n.toFixed(1)}`)
      .join(', ')}`,
  );
  console.log(
    `  trivial query ({ __typename }, same clients): ${trivialRate.toFixed(0)} requests/s, p50 ${q(trivialMs, 0.5).toFixed(1)} ms, p99 ${q(trivialMs, 0.99).toFixed(1)} ms`,
  );
  const readRate = readMs.length / readSeconds;
  console.log(
    `  one-row read (campaign(id), one fetch to public-welfare, same clients): ${readRate.toFixed(0)} requests/s, p50 ${q(readMs, 0.5).toFixed(1)} ms, p99 ${q(readMs, 0.99).toFixed(1)} ms, failed ${readFailures}; its ratio to the trivial query: ${(readRate / trivialRate).toFixed(3)}`,
  );
  console.log(
    `  ratio of the burst's request rate to the trivial query's: ${(requestRate / trivialRate).toFixed(3)} (to the one-row read's: ${(requestRate / readRate).toFixed(3)})`,
  );
} finally {
  await platform.stop();
  await postgres.teardown();
  await rm(work, { recursive: true, force: true });
}

/** Streams a CSV file to the gateway's import route and waits for the job; returns its status. */
async function importCsv(
  gateway: string,
  token: string,
  comuneId: string,
  kind: 'registry' | 'income',
  path: string,
): Promise<string> {
  const { createReadStream } = await import('node:fs');
  const response = await fetch(
    `${new URL(gateway).origin}/uploads/public-welfare/imports/${kind}?comuneId=${comuneId}`,
    {
      method: 'POST',
      headers: {
        'content-type': 'text/csv',
        authorization: `Bearer ${token}`,
        'content-length': String((await stat(path)).size),
      },
      body: Readable.toWeb(createReadStream(path)) as ReadableStream,
      duplex: 'half',
    } as RequestInit,
  );
  const { jobId } = (await response.json()) as { jobId: string };
  for (;;) {
    await new Promise((resolveWait) => setTimeout(resolveWait, 250));
    const answer = await gql<{ importJob: { status: string } | null }>(
      gateway,
      `query($id: ID!) { importJob(id: $id) { status } }`,
      { id: jobId },
      { token },
    );
    const status = answer.data?.importJob?.status ?? 'UNKNOWN';
    if (status === 'SUCCEEDED' || status === 'FAILED') return status;
  }
}

/**
 * A session for each citizen, written straight into identity's tables (a SPID login each would
 * take the test provider minutes): the person with the codice fiscale encrypted with the run's
 * PII key, as identity does, and a session whose token hash is stored. Returns the tokens.
 */
async function citizenSessions(
  databaseUrl: string,
  dataDir: string,
  codes: string[],
): Promise<string[]> {
  const secrets = JSON.parse(await readFile(join(dataDir, 'dev-secrets.json'), 'utf8')) as {
    PII_KEY: string;
  };
  const pii = new PiiCipher(Buffer.from(secrets.PII_KEY, 'base64'));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const tokens: string[] = [];
  try {
    for (let start = 0; start < codes.length; start += 500) {
      const persons: unknown[] = [];
      const sessions: unknown[] = [];
      const personValues: string[] = [];
      const sessionValues: string[] = [];
      for (const code of codes.slice(start, start + 500)) {
        const personId = randomUUID();
        const token = newOpaqueToken();
        tokens.push(token);
        const p = persons.length;
        persons.push(personId, 'Bench', 'Citizen', pii.lookupHash('cf', code), pii.encrypt(code));
        personValues.push(`($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5})`);
        const q = sessions.length;
        sessions.push(randomUUID(), sha256Hex(token), personId);
        sessionValues.push(`($${q + 1}, $${q + 2}, $${q + 3}, 'OIDC', now() + interval '1 day')`);
      }
      await client.query(
        `insert into identity.person (id, given_name, family_name, fiscal_code_hash, fiscal_code_cipher) values ${personValues.join(', ')}`,
        persons,
      );
      await client.query(
        `insert into identity.session (id, token_hash, person_id, method, expires_at) values ${sessionValues.join(', ')}`,
        sessions,
      );
    }
  } finally {
    await client.end();
  }
  return tokens;
}

/** Submitted applications of the campaign, distinct protocol numbers, households with two. */
async function countApplications(
  databaseUrl: string,
  campaignId: string,
): Promise<{ submitted: number; protocols: number; duplicates: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{
      submitted: number;
      protocols: number;
      duplicates: number;
    }>(
      `select count(*)::int as submitted, count(distinct protocol_number)::int as protocols,
         (select count(*)::int from (select household_id from public_welfare.application
            where campaign_id = $1 and status <> 'DRAFT' group by household_id having count(*) > 1) d) as duplicates
       from public_welfare.application where campaign_id = $1 and status = 'SUBMITTED'`,
      [campaignId],
    );
    return rows[0]!;
  } finally {
    await client.end();
  }
}
