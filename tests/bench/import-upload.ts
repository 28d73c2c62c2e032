// `npm run bench -- import-upload`: the time from "Carica file" to the job's page showing rows
// read, for a registry file of BENCH_IMPORT_MB (10) megabytes, both ways the import page sends it
// (issue 19 item 1). Starts the platform with the demo data and the portal, logs the Comune's
// operator in, then, over HTTP as the browser sends them:
// 1. without JavaScript: the multipart form to the `upload` action, which answers its redirect
//    to the job's page once the whole file has gone through (the importer paces the upload);
// 2. with JavaScript: the file as the raw body of `…/importazioni/carica?tipo=REGISTRY&job=<id>`,
//    the page asking `GET …/carica?job=<id>` every 150 ms until the job exists.
// For each: the time until the job's page was answered with rows read, and until the job was over.
// Asserts nothing.
import { mkdtemp, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as codiceFiscaleModule from 'codice-fiscale-js';
import { startPlatform } from '@welfare/platform';
import { createTestDatabase, startTestPostgres } from '@welfare/kit/testing';
import { DEMO_COMUNE_ID, DEMO_PASSWORD, demoEmail } from '../support/demo.js';
import { gql, login } from '../support/graphql.js';

const megabytes = Number(process.env.BENCH_IMPORT_MB ?? 10);

interface CodiceFiscaleStatic {
  compute(data: Record<string, string | number>): string;
}
const moduleExports = codiceFiscaleModule as unknown as {
  CodiceFiscale?: CodiceFiscaleStatic;
  default?: { CodiceFiscale?: CodiceFiscaleStatic };
};
const CodiceFiscale = (moduleExports.CodiceFiscale ?? moduleExports.default?.CodiceFiscale)!;

const HEADER =
  'codice_famiglia;codice_fiscale;cognome;nome;data_nascita;sesso;relazione;indirizzo;residente;disabilita';
const NAMES = ['Ottavio', 'Tancredi', 'Calogero', 'Baldassare', 'Gaspare', 'Melchiorre'];

/**
 * About `megabytes` MB of valid registry rows, one household each, every codice fiscale different:
 * the surname's code is the file's, the name and the date of birth vary (6 x 20,160).
 */
function registryFile(surname: string): Uint8Array<ArrayBuffer> {
  const lines = [HEADER];
  let size = HEADER.length;
  for (let i = 0; size < megabytes * 1024 * 1024; i++) {
    const day = 1 + (i % 28);
    const month = 1 + (Math.floor(i / 28) % 12);
    const year = 1940 + (Math.floor(i / 336) % 60);
    const name = NAMES[Math.floor(i / 20_160) % NAMES.length]!;
    const cf = CodiceFiscale.compute({
      name,
      surname,
      gender: 'M',
      day,
      month,
      year,
      birthplace: 'Balestrate',
      birthplaceProvincia: 'PA',
    });
    const date = `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`;
    const line = `B-${surname}-${i};${cf};${surname};${name};${date};M;INTESTATARIO;Via del Mare ${i};SI;NO`;
    lines.push(line);
    size += line.length + 2;
  }
  return new TextEncoder().encode(`${lines.join('\r\n')}\r\n`);
}

const JOB = `query($id: ID!) { importJob(id: $id) { status rowsRead } }`;

const postgres = await startTestPostgres();
const dataDir = await mkdtemp(join(tmpdir(), 'welfare-bench-'));
const platform = await startPlatform({
  databaseUrl: await createTestDatabase(postgres.url, 'bench_import_upload'),
  dataDir,
  randomPorts: true,
  nodeEnv: 'test',
  log: () => undefined,
});
try {
  const web = platform.urls.web;
  const gateway = platform.urls.gateway;
  const { token } = await login(gateway, demoEmail('COMUNE', 'OPERATOR'), DEMO_PASSWORD);
  // A browser's headers: an `accept` of `*/*` would get SvelteKit's JSON answer to `use:enhance`.
  const browser = { cookie: `session=${token}`, origin: new URL(web).origin, accept: 'text/html' };
  const page = `${web}/comune/${DEMO_COMUNE_ID}/importazioni`;
  const job = async (id: string) =>
    (
      await gql<{ importJob: { status: string; rowsRead: number } | null }>(
        gateway,
        JOB,
        { id },
        { token },
      )
    ).data?.importJob ?? null;
  /** The job's page, and its rows read as the page showed them. */
  const jobPage = async (id: string) => {
    const html = await (await fetch(`${page}/${id}`, { headers: browser })).text();
    if (!html.includes('data-testid="import-counters"')) throw new Error(`no job page for ${id}`);
    return (await job(id))?.rowsRead ?? 0;
  };
  const finished = async (id: string, t0: number) => {
    for (;;) {
      const state = await job(id);
      if (state && (state.status === 'SUCCEEDED' || state.status === 'FAILED')) {
        return { seconds: (performance.now() - t0) / 1000, status: state.status };
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  console.log(
    `import upload benchmark: a ${megabytes} MB registry file; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );

  // 1. The multipart form (without JavaScript; before this change, with JavaScript too).
  const before = registryFile('Zappulla');
  const form = new FormData();
  form.set('kind', 'REGISTRY');
  form.set('file', new Blob([before], { type: 'text/csv' }), 'anagrafe.csv');
  let t0 = performance.now();
  const answer = await fetch(`${page}?/upload`, {
    method: 'POST',
    headers: browser,
    body: form,
    redirect: 'manual',
  });
  const location = answer.headers.get('location') ?? '';
  const formJob = /importazioni\/([0-9a-f-]{36})$/.exec(location)?.[1];
  if (!formJob) throw new Error(`the form answered ${answer.status} ${location}`);
  const formRows = await jobPage(formJob);
  const formPage = (performance.now() - t0) / 1000;
  const formDone = await finished(formJob, t0);
  console.log(
    `multipart form:  job page after ${formPage.toFixed(1)} s (${formRows} rows read), job ${formDone.status} after ${formDone.seconds.toFixed(1)} s`,
  );

  // 2. The streamed upload (with JavaScript).
  const after = registryFile('Quattrocchi');
  const jobId = randomUUID();
  t0 = performance.now();
  // Its answer, even one given before the whole file was read (a refusal).
  const upload = new Promise<{ status: number; body: string }>((resolve) => {
    const req = httpRequest(
      `${page}/carica?tipo=REGISTRY&job=${jobId}`,
      {
        method: 'POST',
        headers: { ...browser, 'content-type': 'text/csv', 'content-length': after.length },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', (err) => resolve({ status: 0, body: String(err) }));
    req.end(after);
  });
  while (!(await fetch(`${page}/carica?job=${jobId}`, { headers: browser })).ok) {
    const early = await Promise.race([upload, new Promise<null>((r) => setTimeout(r, 0, null))]);
    if (early) throw new Error(`the upload answered ${early.status} ${early.body}`);
    await new Promise((r) => setTimeout(r, 150));
  }
  let streamRows = await jobPage(jobId);
  while (streamRows === 0) streamRows = await jobPage(jobId);
  const streamPage = (performance.now() - t0) / 1000;
  const uploaded = await upload;
  const streamSent = (performance.now() - t0) / 1000;
  const streamDone = await finished(jobId, t0);
  console.log(
    `streamed upload: job page after ${streamPage.toFixed(1)} s (${streamRows} rows read), file sent (${uploaded.status} ${uploaded.body}) after ${streamSent.toFixed(1)} s, job ${streamDone.status} after ${streamDone.seconds.toFixed(1)} s`,
  );
} finally {
  await platform.stop();
  await postgres.teardown();
  await rm(dataDir, { recursive: true, force: true });
}
