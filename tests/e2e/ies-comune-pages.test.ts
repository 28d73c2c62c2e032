// Issue 17's Comune pages in the portal (the Balestrate circuit's MANAGER): editing an earning
// rule of its own, hiding a project of its own with the consequence told before, the member
// picker of euro received (searched by the server, with its total), the manual run of demurrage. axe on every page. Shared platform: the
// rule and the project are this run's own (the demo's ATTENDANCE rule is read by e2e/ies-earn and
// is not touched); the demo circuit's demurrage is 0 and it has no expiry, so the run charges
// nothing and no demo balance changes; no euro are recorded (only a refused form).
import { randomUUID } from 'node:crypto';
import { DEMO_CIRCUIT_CODE, DEMO_CIRCUIT_ID, DEMO_MEMBER_IDS } from '@welfare/ies-circuit/demo';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG, DEMO_PASSWORD, staffEmail } from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import { openPortal, type Portal } from '../support/portal.js';

const COMUNE = DEMO_ORG.balestrate;
const RUN = randomUUID().slice(0, 8);
const RULE = `Premio prova ${RUN}`;
const PROJECT = `Progetto da nascondere ${RUN}`;

const CREATE_PROJECT = /* GraphQL */ `
  mutation ($input: CreateIesProjectInput!) {
    createIesProject(input: $input) {
      id
    }
  }
`;

describe('the Comune’s IES pages: rules, projects, reserve, demurrage', () => {
  let portal: Portal;
  let manager: Page;
  let base = '';

  beforeAll(async () => {
    portal = await openPortal({ shared: true });
    base = `${portal.web}/comune/${COMUNE}/ies/${DEMO_CIRCUIT_ID}`;
    manager = await portal.staffPage(staffEmail('balestrate', 'MANAGER'));
  });
  afterAll(() => portal?.close());

  it('edits an earning rule of its own: prefilled, field errors change nothing, then saved', async () => {
    await manager.goto(`${base}/premi`);
    const form = manager.getByTestId('iee-rule-form');
    await form.getByLabel('Tipo di regola').selectOption('VOLUNTEERING');
    await form.getByLabel('Nome').fill(RULE);
    await form.getByLabel(/^Importo per premio/).fill('2,00');
    await form.getByLabel(/^Tetto per persona/).fill('20,00');
    await form.getByRole('button', { name: 'Crea la regola' }).click();
    await manager.waitForURL(`${base}/premi?esito=regola-creata`);
    await portal.expectAccessible(manager);

    const row = manager.getByTestId('iee-admin-rules').getByRole('row').filter({ hasText: RULE });
    await row.getByRole('link', { name: `Modifica ${RULE}` }).click();
    await manager.waitForURL(/\/premi\/[0-9a-f-]{36}$/);
    const editUrl = manager.url();
    await expect(manager.getByLabel('Nome').inputValue()).resolves.toBe(RULE);
    await expect(manager.getByLabel(/^Importo per premio/).inputValue()).resolves.toBe('2');
    await portal.expectAccessible(manager);

    await manager.getByLabel(/^Tetto per persona/).fill('tanti');
    await manager.getByRole('button', { name: 'Salva la regola' }).click();
    await manager.getByTestId('error-summary').waitFor();
    await expect(
      manager.getByLabel(/^Tetto per persona/).getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    await portal.expectAccessible(manager);

    await manager.getByLabel(/^Tetto per persona/).fill('30,00');
    await manager.getByLabel(/^Importo per premio/).fill('3,50');
    await manager.getByRole('button', { name: 'Salva la regola' }).click();
    await manager.waitForURL(`${base}/premi?esito=regola-aggiornata`);
    const saved = manager.getByTestId('iee-admin-rules').getByRole('row').filter({ hasText: RULE });
    await expect(saved.innerText()).resolves.toContain('3,50');
    await expect(saved.innerText()).resolves.toContain('30,00');
    expect(editUrl).toContain('/premi/');

    // Deactivated at the end: a VOLUNTEERING rule in force would pay another sharer's shifts
    // (federation/ies-circuit's; the oldest rule in force pays).
    await saved.getByRole('button', { name: `Disattiva ${RULE}` }).click();
    await manager.waitForURL(`${base}/premi?esito=regola-disattivata`);
    const inactive = manager
      .getByTestId('iee-admin-rules')
      .getByRole('row')
      .filter({ hasText: RULE });
    await expect(inactive.innerText()).resolves.toContain('Disattivata');
  });

  it('hides a project of its own after a confirmation telling the consequence', async () => {
    const admin = await login(
      portal.platform.urls.gateway,
      staffEmail('amiciBalestrate', 'ADMIN'),
      DEMO_PASSWORD,
    );
    const endsOn = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const created = await gql<{ createIesProject: { id: string } }>(
      portal.platform.urls.gateway,
      CREATE_PROJECT,
      {
        input: {
          circuitCode: DEMO_CIRCUIT_CODE,
          organisationId: DEMO_ORG.amiciBalestrate,
          title: PROJECT,
          description: 'Un progetto creato dal test per essere nascosto dal Comune.',
          targetCents: 10_000,
          endsOn,
        },
      },
      { token: admin.token },
    );
    expect(created.errors).toBeUndefined();
    const projectId = created.data!.createIesProject.id;

    await manager.goto(`${base}/progetti`);
    await portal.expectAccessible(manager);
    const row = manager.getByTestId('iecm-projects').getByRole('row').filter({ hasText: PROJECT });
    await row.getByRole('link', { name: `Nascondi ${PROJECT}` }).click();
    const confirm = manager.getByTestId('iecm-confirm');
    await expect(confirm.innerText()).resolves.toContain(
      'Il progetto non sarà più visibile nelle pagine pubbliche',
    );
    await manager.getByRole('button', { name: 'Conferma: nascondi il progetto' }).click();
    await manager.getByTestId('error-summary').waitFor();
    await expect(manager.getByLabel('Motivo').getAttribute('aria-invalid')).resolves.toBe('true');
    await portal.expectAccessible(manager);
    const publicList = `${portal.web}/circuiti-ies/${DEMO_CIRCUIT_CODE}/progetti`;
    const stillPublic = await manager.request.get(publicList);
    await expect(stillPublic.text()).resolves.toContain(PROJECT);

    await manager.getByLabel('Motivo').fill('Contenuto da rivedere');
    await manager.getByRole('button', { name: 'Conferma: nascondi il progetto' }).click();
    await manager.waitForURL(`${base}/progetti?esito=nascosto`);
    const hidden = manager
      .getByTestId('iecm-projects')
      .getByRole('row')
      .filter({ hasText: PROJECT });
    await expect(hidden.innerText()).resolves.toContain('Contenuto da rivedere');
    const gone = await manager.request.get(publicList);
    await expect(gone.text()).resolves.not.toContain(PROJECT);
    expect(projectId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('searches the member of a purchase among the circuit’s active members and picks it', async () => {
    await manager.goto(`${base}/riserva`);
    // The card fallback's debts (none in the demo data).
    const debts = manager.locator('section[aria-labelledby="iefd-heading"]');
    expect(await debts.locator('h2').innerText()).toBe('Debiti del ripiego IES della carta');
    expect(await debts.innerText()).toContain('Nessun debito.');
    const form = manager.getByTestId('ier-receipt-form');
    const picker = form.getByLabel('Socio che acquista');
    const options = await picker.locator('option').allInnerTexts();
    expect(options.some((o) => o.includes('Alimentari Da Rosa'))).toBe(true);
    // The picker says how many active members there are in all (others may join meanwhile).
    await expect(manager.getByTestId('ier-member-range').innerText()).resolves.toMatch(
      /^Soci 1–\d+ di \d+\.$/,
    );
    // The server-side search (a GET form): no case nor accents; the one match is chosen.
    await manager.getByLabel('Cerca il socio che acquista').fill('ALIMENTÀRI da');
    await manager.getByTestId('ier-member-search').getByRole('button').click();
    await manager.waitForURL(/socio=ALIMENT/);
    await expect(manager.getByTestId('ier-member-search-result').innerText()).resolves.toContain(
      'Soci trovati per «ALIMENTÀRI da»',
    );
    await expect(manager.getByTestId('ier-member-range').innerText()).resolves.toBe(
      'Soci 1–1 di 1.',
    );
    await expect(picker.locator('option').allInnerTexts()).resolves.toEqual([
      'Scegli…',
      expect.stringContaining('Alimentari Da Rosa'),
    ]);
    await expect(picker.inputValue()).resolves.toBe(DEMO_MEMBER_IDS.shop);
    await portal.expectAccessible(manager);
    await form.getByLabel('Causale').selectOption('PURCHASE');
    await form.getByLabel('Importo in euro').fill('zero');
    await form.getByRole('button').click();
    await manager.getByTestId('error-summary').waitFor();
    // The choice and the search are kept with the field errors; nothing is recorded.
    await expect(form.getByLabel('Socio che acquista').inputValue()).resolves.toBe(
      DEMO_MEMBER_IDS.shop,
    );
    expect(manager.url()).toContain('socio=');
    await portal.expectAccessible(manager);
  });

  it('runs demurrage now on the rules page and shows what it did (0 here: none set)', async () => {
    await manager.goto(`${base}/regole`);
    await portal.expectAccessible(manager);
    await manager.getByTestId('iecm-demurrage-run').click();
    const done = manager.getByTestId('iecm-demurrage-done');
    await done.waitFor();
    await expect(done.innerText()).resolves.toMatch(
      /Eseguito per il mese \d{4}-\d{2}: 0 portafogli/,
    );
    await portal.expectAccessible(manager);

    const operator = await portal.staffPage(staffEmail('balestrate', 'OPERATOR'));
    await operator.goto(`${base}/regole`);
    await operator.getByTestId('iecm-demurrage-run').click();
    await expect(operator.getByRole('alert').innerText()).resolves.toContain(
      'Solo il responsabile del circuito',
    );
  });
});
