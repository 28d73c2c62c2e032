import { request } from 'node:http';
import { createLogger, type Caller } from '@welfare/kit';
import { startSubgraph, type RunningSubgraph } from '@welfare/kit/subgraph';
import { createTokenSigner, generateGatewayKeys } from '@welfare/kit/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_IMPORT_MAX_BYTES } from '../src/config.js';
import { ImportJob } from '../src/modules/imports/import-job.entity.js';
import { ImportRunner } from '../src/modules/imports/import-runner.js';
import { ImportRejection } from '../src/modules/imports/import-rejection.entity.js';
import {
  REJECTIONS_ROUTE,
  importRoute,
  rejectionsRoute,
} from '../src/modules/imports/import.route.js';
import { buildPublicWelfareSchema } from '../src/schema.js';
import { CF, INCOME, REGISTRY } from './fixtures.js';
import {
  ANONYMOUS,
  COMUNE_A,
  COMUNE_B,
  REGISTRY_HEADER,
  setupSuite,
  staff,
  type Suite,
} from './helpers.js';

let suite: Suite;
let server: RunningSubgraph;
let runner: ImportRunner;
let sign: Awaited<ReturnType<typeof createTokenSigner>>;
let forge: Awaited<ReturnType<typeof createTokenSigner>>;
const operator = staff(COMUNE_A);
const operatorB = staff(COMUNE_B);
/** A second mount of the registry route with a 4 KB limit, to exceed it for real. */
const SMALL_LIMIT = 4096;

beforeAll(async () => {
  suite = await setupSuite('http');
  const keys = await generateGatewayKeys();
  sign = await createTokenSigner(keys.privateKey);
  forge = await createTokenSigner((await generateGatewayKeys()).privateKey);
  const logger = createLogger('public-welfare-test', 'silent');
  runner = new ImportRunner(suite.orm, suite.services.imports, logger);
  const options = { orm: suite.orm, imports: suite.services.imports, runner };
  server = await startSubgraph({
    name: 'public-welfare',
    schema: await buildPublicWelfareSchema(suite.services),
    orm: suite.orm,
    host: '127.0.0.1',
    port: 0,
    gatewayPublicKey: keys.publicKey,
    logger,
    routes: {
      'POST /imports/registry': importRoute('REGISTRY', {
        ...options,
        maxBytes: DEFAULT_IMPORT_MAX_BYTES,
      }),
      'POST /imports/income': importRoute('INCOME', {
        ...options,
        maxBytes: DEFAULT_IMPORT_MAX_BYTES,
      }),
      'POST /small/imports/registry': importRoute('REGISTRY', {
        ...options,
        maxBytes: SMALL_LIMIT,
      }),
      [REJECTIONS_ROUTE]: rejectionsRoute(suite.services.imports, suite.orm),
    },
  });
});
afterAll(async () => {
  await runner.drain();
  await server.stop(); // also closes the ORM
});

const token = (caller: Caller, audience = 'public-welfare') => sign(audience, caller, 'req-1');

const upload = (
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<Response> =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv; charset=utf-8', ...headers },
    body,
  });

/** A raw request: chunked (no length) unless `contentLength` is given; writes `chunks`. */
function rawUpload(
  path: string,
  headers: Record<string, string | number>,
  chunks: string[],
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    if (!headers['content-length']) req.end();
  });
}

async function waitForJob(id: string): Promise<ImportJob> {
  for (let i = 0; i < 200; i++) {
    const job = await suite.orm.em.fork().findOneOrFail(ImportJob, { id });
    if (job.status === 'SUCCEEDED' || job.status === 'FAILED') return job;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('job did not finish');
}

describe('POST /imports/{registry,income}', () => {
  it('answers 401 without a token, with a forged one, a wrong audience, or an anonymous caller', async () => {
    const jobs = await suite.count('import_job');
    const path = `/imports/registry?comuneId=${COMUNE_A}`;
    const forged = await forge('public-welfare', operator, 'r');
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'Bearer nope' },
      { authorization: `Bearer ${forged}` },
      { authorization: `Bearer ${await token(operator, 'identity')}` },
      { authorization: `Bearer ${await token(ANONYMOUS)}` },
    ]) {
      const res = await upload(path, REGISTRY, headers);
      expect(res.status).toBe(401);
      const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    }
    expect(await suite.count('import_job')).toBe(jobs);
  });

  it('answers 403 in the platform’s error shape to an operator of another Comune', async () => {
    const jobs = await suite.count('import_job');
    const res = await upload(`/imports/registry?comuneId=${COMUNE_A}`, REGISTRY, {
      authorization: `Bearer ${await token(operatorB)}`,
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      errors: [
        {
          message: 'Operazione non consentita. / Operation not allowed.',
          extensions: {
            code: 'FORBIDDEN',
            messages: { it: 'Operazione non consentita.', en: 'Operation not allowed.' },
          },
        },
      ],
    });
    expect(await suite.count('import_job')).toBe(jobs);
    expect(await suite.count('household')).toBe(0);
  });

  it('answers 400 for a malformed Comune id and 415 for a body that is not text/csv', async () => {
    const auth = { authorization: `Bearer ${await token(operator)}` };
    expect((await upload('/imports/registry?comuneId=abc', REGISTRY, auth)).status).toBe(400);
    expect(
      (
        await upload(`/imports/registry?comuneId=${COMUNE_A}`, REGISTRY, {
          ...auth,
          'content-type': 'application/json',
        })
      ).status,
    ).toBe(415);
  });

  it('answers 413 at once when the declared length is over 200 MB, creating no job', async () => {
    const jobs = await suite.count('import_job');
    const res = await rawUpload(
      `/imports/registry?comuneId=${COMUNE_A}`,
      {
        authorization: `Bearer ${await token(operator)}`,
        'content-type': 'text/csv',
        'content-length': DEFAULT_IMPORT_MAX_BYTES + 1,
      },
      [`${REGISTRY_HEADER}\n`],
    );
    expect(res.status).toBe(413);
    expect(
      (JSON.parse(res.body) as { errors: { message: string }[] }).errors[0]!.message,
    ).toContain('200 MB');
    expect(await suite.count('import_job')).toBe(jobs);
  });

  it('answers 413 when a chunked body passes the limit; the job FAILS and writes nothing', async () => {
    const row = `F9;${CF.mario};Rossi;Mario;01/01/1980;M;INTESTATARIO;Via Roma 1;SI;NO\n`;
    const res = await rawUpload(
      `/small/imports/registry?comuneId=${COMUNE_A}`,
      { authorization: `Bearer ${await token(operator)}`, 'content-type': 'text/csv' },
      [`${REGISTRY_HEADER}\n`, ...Array.from({ length: 100 }, () => row)],
    );
    expect(res.status).toBe(413);
    await runner.drain();
    const jobs = await suite.orm.em
      .fork()
      .find(ImportJob, {}, { orderBy: { createdAt: 'desc' }, limit: 1 });
    expect(jobs[0]).toMatchObject({ status: 'FAILED', rowsImported: 0 });
    expect(await suite.count('household')).toBe(0);
  });

  it('answers 202 with the job id to staff of the Comune; the job SUCCEEDS in the background', async () => {
    const auth = { authorization: `Bearer ${await token(operator)}` };
    const res = await upload(`/imports/registry?comuneId=${COMUNE_A}`, REGISTRY, auth);
    expect(res.status).toBe(202);
    const { jobId } = (await res.json()) as { jobId: string };
    expect(await waitForJob(jobId)).toMatchObject({
      status: 'SUCCEEDED',
      kind: 'REGISTRY',
      rowsImported: 8,
      createdBy: operator.personId,
    });
    expect(await suite.count('household', COMUNE_A)).toBe(4);

    const income = await upload(`/imports/income?comuneId=${COMUNE_A}`, INCOME, auth);
    expect(income.status).toBe(202);
    const incomeJob = await waitForJob(((await income.json()) as { jobId: string }).jobId);
    expect(incomeJob).toMatchObject({ status: 'SUCCEEDED', kind: 'INCOME', rowsImported: 3 });

    // The job is visible through GraphQL with the same gateway token.
    const graphql = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({
        query: `query($id: ID!) { importJob(id: $id) { status rowsImported } }`,
        variables: { id: jobId },
      }),
    });
    expect(await graphql.json()).toEqual({
      data: { importJob: { status: 'SUCCEEDED', rowsImported: 8 } },
    });
  });

  it('answers 202 for a file with bad rows too; the job FAILS with its rejections', async () => {
    const res = await upload(
      `/imports/income?comuneId=${COMUNE_A}`,
      `${'codice_fiscale_dichiarante;isee;tipo_isee;data_validita;sostegno_pubblico'}\nNOPE;1,00;ORDINARIO;31/12/2026;NO\n`,
      { authorization: `Bearer ${await token(staff(COMUNE_A, 'MANAGER'))}` },
    );
    expect(res.status).toBe(202);
    const job = await waitForJob(((await res.json()) as { jobId: string }).jobId);
    expect(job).toMatchObject({ status: 'FAILED', rowsRejected: 1 });
  });
});

describe('a job id chosen by the uploading page', () => {
  it('is the job’s id, and the job exists (RUNNING) before the upload ends', async () => {
    const jobId = crypto.randomUUID();
    const req = request(`${server.url}/imports/registry?comuneId=${COMUNE_A}&jobId=${jobId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token(operator)}`, 'content-type': 'text/csv' },
    });
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
    });
    const [header, ...rows] = REGISTRY.trimEnd().split('\n');
    req.write(`${header}\n${rows[0]}\n`);
    let seen: ImportJob | null = null;
    for (let i = 0; i < 200 && !seen; i++) {
      await new Promise((r) => setTimeout(r, 25));
      seen = await suite.orm.em.fork().findOne(ImportJob, { id: jobId });
    }
    expect(seen).toMatchObject({ comuneId: COMUNE_A, createdBy: operator.personId });
    expect(['QUEUED', 'RUNNING']).toContain(seen!.status);
    req.end(`${rows.slice(1).join('\n')}\n`);
    const res = await answer;
    expect(res.status).toBe(202);
    expect(JSON.parse(res.body)).toEqual({ jobId });
    expect(await waitForJob(jobId)).toMatchObject({ status: 'SUCCEEDED', rowsImported: 8 });

    // Taken, or not a UUID: refused before anything is read, no job created.
    const jobs = await suite.count('import_job');
    const auth = { authorization: `Bearer ${await token(operator)}` };
    for (const id of [jobId, 'abc']) {
      const refused = await upload(
        `/imports/registry?comuneId=${COMUNE_A}&jobId=${id}`,
        REGISTRY,
        auth,
      );
      expect(refused.status).toBe(400);
      expect(JSON.stringify(await refused.json())).toContain('Identificativo del caricamento');
    }
    expect(await suite.count('import_job')).toBe(jobs);
  });
});

describe('an upload the client aborts', () => {
  it('FAILS its job within seconds (progress from the first rows), writing nothing', async () => {
    const households = await suite.count('household');
    const jobs = await suite.count('import_job');
    const rows = Array.from(
      { length: 3 },
      (_, i) => `AB${i};${CF.mario};Rossi;Mario;01/01/1980;M;INTESTATARIO;Via Roma 1;SI;NO`,
    );
    const req = request(`${server.url}/imports/registry?comuneId=${COMUNE_A}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await token(operator)}`,
        'content-type': 'text/csv',
        'content-length': 1_000_000,
      },
    });
    req.on('error', () => undefined);
    req.write(`${REGISTRY_HEADER}\n${rows[0]}\n`);
    // The job reads rows while the upload goes on: the first row is counted before the end.
    let job: ImportJob | null = null;
    for (let i = 0; i < 200 && !(job && job.rowsRead > 0); i++) {
      if (i === 20) req.write(`${rows[1]}\n`);
      await new Promise((r) => setTimeout(r, 25));
      job = await suite.orm.em
        .fork()
        .findOne(ImportJob, { comuneId: COMUNE_A }, { orderBy: { createdAt: 'desc' } });
      if (job && job.status !== 'RUNNING') job = null;
    }
    expect(job).toMatchObject({ status: 'RUNNING' });
    const abortedAt = Date.now();
    req.destroy();
    const done = await waitForJob(job!.id);
    const seconds = (Date.now() - abortedAt) / 1000;
    expect(done.status).toBe('FAILED');
    expect(seconds).toBeLessThan(3);
    const [rejection] = await suite.orm.em.fork().find(ImportRejection, { job: done.id });
    expect(rejection).toMatchObject({ field: 'file', reasonIt: 'Caricamento interrotto.' });
    expect(await suite.count('import_job')).toBe(jobs + 1);
    expect(await suite.count('household')).toBe(households);
    expect(await suite.count('import_staging_row')).toBe(0);
  });
});

describe('GET /files/imports/rejections.csv', () => {
  const download = async (jobId: string, caller?: Caller) =>
    fetch(`${server.url}/files/imports/rejections.csv?jobId=${jobId}`, {
      headers: caller ? { authorization: `Bearer ${await token(caller)}` } : {},
    });

  it('gives staff of the Comune every rejection as CSV, neutralising what a spreadsheet would run', async () => {
    const res = await upload(
      `/imports/income?comuneId=${COMUNE_A}`,
      `${'codice_fiscale_dichiarante;isee;tipo_isee;data_validita;sostegno_pubblico'}\nNOPE;1,00;ORDINARIO;31/12/2026;NO\n`,
      { authorization: `Bearer ${await token(operator)}` },
    );
    const job = await waitForJob(((await res.json()) as { jobId: string }).jobId);
    // Whatever a rejection says reaches the file through the one CSV writer: a formula stays text.
    const em = suite.orm.em.fork();
    em.create(ImportRejection, {
      job: em.getReference(ImportJob, job.id),
      line: 3,
      field: '=HYPERLINK("http://evil.example","x")',
      reasonIt: '@SUM(1+1)',
      reasonEn: '+cmd|" /C calc"!A0',
    });
    await em.flush();

    const file = await download(job.id, operator);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(file.headers.get('cache-control')).toBe('no-store');
    const bytes = Buffer.from(await file.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('riga;campo;motivo;reason');
    expect(lines[1]).toMatch(/^2;codice_fiscale_dichiarante;/);
    expect(lines[2]).toBe(
      `3;"'=HYPERLINK(""http://evil.example"",""x"")";'@SUM(1+1);"'+cmd|"" /C calc""!A0"`,
    );
  });

  it('refuses anonymous callers, staff of another Comune and unknown jobs, with nothing written', async () => {
    const job = await suite.orm.em.fork().findOneOrFail(
      ImportJob,
      { comuneId: COMUNE_A },
      {
        orderBy: { createdAt: 'desc' },
      },
    );
    const jobs = await suite.count('import_job');
    expect((await download(job.id)).status).toBe(401);
    expect((await download(job.id, ANONYMOUS)).status).toBe(401);
    expect((await download(job.id, operatorB)).status).toBe(403);
    expect((await download('7a1c0e42-3f11-4d6e-9b1e-0c1d2e3f4a5b', operator)).status).toBe(404);
    expect((await download('nope', operator)).status).toBe(404);
    expect(await suite.count('import_job')).toBe(jobs);
  });
});
