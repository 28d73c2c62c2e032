import { randomUUID } from 'node:crypto';
import { createLogger, type Caller, type PersonCaller } from '@welfare/kit';
import { startSubgraph, type RunningSubgraph } from '@welfare/kit/subgraph';
import { createTokenSigner, generateGatewayKeys } from '@welfare/kit/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationRoutes } from '../src/modules/application/application.routes.js';
import type { Application } from '../src/modules/application/application.entity.js';
import type { Campaign } from '../src/modules/campaign/campaign.entity.js';
import { buildPublicWelfareSchema } from '../src/schema.js';
import { LASTING_INCOME, PDF, campaignInput } from './campaign-fixtures.js';
import { CF, REGISTRY } from './fixtures.js';
import { ANONYMOUS, COMUNE_A, COMUNE_B, setupSuite, staff, type Suite } from './helpers.js';

/** The application file routes over HTTP, as the gateway calls them. */
let suite: Suite;
let server: RunningSubgraph;
let sign: Awaited<ReturnType<typeof createTokenSigner>>;
const operator = staff(COMUNE_A);
const manager = staff(COMUNE_A, 'MANAGER');
const operatorB = staff(COMUNE_B);
const MAX = 64 * 1024;
const citizen = (fiscalCode: string): PersonCaller => ({
  kind: 'person',
  personId: randomUUID(),
  sessionId: randomUUID(),
  platformAdmin: false,
  memberships: [],
  fiscalCode,
});
const mario = citizen(CF.mario);
const sara = citizen(CF.sara);
let campaign: Campaign;
let draft: Application;

beforeAll(async () => {
  suite = await setupSuite('appfiles');
  await suite.importText(operator, COMUNE_A, 'REGISTRY', REGISTRY);
  await suite.importText(operator, COMUNE_A, 'INCOME', LASTING_INCOME);
  const keys = await generateGatewayKeys();
  sign = await createTokenSigner(keys.privateKey);
  server = await startSubgraph({
    name: 'public-welfare',
    schema: await buildPublicWelfareSchema(suite.services),
    orm: suite.orm,
    host: '127.0.0.1',
    port: 0,
    gatewayPublicKey: keys.publicKey,
    logger: createLogger('public-welfare-test', 'silent'),
    routes: applicationRoutes({
      orm: suite.orm,
      audit: suite.services.audit,
      applications: suite.services.applications,
      cases: suite.services.cases,
      maxDocumentBytes: MAX,
    }),
  });
  const em = suite.orm.em.fork();
  const created = await suite.services.campaigns.create(em, operator, campaignInput(COMUNE_A));
  campaign = await suite.services.campaigns.publish(suite.orm.em.fork(), manager, created.id);
  draft = await suite.services.applications.saveDraft(suite.orm.em.fork(), mario, {
    campaignId: campaign.id,
    privacyNoticeAcknowledged: true,
    acceptedDeclarations: ['TRUE'],
  });
});
afterAll(() => server.stop());

const auth = async (caller: Caller) => ({
  authorization: `Bearer ${await sign('public-welfare', caller, 'req-1')}`,
});

const post = async (caller: Caller, query: string, body: Buffer) =>
  fetch(`${server.url}/files/documents?${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', ...(await auth(caller)) },
    body,
  });

const get = async (caller: Caller, path: string) =>
  fetch(`${server.url}${path}`, { headers: await auth(caller) });

describe('application files over HTTP', () => {
  it('stores a PDF document and refuses wrong types, sizes and callers with clear errors', async () => {
    const q = `applicationId=${draft.id}&code=ID&name=${encodeURIComponent('carta identità.pdf')}`;
    const before = await suite.count('application_document');
    const text = await post(mario, q, Buffer.from('not a pdf at all'));
    expect(text.status).toBe(400);
    const body = (await text.json()) as {
      errors: {
        extensions: { fields: { field: string; message: { it: string; en: string } }[] };
      }[];
    };
    expect(body.errors[0]!.extensions.fields[0]).toMatchObject({
      field: 'file',
      message: { it: 'Sono ammessi solo PDF, JPEG o PNG.', en: 'Only PDF, JPEG or PNG files.' },
    });
    expect((await post(mario, q, Buffer.concat([PDF, Buffer.alloc(MAX)]))).status).toBe(413);
    expect((await post(operatorB, q, PDF)).status).toBe(404);
    expect((await post(sara, q, PDF)).status).toBe(404);
    expect((await post(ANONYMOUS, q, PDF)).status).toBe(401);
    expect(await suite.count('application_document')).toBe(before);

    const ok = await post(mario, q, PDF);
    expect(ok.status).toBe(201);
    const { documentId } = (await ok.json()) as { documentId: string };
    const download = await get(mario, `/files/document?id=${documentId}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toContain(
      "filename*=UTF-8''carta%20identit%C3%A0.pdf",
    );
    expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true);
    expect((await get(sara, `/files/document?id=${documentId}`)).status).toBe(404);
    expect((await get(operatorB, `/files/document?id=${documentId}`)).status).toBe(404);
    const audits = await suite.count('audit_event', COMUNE_A);
    expect((await get(operator, `/files/document?id=${documentId}`)).status).toBe(200);
    expect(await suite.count('audit_event', COMUNE_A)).toBe(audits + 1);
  });

  it('gives the receipt PDF of a submitted application to its applicant and the Comune only', async () => {
    expect((await get(mario, `/files/receipt.pdf?applicationId=${draft.id}`)).status).toBe(404);
    const submitted = await suite.services.applications.submit(
      suite.orm.em.fork(),
      mario,
      draft.id,
    );
    const receipt = await get(mario, `/files/receipt.pdf?applicationId=${draft.id}`);
    expect(receipt.status).toBe(200);
    expect(receipt.headers.get('content-disposition')).toContain(
      `ricevuta-${submitted.protocolNumber!.replace('/', '-')}.pdf`,
    );
    expect(
      Buffer.from(await receipt.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    expect((await get(operator, `/files/receipt.pdf?applicationId=${draft.id}`)).status).toBe(200);
    expect((await get(sara, `/files/receipt.pdf?applicationId=${draft.id}`)).status).toBe(404);
    expect((await get(operatorB, `/files/receipt.pdf?applicationId=${draft.id}`)).status).toBe(404);
  });

  it('exports the ranking as Italian CSV and PDF once computed, by protocol number only', async () => {
    expect((await get(ANONYMOUS, `/exports/ranking.csv?campaignId=${campaign.id}`)).status).toBe(
      404,
    );
    await suite.services.cases.bulkApprove(suite.orm.em.fork(), operator, [draft.id]);
    await suite.services.cases.rank(suite.orm.em.fork(), manager, campaign.id);
    const csv = await get(ANONYMOUS, `/exports/ranking.csv?campaignId=${campaign.id}`);
    expect(csv.status).toBe(200);
    const text = await csv.text();
    const lines = text
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('posizione;protocollo;isee_euro;componenti;minori;importo_euro;esito');
    expect(lines[1]).toMatch(/^1;\d{4}\/\d{6};12345,67;3;1;300,00;FINANZIATA$/);
    expect(text).not.toContain('Rossi');
    const pdf = await get(ANONYMOUS, `/exports/ranking.pdf?campaignId=${campaign.id}`);
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });
});
