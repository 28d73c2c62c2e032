import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMUNE_ID, DEMO_ORG, DEMO_PASSWORD, demoEmail, staffEmail } from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import type { TestPlatform } from '../support/platform.js';
import { sharedTestPlatform } from '../support/shared-platform.js';

/** Identity's demo organisations (subgraphs/identity/src/demo/accounts.ts). */
const BALESTRATE = DEMO_COMUNE_ID;
const LA_ESSE = DEMO_ORG.laEsse;
const AMICI = DEMO_ORG.amiciBalestrate;
const GIRASOLE = DEMO_ORG.girasole;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n', 'latin1');

describe('the third-sector subgraph through the gateway', () => {
  let platform: TestPlatform;
  let gateway: string;
  let origin: string;

  beforeAll(async () => {
    platform = await sharedTestPlatform();
    gateway = platform.urls.gateway;
    origin = new URL(gateway).origin;
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('answers only the gateway', async () => {
    const direct = await gql(
      platform.urls.subgraphs['third-sector']!,
      '{ accreditingComuni { id } }',
    );
    expect(direct.status).toBe(401);
  });

  it('joins the public list of accredited providers with identity’s organisations', async () => {
    const response = await gql<{
      accreditedProviders: { provider: { id: string; name: string }; validUntil: string }[];
      accreditingComuni: { id: string; name: string }[];
    }>(
      gateway,
      `query($c: ID!) { accreditedProviders(comuneId: $c) { validUntil provider { id name } }
        accreditingComuni { id name } }`,
      { c: BALESTRATE },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.accreditedProviders.map((p) => p.provider.name).sort()).toEqual([
      'Associazione Amici di Balestrate',
      'Cooperativa Sociale La Esse',
    ]);
    expect(response.data?.accreditedProviders.map((p) => p.provider.id).sort()).toEqual(
      [AMICI, LA_ESSE].sort(),
    );
    expect(response.data?.accreditingComuni).toEqual([
      { id: BALESTRATE, name: 'Comune di Balestrate' },
    ]);
  });

  it('a provider sees its own requests; documents go through the upload and download routes', async () => {
    const girasole = await login(gateway, staffEmail('girasole'), DEMO_PASSWORD);
    const mine = await gql<{
      providerAccreditations: { status: string; comune: { name: string } }[];
    }>(
      gateway,
      `query($p: ID!) { providerAccreditations(providerId: $p) { status comune { name } } }`,
      { p: GIRASOLE },
      { token: girasole.token },
    );
    expect(mine.data?.providerAccreditations).toEqual([
      { status: 'SUBMITTED', comune: { name: 'Comune di Balestrate' } },
    ]);
    const other = await gql(
      gateway,
      `query($p: ID!) { providerAccreditations(providerId: $p) { id } }`,
      { p: LA_ESSE },
      { token: girasole.token },
    );
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // La Esse asks for a renewal and uploads a document to it.
    const laEsse = await login(gateway, demoEmail('COOPERATIVE', 'ADMIN'), DEMO_PASSWORD);
    const list = await gql<{ providerAccreditations: { id: string; status: string }[] }>(
      gateway,
      `query($p: ID!) { providerAccreditations(providerId: $p) { id status } }`,
      { p: LA_ESSE },
      { token: laEsse.token },
    );
    const accredited = list.data?.providerAccreditations.find((r) => r.status === 'ACCREDITED');
    expect(accredited).toBeDefined();
    const renewal = await gql<{
      renewProviderAccreditation: {
        id: string;
        checklist: { requirement: { id: string; code: string } }[];
      };
    }>(
      gateway,
      `mutation($id: ID!) { renewProviderAccreditation(accreditationId: $id) { id checklist { requirement { id code } } } }`,
      { id: accredited!.id },
      { token: laEsse.token },
    );
    const draft = renewal.data!.renewProviderAccreditation;
    const requirement = draft.checklist.find((i) => i.requirement.code === 'DURC')!.requirement;
    const uploadUrl = (token: string) =>
      fetch(
        `${origin}/uploads/third-sector/files/documents?requestId=${draft.id}&requirementId=${requirement.id}&name=durc.pdf`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/pdf', authorization: `Bearer ${token}` },
          body: PDF,
        },
      );
    const refused = await uploadUrl(girasole.token);
    expect(refused.status).toBe(404);
    const stored = await uploadUrl(laEsse.token);
    expect(stored.status).toBe(201);
    const { documentId } = (await stored.json()) as { documentId: string };
    const download = (token?: string) =>
      fetch(`${origin}/downloads/third-sector/files/document?id=${documentId}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    const mineFile = await download(laEsse.token);
    expect(mineFile.status).toBe(200);
    expect(mineFile.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await mineFile.arrayBuffer()).equals(PDF)).toBe(true);
    expect((await download(girasole.token)).status).toBe(404);
    expect((await download()).status).toBe(401);
    // The Comune does not see the draft's document either.
    const manager = await login(gateway, demoEmail('COMUNE', 'MANAGER'), DEMO_PASSWORD);
    expect((await download(manager.token)).status).toBe(404);
  });
});
