// `npm run bench -- applications` (issue 3). Part 1, what exists so far: the import of a registry
// of 100,000 households (about 230,000 people) streamed through the gateway into the
// public-welfare subgraph: rows per second and the subgraph's peak memory. Asserts nothing.
// Still to come with campaigns and applications: the campaign-opening burst and the simulation.
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import * as codiceFiscaleModule from 'codice-fiscale-js';
import { startPlatform } from '@welfare/gateway/platform';
import { createTestDatabase, startTestPostgres } from '@welfare/kit/testing';
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

const postgres = await startTestPostgres();
const work = await mkdtemp(join(tmpdir(), 'welfare-bench-apps-'));
const platform = await startPlatform({
  databaseUrl: await createTestDatabase(postgres.url, 'bench_applications'),
  dataDir: work,
  randomPorts: true,
  nodeEnv: 'test',
  web: false,
  demoData: true,
  log: () => undefined,
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
} finally {
  await platform.stop();
  await postgres.teardown();
  await rm(work, { recursive: true, force: true });
}
