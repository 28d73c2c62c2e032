import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CAMPAIGN_ID, DEMO_PASSWORD, demoCitizen, demoEmail } from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import type { TestPlatform } from '../support/platform.js';
import { sharedTestPlatform } from '../support/shared-platform.js';

const HEADER =
  'codice_famiglia;codice_fiscale;cognome;nome;data_nascita;sesso;relazione;indirizzo;residente;disabilita';
/** Two new households (codici fiscali computed with codice-fiscale-js), Italian Excel style. */
const REGISTRY = `\uFEFF${[
  HEADER,
  'Z900;ZNZGLN33D03A592D;Zanzottera;Ugolino;03/04/1933;M;INTESTATARIO;Via del Porto 1;SI;NO',
  'Z900;ZNZFME36S49A592H;Zanzottera;Eufemia;09/11/1936;F;CONIUGE;Via del Porto 1;SI;SI',
  'Z901;QRNTTN99B21A592S;Quarantotto;Ottone;21/02/1999;M;INTESTATARIO;Via Palermo 7;SI;NO',
].join('\r\n')}\r\n`;
const BROKEN = `${HEADER}\nZ902;NOTACODICEFISCALE;Rossi;Ada;31/02/1990;F;NONNA;Via Roma 3;SI;NO\n`;

const COUNT = `query($c: ID!) { households(comuneId: $c) { totalCount } }`;
const JOB = `query($id: ID!) { importJob(id: $id) { status rowsRead rowsImported rowsRejected rejections { line field reasonIt reasonEn } } }`;

interface Job {
  status: string;
  rowsRead: number;
  rowsImported: number;
  rowsRejected: number;
  rejections: Array<{ line: number; field: string; reasonIt: string; reasonEn: string }>;
}

describe('public welfare through the gateway: the registry import', () => {
  let platform: TestPlatform;
  let gateway: string;
  let origin: string;
  let manager: Awaited<ReturnType<typeof login>>;
  let comuneId: string;

  beforeAll(async () => {
    // Its own households, the counts compared within a test: the worker's shared platform
    // (support/shared-platform.ts).
    platform = await sharedTestPlatform();
    gateway = platform.urls.gateway;
    origin = new URL(gateway).origin;
    manager = await login(gateway, demoEmail('COMUNE', 'MANAGER'), DEMO_PASSWORD);
    comuneId =
      manager.viewer.memberships.find((m) => m.organisation.kind === 'COMUNE')?.organisation.id ??
      '';
  });
  afterAll(async () => {
    await platform?.close();
  });

  const upload = (kind: string, csv: string, token?: string, comune = comuneId) =>
    fetch(`${origin}/uploads/public-welfare/imports/${kind}?comuneId=${comune}`, {
      method: 'POST',
      headers: {
        'content-type': 'text/csv',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: csv,
    });

  async function households(token: string): Promise<number> {
    const response = await gql<{ households: { totalCount: number } }>(
      gateway,
      COUNT,
      { c: comuneId },
      { token },
    );
    expect(response.errors).toBeUndefined();
    return response.data?.households.totalCount ?? -1;
  }

  async function finished(jobId: string, token: string): Promise<Job> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const response = await gql<{ importJob: Job }>(gateway, JOB, { id: jobId }, { token });
      const job = response.data?.importJob;
      if (job && (job.status === 'SUCCEEDED' || job.status === 'FAILED')) return job;
      if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job?.status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('imports a CSV streamed through the gateway, once however often it is sent', async () => {
    const before = await households(manager.token);
    expect(before).toBeGreaterThan(100); // the demo registry
    const sent = await upload('registry', REGISTRY, manager.token);
    expect(sent.status).toBe(202);
    const { jobId } = (await sent.json()) as { jobId: string };
    const job = await finished(jobId, manager.token);
    expect(job).toMatchObject({ status: 'SUCCEEDED', rowsRead: 3, rowsRejected: 0 });
    expect(await households(manager.token)).toBe(before + 2);

    const again = (await (await upload('registry', REGISTRY, manager.token)).json()) as {
      jobId: string;
    };
    expect((await finished(again.jobId, manager.token)).status).toBe('SUCCEEDED');
    expect(await households(manager.token)).toBe(before + 2);
  });

  it('rejects a malformed file row by row and imports nothing', async () => {
    const before = await households(manager.token);
    const sent = await upload('registry', BROKEN, manager.token);
    expect(sent.status).toBe(202);
    const { jobId } = (await sent.json()) as { jobId: string };
    const job = await finished(jobId, manager.token);
    expect(job.status).toBe('FAILED');
    expect(job.rowsImported).toBe(0);
    const fields = job.rejections.map((r) => r.field).sort();
    expect(fields).toEqual(expect.arrayContaining(['codice_fiscale', 'data_nascita', 'relazione']));
    for (const rejection of job.rejections) {
      expect(rejection.line).toBe(2);
      expect(rejection.reasonIt.length).toBeGreaterThan(3);
      expect(rejection.reasonEn.length).toBeGreaterThan(3);
    }
    expect(await households(manager.token)).toBe(before);
  });

  it("keeps another organisation's staff and anonymous callers out of the Comune's data", async () => {
    const coop = await login(gateway, demoEmail('COOPERATIVE', 'ADMIN'), DEMO_PASSWORD);
    const read = await gql(gateway, COUNT, { c: comuneId }, { token: coop.token });
    expect(read.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(read.data?.households ?? null).toBeNull();

    const jobs = `query($c: ID!) { importJobs(comuneId: $c) { id } }`;
    const countJobs = async () =>
      (
        await gql<{ importJobs: unknown[] }>(
          gateway,
          jobs,
          { c: comuneId },
          { token: manager.token },
        )
      ).data?.importJobs.length ?? -1;
    const jobsBefore = await countJobs();
    const foreign = await upload('registry', REGISTRY, coop.token);
    expect(foreign.status).toBe(403);
    const anonymous = await upload('registry', REGISTRY);
    expect(anonymous.status).toBe(401);
    expect(await countJobs()).toBe(jobsBefore);

    const other = await gql(gateway, jobs, { c: comuneId }, { token: coop.token });
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('answers an application document over the size limit with 413 and the field message, its length declared', async () => {
    const operator = await login(gateway, demoEmail('COMUNE', 'OPERATOR'), DEMO_PASSWORD);
    const draft = await gql<{ saveApplicationDraft: { id: string } }>(
      gateway,
      `mutation($input: ApplicationDraftInput!) { saveApplicationDraft(input: $input) { id } }`,
      {
        input: {
          campaignId: DEMO_CAMPAIGN_ID,
          onBehalfOf: demoCitizen('Giulia').fiscalCode,
          privacyNoticeAcknowledged: true,
        },
      },
      { token: operator.token },
    );
    expect(draft.errors, JSON.stringify(draft.errors)).toBeUndefined();
    const id = draft.data!.saveApplicationDraft.id;
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(6 * 1024 * 1024)]);
    const response = await fetch(
      `${origin}/uploads/public-welfare/files/documents?applicationId=${id}&code=DOCUMENTO_IDENTITA&name=big.pdf`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/pdf',
          'content-length': String(big.length),
          authorization: `Bearer ${operator.token}`,
        },
        body: big,
      },
    );
    expect(response.status).toBe(413);
    const body = (await response.json()) as {
      errors: { extensions: { fields: { field: string; message: { it: string } }[] } }[];
    };
    expect(body.errors[0]?.extensions.fields[0]).toMatchObject({
      field: 'file',
      message: { it: 'Il file supera 5 MB.' },
    });
  });
});
