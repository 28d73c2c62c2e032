// `npm run bench -- corporate-enrolment` (issue 16). Asserts nothing; prints the enrolment of
// 10,000 employees (BENCH_EMPLOYEES changes it) by CSV streamed through the gateway into the
// corporate-welfare subgraph: rows per second until the job SUCCEEDED, and the subgraph's peak
// memory (VmHWM, the resident set's high-water mark, of its process from /proc/<pid>/status,
// before and after); then the same file again (idempotent: nothing changes) and its time.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform } from '@welfare/platform';
import { createTestDatabase, startTestPostgres } from '@welfare/kit/testing';
import { DEMO_ORG, DEMO_PASSWORD, staffEmail } from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import {
  employeeFiscalCode,
  enrolmentCsv,
  seedPlanCategories,
} from '../support/corporate-enrolment.js';

const EMPLOYEES = Number(process.env.BENCH_EMPLOYEES ?? 10_000);
const GIVEN = ['Mario', 'Anna', 'Luca', 'Rosa', 'Pietro', 'Sara', 'Gino', 'Carla', 'Ugo', 'Ida'];
const FAMILY = ['Rossi', 'Bianchi', 'Verdi', 'Neri', 'Russo', 'Greco', 'Bruno', 'Gallo'];

function peakMemoryMb(pid: number | undefined): Promise<number> {
  if (!pid) return Promise.resolve(NaN);
  return readFile(`/proc/${pid}/status`, 'utf8').then((status) => {
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return kb / 1024;
  });
}

interface Job {
  status: string;
  rowsRead: number;
  rowsImported: number;
  rowsRejected: number;
  rowsCreated: number;
  rowsChanged: number;
}

/** Uploads the file and polls the job until it ends: the job and the seconds it took. */
async function enrol(gateway: string, token: string, employerId: string, file: Buffer) {
  const t0 = performance.now();
  const response = await fetch(
    `${new URL(gateway).origin}/uploads/corporate-welfare/imports/employees?employerId=${employerId}`,
    {
      method: 'POST',
      headers: {
        'content-type': 'text/csv',
        authorization: `Bearer ${token}`,
        'content-length': String(file.length),
      },
      body: new Uint8Array(file),
    },
  );
  const { jobId } = (await response.json()) as { jobId: string };
  for (;;) {
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    const answer = await gql<{ enrolmentJob: Job | null }>(
      gateway,
      `query($e: ID!, $id: ID!) { enrolmentJob(employerId: $e, id: $id) {
        status rowsRead rowsImported rowsRejected rowsCreated rowsChanged } }`,
      { e: employerId, id: jobId },
      { token },
    );
    const job = answer.data?.enrolmentJob;
    if (job && (job.status === 'SUCCEEDED' || job.status === 'FAILED')) {
      return { job, seconds: (performance.now() - t0) / 1000, http: response.status };
    }
    if (performance.now() - t0 > 600_000) throw new Error('enrolment did not end in 10 minutes');
  }
}

const postgres = await startTestPostgres();
const work = await mkdtemp(join(tmpdir(), 'welfare-bench-enrolment-'));
const databaseUrl = await createTestDatabase(postgres.url, 'bench_corporate_enrolment');
const platform = await startPlatform({
  databaseUrl,
  dataDir: work,
  randomPorts: true,
  nodeEnv: 'test',
  web: false,
  demoData: true,
  log: () => undefined,
});
try {
  const employerId = DEMO_ORG.officineRossi;
  await seedPlanCategories(databaseUrl, employerId, '0b7c2d1e-0000-4000-8000-00000000be01', [
    'OPERAI',
    'IMPIEGATI',
  ]);
  const lines = Array.from({ length: EMPLOYEES }, (_, n) => {
    const given = GIVEN[n % GIVEN.length]!;
    const family = FAMILY[Math.floor(n / GIVEN.length) % FAMILY.length]!;
    const email = `${given}.${family}.${n}@example.it`.toLowerCase();
    return `${employeeFiscalCode(n, 'B')};${given};${family};${email};${n % 3 ? 'OPERAI' : 'IMPIEGATI'};01/01/2026;${n % 4};`;
  });
  const file = enrolmentCsv(lines);
  const hr = await login(platform.urls.gateway, staffEmail('officineRossi', 'HR'), DEMO_PASSWORD);
  const pid = platform.pid('corporate-welfare');
  const before = await peakMemoryMb(pid);

  const first = await enrol(platform.urls.gateway, hr.token, employerId, file);
  const after = await peakMemoryMb(pid);
  console.log(
    `\nenrolment of ${EMPLOYEES} employees (${(file.length / 1e6).toFixed(2)} MB) through the gateway`,
  );
  console.log(
    `  status:                ${first.job.status} (HTTP ${first.http}; ${first.job.rowsCreated} created, ${first.job.rowsRejected} rejected)`,
  );
  console.log(`  total until SUCCEEDED: ${first.seconds.toFixed(2)} s`);
  console.log(`  rows per second:       ${(EMPLOYEES / first.seconds).toFixed(0)}`);
  console.log(
    `  peak memory (VmHWM) of corporate-welfare: ${after.toFixed(0)} MB (before the import: ${before.toFixed(0)} MB)`,
  );

  const again = await enrol(platform.urls.gateway, hr.token, employerId, file);
  console.log(`\nthe same file again (idempotent)`);
  console.log(
    `  status:                ${again.job.status} (${again.job.rowsCreated} created, ${again.job.rowsChanged} changed)`,
  );
  console.log(`  total until SUCCEEDED: ${again.seconds.toFixed(2)} s`);
  console.log(`  rows per second:       ${(EMPLOYEES / again.seconds).toFixed(0)}`);
  console.log(
    `  peak memory (VmHWM) of corporate-welfare: ${(await peakMemoryMb(pid)).toFixed(0)} MB`,
  );
} finally {
  await platform.stop();
  await postgres.teardown();
  await rm(work, { recursive: true, force: true });
}
