// Issue 19, items 3 and 4, in the portal: the Comune's operator logs in and lands on the
// worklist of Balestrate, whose counts are the API's (read in the test, not written down); a count
// leads to the filtered case queue; a rejection asks for a confirmation that states its
// consequence, and cancelling it changes nothing. Every page is checked with axe. On the shared
// platform: Giuseppe applies to the open demo campaign (his own application, no sharer reads it),
// and withdraws it at the end.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_CAMPAIGN_ID,
  DEMO_COMUNE_ID,
  DEMO_PASSWORD,
  demoCitizen,
  demoEmail,
} from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import { logInStaff } from '../support/login.js';
import type { TestPlatform } from '../support/platform.js';
import { openPortal, type Portal } from '../support/portal.js';

const COMUNE = DEMO_COMUNE_ID;
const GIUSEPPE = demoCitizen('Giuseppe').fiscalCode;
const OPERATOR = demoEmail('COMUNE', 'OPERATOR');

const SAVE_DRAFT = /* GraphQL */ `
  mutation ($input: ApplicationDraftInput!) {
    saveApplicationDraft(input: $input) {
      id
    }
  }
`;
const SUBMIT = /* GraphQL */ `
  mutation ($id: ID!) {
    submitApplication(id: $id) {
      status
      protocolNumber
    }
  }
`;
const WITHDRAW = /* GraphQL */ `
  mutation ($id: ID!) {
    withdrawApplication(id: $id) {
      status
    }
  }
`;
const STATUS = /* GraphQL */ `
  query ($id: ID!) {
    application(id: $id) {
      status
    }
  }
`;
const WORKLIST = /* GraphQL */ `
  query ($comuneId: ID!) {
    comuneWorklist(comuneId: $comuneId) {
      toDecide
      overdue
      integrationsAnswered
      awaitingIntegration
      batchesToApprove
      shopsToReview
    }
    providerAccreditationQueue(
      comuneId: $comuneId
      filter: { statuses: [SUBMITTED, IN_REVIEW], first: 1 }
    ) {
      totalCount
    }
  }
`;

interface Worklist {
  comuneWorklist: {
    toDecide: number;
    overdue: number;
    integrationsAnswered: number;
    awaitingIntegration: number;
    batchesToApprove: number;
    shopsToReview: number;
  };
  providerAccreditationQueue: { totalCount: number };
}

/** A small but real PDF (the subgraph recognises PDF, JPEG and PNG by their first bytes). */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);

describe('the staff’s worklist and decisions with care', () => {
  let portal: Portal;
  let platform: TestPlatform;
  let web: string;
  let operatorToken = '';
  /** Giuseppe's application and session. */
  const giuseppe = { token: '', id: '', protocol: '' };

  const expectAccessible = (page: Page) => portal.expectAccessible(page);
  const status = async () =>
    (
      await gql<{ application: { status: string } }>(
        platform.urls.gateway,
        STATUS,
        { id: giuseppe.id },
        { token: operatorToken },
      )
    ).data?.application.status;

  beforeAll(async () => {
    portal = await openPortal({ shared: true });
    ({ platform, web } = portal);
    operatorToken = (await login(platform.urls.gateway, OPERATOR, DEMO_PASSWORD)).token;
    // Giuseppe applies to the open demo campaign (through the API): one more case to decide.
    giuseppe.token = (await portal.citizenPage(GIUSEPPE)).token;
    const draft = await gql<{ saveApplicationDraft: { id: string } }>(
      platform.urls.gateway,
      SAVE_DRAFT,
      {
        input: {
          campaignId: DEMO_CAMPAIGN_ID,
          privacyNoticeAcknowledged: true,
          email: 'famiglia@example.org',
          acceptedDeclarations: ['VERIDICITA', 'NESSUN_ALTRO_BUONO'],
        },
      },
      { token: giuseppe.token },
    );
    expect(draft.errors).toBeUndefined();
    giuseppe.id = draft.data!.saveApplicationDraft.id;
    const url = new URL('/uploads/public-welfare/files/documents', platform.urls.gateway);
    url.searchParams.set('applicationId', giuseppe.id);
    url.searchParams.set('code', 'DOCUMENTO_IDENTITA');
    url.searchParams.set('name', 'documento.pdf');
    const uploaded = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${giuseppe.token}`, 'content-type': 'application/pdf' },
      body: new Uint8Array(PDF),
    });
    expect(uploaded.status, await uploaded.clone().text()).toBe(201);
    const submitted = await gql<{ submitApplication: { status: string; protocolNumber: string } }>(
      platform.urls.gateway,
      SUBMIT,
      { id: giuseppe.id },
      { token: giuseppe.token },
    );
    expect(submitted.errors).toBeUndefined();
    expect(submitted.data?.submitApplication.status).toBe('SUBMITTED');
    giuseppe.protocol = submitted.data!.submitApplication.protocolNumber;
  });
  afterAll(async () => {
    if (giuseppe.id && giuseppe.token) {
      await gql(platform.urls.gateway, WITHDRAW, { id: giuseppe.id }, { token: giuseppe.token });
    }
    await portal?.close();
  });

  it('lands the operator on the worklist, with the API’s counts, each a link to its list', async () => {
    const page = await portal.page();
    await logInStaff(page, web, OPERATOR);
    expect(new URL(page.url()).pathname).toBe(`/comune/${COMUNE}`);

    const answer = await gql<Worklist>(
      platform.urls.gateway,
      WORKLIST,
      { comuneId: COMUNE },
      { token: operatorToken },
    );
    expect(answer.errors).toBeUndefined();
    const list = answer.data!.comuneWorklist;
    // Giuseppe's application at least.
    expect(list.toDecide).toBeGreaterThanOrEqual(1);
    const expected: Record<string, number> = {
      'to-decide': list.toDecide,
      overdue: list.overdue,
      answered: list.integrationsAnswered,
      awaiting: list.awaitingIntegration,
      accreditations: answer.data!.providerAccreditationQueue.totalCount,
      shops: list.shopsToReview,
      batches: list.batchesToApprove,
    };
    for (const [id, count] of Object.entries(expected)) {
      const link = page.getByTestId(`worklist-${id}`);
      await expect(link.getAttribute('data-count'), id).resolves.toBe(String(count));
      await expect(link.textContent(), id).resolves.toContain(String(count));
    }
    await expect(page.locator('h1').textContent()).resolves.toContain('Lavoro da fare');
    await expectAccessible(page);

    // The count of applications to decide opens the queue of those, where Giuseppe's is.
    await page.getByTestId('worklist-to-decide').click();
    await page.waitForURL((url) => url.pathname === `/comune/${COMUNE}/domande`);
    expect(new URL(page.url()).searchParams.getAll('status')).toEqual([
      'SUBMITTED',
      'IN_REVIEW',
      'APPEALED',
    ]);
    await expect(page.locator('main').textContent()).resolves.toContain(giuseppe.protocol);
    await expectAccessible(page);
  });

  it('asks for a confirmation stating the consequence before a rejection; cancelling changes nothing', async () => {
    const page = await portal.staffPage(OPERATOR);
    await page.goto(`${web}/comune/${COMUNE}/domande/${giuseppe.id}`);
    const reason = 'ISEE oltre la soglia della misura.';
    await page.getByLabel('Motivazione del rigetto').fill(reason);
    await page.getByRole('button', { name: 'Respingi la domanda' }).click();
    const confirm = page.getByTestId('decision-confirm');
    await confirm.waitFor();
    await expect(page.getByTestId('decision-consequence').textContent()).resolves.toContain(
      `La domanda ${giuseppe.protocol} sarà respinta e il richiedente riceverà un messaggio`,
    );
    await expect(confirm.textContent()).resolves.toContain(reason);
    // Nothing has happened yet.
    expect(await status()).toBe('SUBMITTED');
    await expectAccessible(page);

    await page.getByTestId('decision-cancel').click();
    await page.waitForURL(`${web}/comune/${COMUNE}/domande/${giuseppe.id}`);
    await expect(page.getByTestId('decision-confirm').count()).resolves.toBe(0);
    await expect(page.getByTestId('reject-form').count()).resolves.toBe(1);
    expect(await status()).toBe('SUBMITTED');
  });
});
