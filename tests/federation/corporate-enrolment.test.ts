import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  employeeFiscalCode,
  enrolmentCsv,
  seedPlanCategories,
} from '../support/corporate-enrolment.js';
import { DEMO_ORG, DEMO_PASSWORD, demoEmail, staffEmail } from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

const JOB = `query($e: ID!, $id: ID!) { enrolmentJob(employerId: $e, id: $id) {
  status rowsCreated rowsChanged rejections { line field } } }`;
const EMPLOYEES = `query($e: ID!, $s: String) { employerEmployees(employerId: $e, search: $s) {
  totalCount items { id fiscalCode } } }`;

// Its own platform (a small upload limit; it enrols employees of the demo employer).
describe('corporate welfare through the gateway: the enrolment upload', () => {
  let platform: TestPlatform;
  let gateway: string;
  let origin: string;
  let hr: string;
  let comune: string;
  const employer = DEMO_ORG.officineRossi;

  beforeAll(async () => {
    platform = await startTestPlatform({
      web: false,
      subgraphEnv: { 'corporate-welfare': { ENROLMENT_MAX_BYTES: '4096' } },
    });
    gateway = platform.urls.gateway;
    origin = new URL(gateway).origin;
    await seedPlanCategories(
      platform.databaseUrl,
      employer,
      '0b7c2d1e-0000-4000-8000-00000000fe01',
      ['TURNISTI'],
    );
    hr = (await login(gateway, staffEmail('officineRossi', 'HR'), DEMO_PASSWORD)).token;
    comune = (await login(gateway, demoEmail('COMUNE', 'MANAGER'), DEMO_PASSWORD)).token;
  });
  afterAll(async () => {
    await platform?.close();
  });

  const upload = (body: string, token?: string, type = 'text/csv', id = employer) =>
    fetch(`${origin}/uploads/corporate-welfare/imports/employees?employerId=${id}`, {
      method: 'POST',
      headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
    });

  async function finished(jobId: string) {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const answer = await gql<{
        enrolmentJob: { status: string; rowsCreated: number; rejections: { line: number }[] };
      }>(gateway, JOB, { e: employer, id: jobId }, { token: hr });
      const job = answer.data?.enrolmentJob;
      if (job && (job.status === 'SUCCEEDED' || job.status === 'FAILED')) return job;
      if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job?.status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('refuses the anonymous, another organisation, a file that is not CSV or too large', async () => {
    const file = enrolmentCsv([
      `${employeeFiscalCode(0, 'F')};Ada;Fumagalli;;TURNISTI;01/02/2026;0;`,
    ]).toString('utf8');
    expect((await upload(file)).status).toBe(401);
    expect((await upload(file, comune)).status).toBe(403);
    expect((await upload(file, hr, 'text/csv', 'not-a-uuid')).status).toBe(400);
    expect((await upload(file, hr, 'application/json')).status).toBe(415);
    const big = 'a'.repeat(8192);
    expect((await upload(big, hr)).status).toBe(413);
    // The Comune sees nothing of the employer's employees or jobs.
    const seen = await gql(gateway, EMPLOYEES, { e: employer }, { token: comune });
    expect(seen.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('enrols a clean file streamed through the gateway, and says so', async () => {
    const codes = [1, 2].map((n) => employeeFiscalCode(n, 'F'));
    const file = enrolmentCsv([
      `${codes[0]};Ada;Fumagalli;ada.fumagalli@example.it;TURNISTI;01/02/2026;0;`,
      `${codes[1]};Bice;Fumagalli;;TURNISTI;01/02/2026;1;`,
    ]).toString('utf8');
    const response = await upload(file, hr);
    expect(response.status).toBe(202);
    const { jobId } = (await response.json()) as { jobId: string };
    const job = await finished(jobId);
    expect(job).toMatchObject({ status: 'SUCCEEDED', rowsCreated: 2, rejections: [] });
    const found = await gql<{ employerEmployees: { totalCount: number } }>(
      gateway,
      EMPLOYEES,
      { e: employer, s: 'Fumagalli' },
      { token: hr },
    );
    expect(found.data?.employerEmployees.totalCount).toBe(2);
    // The Comune cannot read the job either.
    const job2 = await gql(gateway, JOB, { e: employer, id: jobId }, { token: comune });
    expect(job2.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
