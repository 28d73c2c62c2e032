import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadIdentityDocument } from '../support/citizen.js';
import {
  DEMO_CAMPAIGN_ID,
  DEMO_CITIZEN,
  DEMO_COMUNE_ID,
  demoCitizen,
  demoEmail,
} from '../support/demo.js';
import { gql } from '../support/graphql.js';
import type { TestPlatform } from '../support/platform.js';
import { openPortal, type Portal } from '../support/portal.js';

/** The demo Comune (Comune di Balestrate) and its published campaign "Buoni spesa 2026". */
const COMUNE = DEMO_COMUNE_ID;
const CAMPAIGN = DEMO_CAMPAIGN_ID;
/** Demo citizens in the registry: Mario (4 members, ISEE 8.500 €), Giulia (2 members, 5.200 €). */
const MARIO = DEMO_CITIZEN.fiscalCode;
const GIULIA = demoCitizen('Giulia').fiscalCode;
/** Giuseppe (ISEE above the threshold), for whom the operator opens the form. */
const GIUSEPPE = demoCitizen('Giuseppe').fiscalCode;
const DECLARATIONS = ['VERIDICITA', 'NESSUN_ALTRO_BUONO'];

/** Text as a literal inside a regular expression. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

const SAVE_DRAFT = /* GraphQL */ `
  mutation Draft($input: ApplicationDraftInput!) {
    saveApplicationDraft(input: $input) {
      id
      status
    }
  }
`;
const SUBMIT = /* GraphQL */ `
  mutation Submit($id: ID!) {
    submitApplication(id: $id) {
      id
      status
      protocolNumber
    }
  }
`;
const RESUBMIT = /* GraphQL */ `
  mutation Resubmit($id: ID!, $note: String) {
    resubmitApplication(id: $id, note: $note) {
      id
      status
    }
  }
`;

describe('case handling by the Comune in a browser', () => {
  let portal: Portal;
  let platform: TestPlatform;
  let web: string;
  /** Mario's application, shared by the tests that follow one another. */
  const mario = { token: '', id: '', protocol: '' };
  const giulia = { token: '', id: '', protocol: '' };

  beforeAll(async () => {
    portal = await openPortal();
    ({ platform, web } = portal);
  });
  afterAll(async () => {
    await portal?.close();
  });

  const expectAccessible = (page: Page) => portal.expectAccessible(page);

  const staffPage = (email: string) => portal.staffPage(email);

  /** Logs a citizen in through the test SPID provider in the browser; their session token. */
  const citizenToken = async (fiscalCode: string) => (await portal.citizenPage(fiscalCode)).token;

  /** The citizen's application through the API: draft, mandatory document, submission. */
  async function apply(fiscalCode: string, into: typeof mario): Promise<void> {
    into.token = await citizenToken(fiscalCode);
    const draft = await gql<{ saveApplicationDraft: { id: string } }>(
      platform.urls.gateway,
      SAVE_DRAFT,
      {
        input: {
          campaignId: CAMPAIGN,
          privacyNoticeAcknowledged: true,
          email: 'famiglia@example.org',
          acceptedDeclarations: DECLARATIONS,
        },
      },
      { token: into.token },
    );
    expect(draft.errors).toBeUndefined();
    into.id = draft.data!.saveApplicationDraft.id;
    await uploadIdentityDocument(platform.urls.gateway, into.token, into.id);
    const submitted = await gql<{ submitApplication: { status: string; protocolNumber: string } }>(
      platform.urls.gateway,
      SUBMIT,
      { id: into.id },
      { token: into.token },
    );
    expect(submitted.errors).toBeUndefined();
    expect(submitted.data?.submitApplication.status).toBe('SUBMITTED');
    into.protocol = submitted.data!.submitApplication.protocolNumber;
    expect(into.protocol).toBeTruthy();
  }

  async function caseStatus(page: Page): Promise<string | null> {
    return page.getByTestId('case-status').getAttribute('data-status');
  }

  async function timelineKinds(page: Page): Promise<string[]> {
    const rows = page.getByTestId('timeline-row');
    const kinds: string[] = [];
    for (let i = 0; i < (await rows.count()); i++) {
      kinds.push((await rows.nth(i).getAttribute('data-kind')) ?? '');
    }
    return kinds;
  }

  /** True when `expected` appears in `actual` in order (other entries may come between). */
  function inOrder(actual: string[], expected: string[]): boolean {
    let at = 0;
    for (const kind of actual) if (kind === expected[at]) at += 1;
    return at === expected.length;
  }

  it('lets the operator find a submitted application, ask for more, and approve it after the citizen answers', async () => {
    await apply(MARIO, mario);
    const operator = await staffPage(demoEmail('COMUNE', 'OPERATOR'));

    // The Comune's area links to the queue.
    await operator.goto(`${web}/comune`);
    await operator.getByTestId('nav-comune-domande').click();
    await operator.waitForURL(`${web}/comune/${COMUNE}/domande`);
    await expectAccessible(operator);
    const row = operator.getByTestId('queue-row').filter({ hasText: mario.protocol });
    await expect(row.count()).resolves.toBe(1);
    await expect(row.getAttribute('data-status')).resolves.toBe('SUBMITTED');

    // Filter by protocol number: only Mario's.
    const filter = operator.getByTestId('queue-filter');
    await filter.getByLabel('Numero di protocollo').fill(mario.protocol);
    await filter.getByRole('button', { name: 'Applica i filtri' }).click();
    await operator.waitForURL(/protocol=/);
    await expect(operator.getByTestId('queue-row').count()).resolves.toBe(1);
    await expect(operator.getByTestId('queue-count').textContent()).resolves.toContain('1 domanda');
    await expectAccessible(operator);

    // The case page: applicant, household, checks, document, timeline.
    await operator.getByRole('link', { name: mario.protocol, exact: true }).click();
    await operator.waitForURL(`${web}/comune/${COMUNE}/domande/${mario.id}`);
    expect(await caseStatus(operator)).toBe('SUBMITTED');
    await expect(operator.getByTestId('case-applicant').textContent()).resolves.toContain(MARIO);
    await expect(operator.getByTestId('case-household').textContent()).resolves.toMatch(
      /Componenti\s*4/,
    );
    await expect(operator.getByTestId('case-checks').textContent()).resolves.not.toContain(
      'Non superata',
    );
    await expect(operator.getByTestId('case-due-by').textContent()).resolves.toMatch(/\d/);
    const link = operator.getByTestId('case-document-link');
    await expect(link.count()).resolves.toBe(1);
    const file = await operator.request.get(new URL((await link.getAttribute('href'))!, web).href);
    expect(file.status()).toBe(200);
    expect(file.headers()['content-type']).toBe('application/pdf');
    expect((await file.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await expectAccessible(operator);

    // Take the case.
    await operator.getByRole('button', { name: 'Prendi in carico' }).click();
    await operator.waitForURL(/esito=assign/);
    await expect(operator.getByTestId('case-assigned').textContent()).resolves.toContain('Te');

    // Rejecting without a reason: a field error, nothing changes.
    await operator.getByRole('button', { name: 'Respingi la domanda' }).click();
    await operator.getByTestId('error-summary').waitFor();
    await expect(operator.locator('#reject-reason[aria-invalid="true"]').count()).resolves.toBe(1);
    await expect(operator.locator('#reject-reason-error').textContent()).resolves.toContain(
      'Indica la motivazione del rigetto.',
    );
    await expect(
      operator.getByTestId('error-summary').getByRole('link').getAttribute('href'),
    ).resolves.toBe('#reject-reason');
    expect(await caseStatus(operator)).toBe('SUBMITTED');
    await expectAccessible(operator);

    // Ask for an integration, with a reason.
    const reason = 'Il documento d’identità non è leggibile: caricarne una copia nitida.';
    await operator.getByLabel('Che cosa deve integrare il cittadino').fill(reason);
    await operator.getByRole('button', { name: 'Richiedi integrazione' }).click();
    await operator.waitForURL(/esito=integration/);
    expect(await caseStatus(operator)).toBe('NEEDS_INTEGRATION');
    await expect(operator.getByTestId('case-reason').textContent()).resolves.toContain(reason);
    // Waiting for the citizen: nothing to decide now.
    await expect(operator.getByTestId('approve-form').count()).resolves.toBe(0);

    // The citizen uploads a new document and sends the application back.
    await uploadIdentityDocument(
      platform.urls.gateway,
      mario.token,
      mario.id,
      'documento-nitido.pdf',
    );
    const note = 'Ecco la copia nitida del documento.';
    const resubmitted = await gql<{ resubmitApplication: { status: string } }>(
      platform.urls.gateway,
      RESUBMIT,
      { id: mario.id, note },
      { token: mario.token },
    );
    expect(resubmitted.data?.resubmitApplication.status).toBe('IN_REVIEW');

    // The operator sees it back, with both documents, and approves it.
    await operator.reload();
    expect(await caseStatus(operator)).toBe('IN_REVIEW');
    await expect(operator.getByTestId('case-document-link').count()).resolves.toBe(2);
    await operator.getByRole('button', { name: 'Approva la domanda' }).click();
    // The decision asks for a confirmation that states its consequence first.
    await operator.getByTestId('decision-confirm').waitFor();
    await operator.getByRole('button', { name: 'Conferma: approva la domanda' }).click();
    await operator.waitForURL(/esito=approve/);
    await expect(operator.getByTestId('case-notice').textContent()).resolves.toContain('Accolta');
    expect(await caseStatus(operator)).toBe('APPROVED');
    await expect(operator.getByTestId('case-summary').textContent()).resolves.toContain('350,00');
    await expect(operator.getByTestId('case-actions').textContent()).resolves.toContain(
      'nessuna azione possibile',
    );

    // The timeline has every step, in order, with who did it and the notes.
    const kinds = await timelineKinds(operator);
    expect(
      inOrder(kinds, [
        'DRAFT_CREATED',
        'DOCUMENT_UPLOADED',
        'SUBMITTED',
        'ASSIGNED',
        'INTEGRATION_REQUESTED',
        'DOCUMENT_UPLOADED',
        'INTEGRATION_SUBMITTED',
        'APPROVED',
      ]),
      kinds.join(', '),
    ).toBe(true);
    const timeline = operator.getByTestId('case-timeline');
    const requested = timeline.locator('[data-kind="INTEGRATION_REQUESTED"]');
    await expect(requested.textContent()).resolves.toContain(reason);
    await expect(requested.textContent()).resolves.toContain('Operatore del Comune');
    await expect(requested.textContent()).resolves.toContain('Integrazione richiesta');
    const answered = timeline.locator('[data-kind="INTEGRATION_SUBMITTED"]');
    await expect(answered.textContent()).resolves.toContain(note);
    await expect(answered.textContent()).resolves.toContain('Richiedente');
    await expect(timeline.locator('[data-kind="APPROVED"]').textContent()).resolves.toContain(
      'Accolta',
    );
    await expectAccessible(operator);
  });

  it('approves selected applications in bulk and says which were left alone, and why', async () => {
    await apply(GIULIA, giulia);
    const operator = await staffPage(demoEmail('COMUNE', 'OPERATOR'));
    await operator.goto(`${web}/comune/${COMUNE}/domande?campaign=${CAMPAIGN}`);

    // Nothing selected: an error, nothing approved.
    await operator.getByRole('button', { name: 'Approva selezionate' }).click();
    await operator.getByTestId('error-summary').waitFor();
    await expect(operator.getByTestId('error-summary').textContent()).resolves.toContain(
      'Seleziona almeno una domanda.',
    );
    await expectAccessible(operator);

    await operator.getByLabel(`Seleziona la domanda ${giulia.protocol}`).check();
    await operator.getByLabel(`Seleziona la domanda ${mario.protocol}`).check();
    await operator.getByRole('button', { name: 'Approva selezionate' }).click();
    // The consequence first, for both applications; then the approval.
    await expect(operator.getByTestId('bulk-consequence').textContent()).resolves.toContain(
      'Saranno approvate 2 domande',
    );
    await operator
      .getByRole('button', { name: 'Conferma: approva le domande selezionate' })
      .click();
    const result = operator.getByTestId('bulk-result');
    await result.waitFor();
    await expect(operator.getByTestId('bulk-approved').textContent()).resolves.toMatch(
      new RegExp(`: 1\\..*${escape(giulia.protocol)}`),
    );
    await expect(operator.getByTestId('bulk-skipped').textContent()).resolves.toContain(': 1.');
    // Mario's was already approved: skipped, with the reason.
    await expect(result.getByRole('listitem').textContent()).resolves.toContain(mario.protocol);
    const giuliaRow = operator.getByTestId('queue-row').filter({ hasText: giulia.protocol });
    await expect(giuliaRow.getAttribute('data-status')).resolves.toBe('APPROVED');
    await expectAccessible(operator);

    // Filters: only approved ones; only those with a failed check (none).
    await operator.goto(`${web}/comune/${COMUNE}/domande?status=APPROVED&checks=failed`);
    await expect(operator.getByTestId('queue-row').count()).resolves.toBe(0);
    // (Within this measure: the demo's other one has approved applications of its own.)
    await operator.goto(
      `${web}/comune/${COMUNE}/domande?campaign=${CAMPAIGN}&status=APPROVED&checks=passed`,
    );
    await expect(operator.getByTestId('queue-row').count()).resolves.toBe(2);
    // Only the cases taken by this operator: Mario's (taken in the first test).
    await operator.goto(`${web}/comune/${COMUNE}/domande?mine=1`);
    await expect(
      operator.getByTestId('queue-row').locator('th').allTextContents(),
    ).resolves.toEqual([expect.stringContaining(mario.protocol)]);
    // A malformed filter is refused with a message, not sent.
    await operator.goto(`${web}/comune/${COMUNE}/domande?checks=forse`);
    await expect(operator.locator('#queue-checks-error').isVisible()).resolves.toBe(true);
  });

  it("opens the application form on a citizen's behalf from the queue", async () => {
    const operator = await staffPage(demoEmail('COMUNE', 'OPERATOR'));
    await operator.goto(`${web}/comune/${COMUNE}/domande`);
    const form = operator.getByTestId('behalf-form');
    await form.getByRole('button', { name: 'Apri il modulo di domanda' }).click();
    await operator.getByTestId('error-summary').waitFor();
    await expect(operator.locator('#behalf-campaign-error').textContent()).resolves.toContain(
      'Campo obbligatorio.',
    );
    await expect(operator.locator('#behalf-fiscal-code-error').textContent()).resolves.toContain(
      'Campo obbligatorio.',
    );
    await expectAccessible(operator);
    await operator.getByTestId('behalf-form').getByLabel('Misura').selectOption(CAMPAIGN);
    await operator
      .getByTestId('behalf-form')
      .getByLabel('Codice fiscale del cittadino')
      .fill(GIUSEPPE.slice(0, 15));
    await operator
      .getByTestId('behalf-form')
      .getByRole('button', { name: 'Apri il modulo di domanda' })
      .click();
    await operator.locator('#behalf-fiscal-code-error').waitFor();
    await expect(operator.locator('#behalf-fiscal-code-error').textContent()).resolves.toContain(
      'Codice fiscale non valido.',
    );
    await operator
      .getByTestId('behalf-form')
      .getByLabel('Codice fiscale del cittadino')
      .fill(GIUSEPPE.toLowerCase());
    await operator
      .getByTestId('behalf-form')
      .getByRole('button', { name: 'Apri il modulo di domanda' })
      .click();
    await operator.waitForURL(`${web}/misure/${CAMPAIGN}/domanda?per=${GIUSEPPE}`);
  });

  it('lets the manager compute the ranking and download it as CSV and PDF', async () => {
    const rankingPath = `${web}/comune/${COMUNE}/misure/${CAMPAIGN}/graduatoria`;
    // The operator sees the page but cannot compute it.
    const operator = await staffPage(demoEmail('COMUNE', 'OPERATOR'));
    await operator.goto(rankingPath);
    await expect(operator.getByTestId('rank-form').count()).resolves.toBe(0);
    await expect(operator.getByTestId('ranking-table').count()).resolves.toBe(0);

    const manager = await staffPage(demoEmail('COMUNE', 'MANAGER'));
    await manager.goto(`${web}/comune/${COMUNE}/misure/${CAMPAIGN}`);
    await manager.getByRole('link', { name: 'Graduatoria' }).click();
    await manager.waitForURL(rankingPath);
    await expectAccessible(manager);
    await manager.getByRole('button', { name: 'Calcola graduatoria' }).click();
    await manager.getByTestId('ranking-notice').waitFor();
    await expect(manager.getByTestId('ranking-notice').textContent()).resolves.toContain(
      'Graduatoria calcolata',
    );
    // Lower ISEE first: Giulia (5.200 €) before Mario (8.500 €); both funded.
    const rows = manager.getByTestId('ranking-row');
    await expect(rows.count()).resolves.toBe(2);
    await expect(rows.nth(0).textContent()).resolves.toContain(giulia.protocol);
    await expect(rows.nth(1).textContent()).resolves.toContain(mario.protocol);
    await expect(rows.nth(1).textContent()).resolves.toContain('Finanziata');
    await expectAccessible(manager);

    const csvHref = await manager.getByTestId('ranking-csv').getAttribute('href');
    const csv = await manager.request.get(new URL(csvHref!, web).href);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');
    const lines = (await csv.text())
      .replace(/^\ufeff/, '')
      .trim()
      .split(/\r\n/);
    expect(lines[0]).toBe('posizione;protocollo;isee_euro;componenti;minori;importo_euro;esito');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(new RegExp(`^1;${escape(giulia.protocol)};`));
    expect(lines[2]).toMatch(new RegExp(`^2;${escape(mario.protocol)};.*;FINANZIATA$`));

    const pdfHref = await manager.getByTestId('ranking-pdf').getAttribute('href');
    const pdfFile = await manager.request.get(new URL(pdfHref!, web).href);
    expect(pdfFile.status()).toBe(200);
    expect(pdfFile.headers()['content-type']).toBe('application/pdf');
    expect((await pdfFile.body()).subarray(0, 4).toString('latin1')).toBe('%PDF');

    // Later a check finds Giulia's declaration false: the manager revokes her benefit
    // (decadenza). A reason is required; Cancel changes nothing; then the confirmation.
    await manager.goto(`${web}/comune/${COMUNE}/domande/${giulia.id}`);
    const revokeForm = manager.getByTestId('revoke-form');
    await revokeForm.getByRole('button', { name: 'Revoca il beneficio' }).click();
    await manager.getByTestId('error-summary').waitFor();
    await expect(manager.locator('#revoke-reason-error').textContent()).resolves.toContain(
      'Indichi il motivo della revoca.',
    );
    const reason = 'Controllo art. 71: ISEE dichiarato non veritiero';
    await revokeForm.getByLabel('Motivo della revoca').fill(reason);
    await revokeForm.getByRole('button', { name: 'Revoca il beneficio' }).click();
    await manager.getByTestId('revoke-confirm').waitFor();
    await expect(manager.getByTestId('revoke-consequence').textContent()).resolves.toContain(
      giulia.protocol,
    );
    await expectAccessible(manager);
    await manager.getByTestId('revoke-cancel').click();
    await manager.getByTestId('revoke-form').waitFor();
    expect(await caseStatus(manager)).toBe('APPROVED');
    await revokeForm.getByLabel('Motivo della revoca').fill(reason);
    await revokeForm.getByRole('button', { name: 'Revoca il beneficio' }).click();
    await manager.getByRole('button', { name: 'Conferma: revoca il beneficio' }).click();
    await manager.waitForURL(/esito=revoke/);
    await expect(manager.getByTestId('case-notice').textContent()).resolves.toMatch(
      /Beneficio revocato: 0,00\s€ restituiti alla misura, 0,00\s€ già spesi\./,
    );
    expect(await caseStatus(manager)).toBe('REVOKED');
    await expect(manager.getByTestId('case-revoked-spent').textContent()).resolves.toContain(
      'fuori dalla piattaforma',
    );
    await expect(
      manager.getByTestId('case-timeline').locator('[data-kind="REVOKED"]').textContent(),
    ).resolves.toContain(reason);
    await expect(manager.getByTestId('revoke-form').count()).resolves.toBe(0);
  });

  it("keeps the Comune's measures and cases from another organisation's staff (403)", async () => {
    const coop = await staffPage(demoEmail('COOPERATIVE', 'ADMIN'));
    const documentHref = await (async () => {
      const operator = await staffPage(demoEmail('COMUNE', 'OPERATOR'));
      await operator.goto(`${web}/comune/${COMUNE}/domande/${mario.id}`);
      return new URL(
        (await operator.getByTestId('case-document-link').first().getAttribute('href'))!,
        web,
      ).href;
    })();
    for (const path of [
      `/comune/${COMUNE}/domande`,
      `/comune/${COMUNE}/domande/${mario.id}`,
      `/comune/${COMUNE}/misure`,
      `/comune/${COMUNE}/misure/nuova`,
      `/comune/${COMUNE}/misure/${CAMPAIGN}`,
      `/comune/${COMUNE}/misure/${CAMPAIGN}/graduatoria`,
    ]) {
      const response = await coop.goto(`${web}${path}`);
      expect(response?.status(), path).toBe(403);
      await expect(coop.getByText(MARIO).count()).resolves.toBe(0);
    }
    await expectAccessible(coop);
    for (const href of [
      documentHref,
      `${web}/comune/${COMUNE}/misure/${CAMPAIGN}/graduatoria/graduatoria.csv`,
    ]) {
      const response = await coop.request.get(href, { maxRedirects: 0 });
      expect(response.status(), href).toBe(403);
    }
    // Nor can they act: a form post is refused too, and the case is unchanged.
    const post = await coop.request.post(`${web}/comune/${COMUNE}/domande/${mario.id}?/reject`, {
      form: { reason: 'no' },
      headers: { origin: web, accept: 'text/html' },
      maxRedirects: 0,
    });
    expect(post.status()).toBe(403);
    const check = await gql<{ application: { status: string } }>(
      platform.urls.gateway,
      /* GraphQL */ `
        query ($id: ID!) {
          application(id: $id) {
            status
          }
        }
      `,
      { id: mario.id },
      { token: mario.token },
    );
    expect(check.data?.application.status).toBe('APPROVED');
  });
});
