// Issue 19, items 3 and 4, in the portal: the Comune's operator logs in and lands on the
// worklist of Balestrate, whose counts are the API's (read in the test, not written down); a count
// leads to the filtered case queue; a rejection asks for a confirmation that states its
// consequence, and cancelling it changes nothing. Every page is checked with axe. On the shared
// platform: Giuseppe applies to the open demo campaign (his own application, no sharer reads it),
// rejected through the second approval in the last test (withdrawn at the end if that failed).
// The second approval (item 4): the MANAGER turns Balestrate's decision policy on, the operator's
// rejection of Giuseppe's application waits for the MANAGER (nothing changes for Giuseppe), the
// MANAGER confirms it; the policy is off again at the end (files of a worker slot run one at a
// time, so no other sharer decides while it is on).
// With an amount limit (120 €): the operator's approval of Giuseppe's application to a campaign of
// the test's own (100 €) is applied at once, the approval of his demo one (150 €) waits; the
// MANAGER sends that back ("Rimanda": an empty reason is a field error first) and it is back in
// review with the reason in the staff's timeline, no message to Giuseppe, nothing decided.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCampaign, createCampaign, daysAhead } from '../support/campaigns.js';
import { uploadIdentityDocument } from '../support/citizen.js';
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
const MANAGER = demoEmail('COMUNE', 'MANAGER');

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
/** The Comune's newest messages, queued ones included (written with the decision itself). */
const SENT_MESSAGES = /* GraphQL */ `
  query ($comuneId: ID!) {
    sentMessages(comuneId: $comuneId, first: 50) {
      nodes {
        subject
        body
      }
    }
  }
`;
const SET_POLICY = /* GraphQL */ `
  mutation ($comuneId: ID!, $on: Boolean!) {
    setDecisionPolicy(comuneId: $comuneId, secondApproval: $on, amountLimitCents: null) {
      secondApproval
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
      decisionsToConfirm
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
    decisionsToConfirm: number;
  };
  providerAccreditationQueue: { totalCount: number };
}

describe('the staff’s worklist and decisions with care', () => {
  let portal: Portal;
  let platform: TestPlatform;
  let web: string;
  let operatorToken = '';
  /** Giuseppe's application and session. */
  const giuseppe = { token: '', id: '', protocol: '' };
  /** Giuseppe's application to the campaign of the test's own (below the amount limit). */
  const own = { campaignId: '', id: '', protocol: '' };
  /** The MANAGER's and the operator's pages, kept from one second-approval test to the next. */
  let manager: Page | undefined;
  let operator: Page | undefined;

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

  /** The Comune's messages about Giuseppe's demo application (its protocol number). */
  const messages = async () => {
    const sent = await gql<{ sentMessages: { nodes: { subject: string; body: string }[] } }>(
      platform.urls.gateway,
      SENT_MESSAGES,
      { comuneId: COMUNE },
      { token: operatorToken },
    );
    expect(sent.errors).toBeUndefined();
    return sent.data!.sentMessages.nodes.filter((n) =>
      `${n.subject} ${n.body}`.includes(giuseppe.protocol),
    ).length;
  };
  /** How many of those there were before the operator's approval of it. */
  let told = 0;

  /** Giuseppe applies (through the API); the demo campaign asks for an identity document. */
  const apply = async (campaignId: string, document: boolean) => {
    const draft = await gql<{ saveApplicationDraft: { id: string } }>(
      platform.urls.gateway,
      SAVE_DRAFT,
      {
        input: {
          campaignId,
          privacyNoticeAcknowledged: true,
          email: 'famiglia@example.org',
          acceptedDeclarations: document ? ['VERIDICITA', 'NESSUN_ALTRO_BUONO'] : [],
        },
      },
      { token: giuseppe.token },
    );
    expect(draft.errors).toBeUndefined();
    const id = draft.data!.saveApplicationDraft.id;
    if (document) {
      await uploadIdentityDocument(platform.urls.gateway, giuseppe.token, id);
    }
    const submitted = await gql<{ submitApplication: { status: string; protocolNumber: string } }>(
      platform.urls.gateway,
      SUBMIT,
      { id },
      { token: giuseppe.token },
    );
    expect(submitted.errors).toBeUndefined();
    expect(submitted.data?.submitApplication.status).toBe('SUBMITTED');
    return { id, protocol: submitted.data!.submitApplication.protocolNumber };
  };

  beforeAll(async () => {
    portal = await openPortal({ shared: true });
    ({ platform, web } = portal);
    operatorToken = (await login(platform.urls.gateway, OPERATOR, DEMO_PASSWORD)).token;
    // Giuseppe applies to the open demo campaign: one more case to decide (150 €, alone).
    giuseppe.token = (await portal.citizenPage(GIUSEPPE)).token;
    Object.assign(giuseppe, await apply(DEMO_CAMPAIGN_ID, true));
    // A campaign of the test's own (100 € a household, no document) that Giuseppe applies to too.
    const { token } = await login(platform.urls.gateway, MANAGER, DEMO_PASSWORD);
    own.campaignId = await createCampaign(platform.urls.gateway, token, {
      title: `Buoni sotto soglia ${randomUUID().slice(0, 8)}`,
      description: 'Buoni di prova per la soglia delle approvazioni.',
      spendingUntil: daysAhead(200),
    });
    Object.assign(own, await apply(own.campaignId, false));
  });
  afterAll(async () => {
    // The shared demo Comune decides at once again, whatever the test did.
    if (platform) {
      const { token } = await login(platform.urls.gateway, MANAGER, DEMO_PASSWORD);
      const off = await gql(
        platform.urls.gateway,
        SET_POLICY,
        { comuneId: COMUNE, on: false },
        { token },
      );
      expect(off.errors).toBeUndefined();
      if (own.campaignId) {
        expect(await closeCampaign(platform.urls.gateway, token, own.campaignId)).toBeUndefined();
      }
    }
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
      'to-confirm': list.decisionsToConfirm,
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

    // The past-due and integrations-answered counts open the queue filtered as they count (the
    // same SQL definition): the queue finds as many as the worklist counted.
    for (const [id, param, label, count] of [
      ['overdue', 'overdue', 'Solo quelle scadute', list.overdue],
      ['answered', 'answered', 'Solo le integrazioni ricevute', list.integrationsAnswered],
    ] as const) {
      await page.goto(`${web}/comune/${COMUNE}`);
      await page.getByTestId(`worklist-${id}`).click();
      await page.waitForURL((url) => url.searchParams.get(param) === '1');
      expect(new URL(page.url()).pathname).toBe(`/comune/${COMUNE}/domande`);
      await expect(page.getByTestId('queue-count').getAttribute('data-count'), id).resolves.toBe(
        String(count),
      );
      expect(await page.getByLabel(label).isChecked(), id).toBe(true);
    }
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

  it('a second approval with a limit: the MANAGER turns it on; an approval above the limit waits and is sent back, one below is applied', async () => {
    manager = await portal.staffPage(MANAGER, { reuse: manager });
    await manager.goto(`${web}/comune/${COMUNE}/decisioni`);
    // Bootstrap Italia draws the box on the label, which takes the click.
    await manager.getByText('Richiedi la seconda approvazione di un responsabile').click();
    expect(
      await manager.getByLabel('Richiedi la seconda approvazione di un responsabile').isChecked(),
    ).toBe(true);
    await manager.getByLabel('Soglia per le approvazioni, in euro').fill('120,00');
    await manager.getByRole('button', { name: 'Salva le impostazioni' }).click();
    await manager.getByTestId('policy-saved').waitFor();
    await expect(manager.getByTestId('policy-state').getAttribute('data-on')).resolves.toBe('1');
    await expectAccessible(manager);

    const approve = async (page: Page, id: string) => {
      await page.goto(`${web}/comune/${COMUNE}/domande/${id}`);
      await page.getByRole('button', { name: 'Approva la domanda' }).click();
      await page.getByTestId('decision-confirm-form').getByRole('button').click();
      await page.waitForURL(/esito=approve/);
    };

    // Below the limit (100 €): the operator's approval is applied at once.
    operator = await portal.staffPage(OPERATOR, { reuse: operator });
    await approve(operator, own.id);
    await expect(operator.getByTestId('case-status').getAttribute('data-status')).resolves.toBe(
      'APPROVED',
    );
    await expect(operator.getByTestId('approval-panel').count()).resolves.toBe(0);

    // Above it (150 €): the approval waits for the MANAGER; Giuseppe is told nothing.
    told = await messages();
    // The acknowledgement of receipt at least.
    expect(told).toBeGreaterThan(0);
    await approve(operator, giuseppe.id);
    await operator.getByTestId('approval-waiting').waitFor();
    expect(await status()).toBe('PENDING_APPROVAL');

    // The MANAGER sends it back: without a reason, a field error and nothing changes.
    await manager.goto(`${web}/comune/${COMUNE}/domande/${giuseppe.id}`);
    await expect(
      manager.getByTestId('approval-outcome').getAttribute('data-approve'),
    ).resolves.toBe('true');
    const sendBack = manager.getByTestId('approval-return-form');
    await sendBack.getByRole('button', { name: 'Rimanda' }).click();
    await manager.getByTestId('error-summary').waitFor();
    await expect(manager.locator('#return-reason').getAttribute('aria-invalid')).resolves.toBe(
      'true',
    );
    await expect(manager.locator('#return-reason-error').textContent()).resolves.toContain(
      'Indicare il motivo del rinvio.',
    );
    expect(await status()).toBe('PENDING_APPROVAL');
    await expectAccessible(manager);
    // With a reason: the confirmation states the consequence, then the case is back in review.
    const why = 'Verificare prima la composizione del nucleo.';
    await sendBack.getByLabel('Motivo del rinvio').fill(why);
    await sendBack.getByRole('button', { name: 'Rimanda' }).click();
    await expect(manager.getByTestId('approval-consequence').textContent()).resolves.toContain(
      `la domanda ${giuseppe.protocol} torna in istruttoria`,
    );
    expect(await status()).toBe('PENDING_APPROVAL');
    await manager.getByTestId('approval-confirm-form').getByRole('button').click();
    await manager.waitForURL(/esito=return/);
    await expect(manager.getByTestId('case-status').getAttribute('data-status')).resolves.toBe(
      'IN_REVIEW',
    );
    await expect(
      manager.locator('[data-testid="timeline-row"][data-kind="DECISION_RETURNED"]').textContent(),
    ).resolves.toContain(why);
    await expectAccessible(manager);
    expect(await status()).toBe('IN_REVIEW');
    // Nothing was applied: no decision, no message to Giuseppe.
    expect(await messages()).toBe(told);
  });

  it('a second approval: an operator’s rejection waits; the MANAGER confirms it', async () => {
    manager = await portal.staffPage(MANAGER, { reuse: manager });
    // The operator rejects (with its confirmation): the decision waits for the MANAGER.
    operator = await portal.staffPage(OPERATOR, { reuse: operator });
    await operator.goto(`${web}/comune/${COMUNE}/domande/${giuseppe.id}`);
    await operator.getByLabel('Motivazione del rigetto').fill('Documentazione incompleta.');
    await operator.getByRole('button', { name: 'Respingi la domanda' }).click();
    await operator.getByTestId('decision-confirm-form').getByRole('button').click();
    await operator.getByTestId('approval-waiting').waitFor();
    await expect(operator.getByTestId('case-status').getAttribute('data-status')).resolves.toBe(
      'PENDING_APPROVAL',
    );
    expect(await status()).toBe('PENDING_APPROVAL');
    // Nothing has changed for Giuseppe.
    const seen = await gql<{ application: { status: string } }>(
      platform.urls.gateway,
      STATUS,
      { id: giuseppe.id },
      { token: giuseppe.token },
    );
    expect(seen.data?.application.status).toBe('IN_REVIEW');
    await expectAccessible(operator);

    // The MANAGER sees the proposal; "Conferma" first states the consequence, then applies it.
    await manager.goto(`${web}/comune/${COMUNE}/domande/${giuseppe.id}`);
    await expect(manager.getByTestId('approval-outcome').textContent()).resolves.toContain(
      'respingere',
    );
    await expect(manager.getByTestId('approval-reason').textContent()).resolves.toContain(
      'Documentazione incompleta.',
    );
    await manager.getByTestId('approval-confirm-start').getByRole('button').click();
    await expect(manager.getByTestId('approval-consequence').textContent()).resolves.toContain(
      `La decisione proposta sarà applicata alla domanda ${giuseppe.protocol}`,
    );
    expect(await status()).toBe('PENDING_APPROVAL');
    await expectAccessible(manager);
    await manager.getByTestId('approval-confirm-form').getByRole('button').click();
    await manager.getByTestId('case-notice').waitFor();
    expect(await status()).toBe('REJECTED');
    // The decision applied is told to Giuseppe (the first message since his submission's).
    expect(await messages()).toBeGreaterThan(told);
  });
});
