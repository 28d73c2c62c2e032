import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_CAMPAIGN_TITLE,
  DEMO_COMUNE_ID,
  DEMO_SPENDING_CAMPAIGN_TITLE,
  demoEmail,
} from '../support/demo.js';
import { openPortal, type Portal } from '../support/portal.js';

/** The demo Comune (Comune di Balestrate), which has one published campaign in the demo data. */
const COMUNE = DEMO_COMUNE_ID;
const TITLE = 'Contributo bollette inverno 2027';

describe('campaigns (measures) in a browser', () => {
  let portal: Portal;
  let web: string;
  /** The draft the operator creates (its page), for the tests that follow. */
  let draftUrl = '';

  beforeAll(async () => {
    portal = await openPortal();
    ({ web } = portal);
  });
  afterAll(async () => {
    await portal?.close();
  });

  const expectAccessible = (page: Page) => portal.expectAccessible(page);

  const staffPage = (email: string) => portal.staffPage(email);

  async function campaignRows(page: Page): Promise<string[]> {
    await page.goto(`${web}/comune/${COMUNE}/misure`);
    return (await page.getByTestId('campaign-row').locator('th').allTextContents()).map((t) =>
      t.trim(),
    );
  }

  /** A whole number shown in a cell (`1.234` → 1234). */
  async function count(page: Page, testId: string): Promise<number> {
    const text = (await page.getByTestId(testId).textContent()) ?? '';
    const digits = text.replace(/\D/g, '');
    expect(digits, `${testId}: ${text}`).not.toBe('');
    return Number(digits);
  }

  it('creates a draft with the editor: invalid input shows field errors and saves nothing', async () => {
    const operator = await staffPage(demoEmail('COMUNE', 'OPERATOR'));
    await operator.goto(`${web}/comune`);
    await operator.getByTestId('nav-comune-misure').click();
    await operator.waitForURL(`${web}/comune/${COMUNE}/misure`);
    const before = await campaignRows(operator);
    // The demo's two: open to applications, and closed with cards and credit.
    expect([...before].sort()).toEqual([DEMO_CAMPAIGN_TITLE, DEMO_SPENDING_CAMPAIGN_TITLE].sort());
    await expectAccessible(operator);

    await operator.getByRole('link', { name: 'Nuova misura' }).click();
    await operator.waitForURL(`${web}/comune/${COMUNE}/misure/nuova`);
    await expectAccessible(operator);

    const editor = operator.getByTestId('campaign-editor');
    await editor.getByLabel('Tipo di misura').selectOption('BILLS');
    await editor.getByLabel('Titolo').fill(TITLE);
    await editor.getByLabel('Descrizione').fill('Un contributo per le bollette di luce e gas.');
    await editor.getByLabel('Come presentare domanda e contatti').fill('Ufficio servizi sociali');
    await editor.getByLabel('Bilancio (euro)', { exact: true }).fill('20.000');
    // The window closes before it opens, spending ends before it starts, a negative amount.
    await editor.getByLabel('Apertura delle domande').fill('2027-01-10T09:00');
    await editor.getByLabel('Chiusura delle domande').fill('2027-01-05T12:00');
    await editor.getByLabel('Inizio del periodo di spesa').fill('2027-03-01');
    await editor.getByLabel('Fine del periodo di spesa').fill('2027-02-01');
    await editor.locator('#campaign-isee_ORDINARIO').fill('12.000');
    await editor.getByLabel('Importo per 1 componente').fill('-100');
    await editor.getByLabel('Importo per 2 componenti', { exact: true }).fill('200');
    const document = editor.getByTestId('campaign-document-row').first();
    await document.getByLabel('Codice').fill('ISEE_ATTESTAZIONE');
    await document.getByLabel('Nome in italiano').fill('Attestazione ISEE');
    await document.getByLabel('Nome in inglese').fill('ISEE attestation');
    // Bootstrap Italia draws the box on the label: people click the label.
    await document.getByText('Obbligatorio per presentare la domanda').click();
    await expect(
      document.getByLabel('Obbligatorio per presentare la domanda').isChecked(),
    ).resolves.toBe(true);
    await editor.getByRole('button', { name: 'Crea la bozza' }).click();

    const summary = operator.getByTestId('error-summary');
    await summary.waitFor();
    const links = await summary
      .getByRole('link')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual([
      '#campaign-applicationsCloseAt',
      '#campaign-spendingUntil',
      '#campaign-size1',
    ]);
    for (const [id, text] of [
      ['applicationsCloseAt', "La chiusura delle domande deve seguire l'apertura."],
      ['spendingUntil', "La fine del periodo di spesa non può precedere l'inizio."],
      ['size1', "L'importo non può essere negativo."],
    ]) {
      await expect(operator.locator(`#campaign-${id}`).getAttribute('aria-invalid')).resolves.toBe(
        'true',
      );
      await expect(operator.locator(`#campaign-${id}-error`).textContent()).resolves.toContain(
        text,
      );
    }
    // What was typed is still there.
    await expect(operator.getByLabel('Titolo').inputValue()).resolves.toBe(TITLE);
    await expect(
      operator.getByTestId('campaign-document-row').first().getByLabel('Codice').inputValue(),
    ).resolves.toBe('ISEE_ATTESTAZIONE');
    await expectAccessible(operator);
    // Nothing was saved.
    expect(await campaignRows(operator)).toEqual(before);
  });

  it('simulates the draft, compares a variant with another ISEE threshold, and saves it', async () => {
    const operator = await staffPage(demoEmail('COMUNE', 'OPERATOR'));
    await operator.goto(`${web}/comune/${COMUNE}/misure/nuova`);
    const editor = operator.getByTestId('campaign-editor');
    await editor.getByLabel('Tipo di misura').selectOption('BILLS');
    await editor.getByLabel('Titolo').fill(TITLE);
    await editor.getByLabel('Descrizione').fill('Un contributo per le bollette di luce e gas.');
    await editor.getByLabel('Come presentare domanda e contatti').fill('Ufficio servizi sociali');
    await editor.getByLabel('Bilancio (euro)', { exact: true }).fill('20.000');
    await editor.getByLabel('Apertura delle domande').fill('2027-01-10T09:00');
    await editor.getByLabel('Chiusura delle domande').fill('2027-02-10T12:00');
    await editor.getByLabel('Inizio del periodo di spesa').fill('2027-03-01');
    await editor.getByLabel('Fine del periodo di spesa').fill('2027-06-30');
    await editor.locator('#campaign-isee_ORDINARIO').fill('12.000');
    await editor.getByLabel('Importo per 1 componente').fill('100');
    await editor.getByLabel('Importo per 2 componenti', { exact: true }).fill('150,50');
    await editor.getByLabel('Importo per 3 componenti', { exact: true }).fill('200');

    // The proposal alone.
    await editor.getByRole('button', { name: 'Simula' }).click();
    await operator.getByTestId('simulation').waitFor();
    const households = await count(operator, 'sim-households-base');
    const eligible = await count(operator, 'sim-eligible-base');
    expect(households).toBeGreaterThan(eligible);
    expect(eligible).toBeGreaterThan(0);
    const cost = (await operator.getByTestId('sim-cost-base').textContent()) ?? '';
    expect(cost).toMatch(/€/);
    // The cost is at least 100 € per eligible household, at most 200 €.
    const costCents = Number(cost.replace(/\D/g, ''));
    expect(costCents).toBeGreaterThanOrEqual(eligible * 10_000);
    expect(costCents).toBeLessThanOrEqual(eligible * 20_000);
    await expect(operator.getByTestId('sim-eligible-variant').count()).resolves.toBe(0);
    // The form keeps what was typed; nothing was saved.
    await expect(
      operator.getByLabel('Importo per 2 componenti', { exact: true }).inputValue(),
    ).resolves.toBe('150,50');
    await expectAccessible(operator);

    // A variant with a lower ISEE threshold: fewer eligible households, side by side.
    await operator.getByLabel('Variante: ISEE massimo (euro)').fill('6.000');
    await operator.getByRole('button', { name: 'Simula' }).click();
    await operator.getByTestId('sim-eligible-variant').waitFor();
    expect(await count(operator, 'sim-eligible-base')).toBe(eligible);
    const fewer = await count(operator, 'sim-eligible-variant');
    expect(fewer).toBeLessThan(eligible);
    // The same threshold as the proposal gives the same count.
    await operator.getByLabel('Variante: ISEE massimo (euro)').fill('12.000');
    await operator.getByRole('button', { name: 'Simula' }).click();
    await operator.getByTestId('sim-eligible-variant').waitFor();
    expect(await count(operator, 'sim-eligible-variant')).toBe(eligible);
    await expectAccessible(operator);

    // Save the draft.
    await operator.getByLabel('Variante: ISEE massimo (euro)').fill('');
    await operator.getByRole('button', { name: 'Crea la bozza' }).click();
    await operator.waitForURL(/\/misure\/[0-9a-f-]{36}\?esito=salvata/);
    draftUrl = operator.url().replace(/\?.*$/, '');
    await expect(operator.getByTestId('campaign-status').textContent()).resolves.toBe('Bozza');
    await expect(operator.getByLabel('Titolo').inputValue()).resolves.toBe(TITLE);
    await expect(
      operator.getByLabel('Importo per 2 componenti', { exact: true }).inputValue(),
    ).resolves.toBe('150,50');
    await expect(operator.getByLabel('Apertura delle domande').inputValue()).resolves.toBe(
      '2027-01-10T09:00',
    );
    await expect(operator.locator('#campaign-isee_ORDINARIO').inputValue()).resolves.toBe('12.000');
    await expectAccessible(operator);
    // The excluded categories: the usual four, ticked by default.
    const excluded = operator.getByTestId('campaign-excluded');
    for (const [label, ticked] of [
      ['Alcolici', true],
      ['Ricariche telefoniche', true],
      ['Alimentari', false],
    ] as const) {
      await expect(excluded.getByLabel(label, { exact: true }).isChecked()).resolves.toBe(ticked);
    }

    expect(await campaignRows(operator)).toContain(TITLE);

    // Editing the draft: a change is saved (the budget; phone top-ups allowed).
    await operator.goto(draftUrl);
    await operator.getByLabel('Bilancio (euro)', { exact: true }).fill('25.000,50');
    // (Bootstrap Italia draws the box on the label: a person clicks the label.)
    await operator.locator('label[for="campaign-excluded_PHONE_TOPUP"]').click();
    // Third-sector services the credit pays for: none by default; education ticked.
    await operator.locator('label[for="campaign-service_EDUCATION"]').click();
    await operator.getByRole('button', { name: 'Salva la bozza' }).click();
    await operator.waitForURL(/esito=salvata/);
    await expect(
      operator.getByLabel('Bilancio (euro)', { exact: true }).inputValue(),
    ).resolves.toBe('25.000,50');
    await expect(
      operator
        .getByTestId('campaign-excluded')
        .getByLabel('Ricariche telefoniche', { exact: true })
        .isChecked(),
    ).resolves.toBe(false);
    await expect(
      operator.getByTestId('campaign-excluded').getByLabel('Alcolici', { exact: true }).isChecked(),
    ).resolves.toBe(true);
    const services = operator.getByTestId('campaign-services');
    await expect(
      services.getByLabel('Istruzione e doposcuola', { exact: true }).isChecked(),
    ).resolves.toBe(true);
    await expect(services.getByLabel('Sport', { exact: true }).isChecked()).resolves.toBe(false);

    // Excluding every category: the field error, nothing saved.
    const boxes = operator.getByTestId('campaign-excluded').getByRole('checkbox');
    for (const box of await boxes.all()) {
      if (await box.isChecked()) continue;
      const id = await box.getAttribute('id');
      await operator.locator(`label[for="${id}"]`).click();
    }
    await operator.getByRole('button', { name: 'Salva la bozza' }).click();
    await operator.getByTestId('error-summary').waitFor();
    await expect(operator.locator('#campaign-excluded-error').textContent()).resolves.toContain(
      'Non si possono escludere tutte le categorie',
    );
    await expectAccessible(operator);
    await operator.goto(draftUrl);
    await expect(
      operator
        .getByTestId('campaign-excluded')
        .getByLabel('Alimentari', { exact: true })
        .isChecked(),
    ).resolves.toBe(false);
  });

  it('leaves publishing and closing to the manager, each after a confirmation', async () => {
    expect(draftUrl).not.toBe('');
    const operator = await staffPage(demoEmail('COMUNE', 'OPERATOR'));
    await operator.goto(draftUrl);
    await expect(operator.getByTestId('publish-form').count()).resolves.toBe(0);
    await expect(operator.getByTestId('publish-manager-only').isVisible()).resolves.toBe(true);
    // Posting the form anyway is refused by the API, and the draft stays a draft.
    const refused = await operator.request.post(`${draftUrl}?/publish`, {
      form: { confirmed: '1' },
      headers: { origin: web, accept: 'text/html' },
      maxRedirects: 0,
    });
    expect(refused.status()).toBe(403);
    expect(await refused.text()).toContain('Operazione riservata al responsabile del Comune.');
    await operator.reload();
    await expect(operator.getByTestId('campaign-status').textContent()).resolves.toBe('Bozza');

    const manager = await staffPage(demoEmail('COMUNE', 'MANAGER'));
    await manager.goto(draftUrl);
    await manager
      .getByTestId('publish-form')
      .getByRole('button', { name: 'Pubblica la misura' })
      .click();
    // First the consequence, nothing published yet; then the confirmation.
    await expect(manager.getByTestId('campaign-consequence').textContent()).resolves.toContain(
      'sarà pubblicata: i cittadini la vedranno',
    );
    await expect(manager.getByTestId('campaign-status').textContent()).resolves.toBe('Bozza');
    await expectAccessible(manager);
    await manager.getByTestId('campaign-confirm-form').getByRole('button').click();
    await manager.waitForURL(/esito=pubblicata/);
    await expect(manager.getByTestId('campaign-status').textContent()).resolves.toBe('Pubblicata');
    // Published: no editor any more; the summary, the budget and closing for the manager.
    await expect(manager.getByTestId('campaign-editor').count()).resolves.toBe(0);
    await expect(manager.getByTestId('campaign-budget').textContent()).resolves.toContain(
      '25.000,50',
    );
    await expectAccessible(manager);

    // A negative budget is refused with a field error; a valid one is saved.
    await manager.getByLabel('Nuovo bilancio (euro)').fill('-5');
    await manager.getByRole('button', { name: 'Aggiorna il bilancio' }).click();
    await manager.locator('#campaign-budget-error').waitFor();
    await expect(manager.locator('#campaign-budget-error').textContent()).resolves.toContain(
      "L'importo non può essere negativo.",
    );
    await manager.getByLabel('Nuovo bilancio (euro)').fill('30.000');
    await manager.getByRole('button', { name: 'Aggiorna il bilancio' }).click();
    await manager.waitForURL(/esito=bilancio/);
    await expect(manager.getByTestId('campaign-budget').textContent()).resolves.toContain(
      '30.000,00',
    );

    // The operator sees it published, without the manager's forms.
    await operator.goto(draftUrl);
    await expect(operator.getByTestId('campaign-status').textContent()).resolves.toBe('Pubblicata');
    await expect(operator.getByTestId('budget-form').count()).resolves.toBe(0);
    await expect(operator.getByTestId('close-form').count()).resolves.toBe(0);

    // Closing states its consequence first; Cancel changes nothing, the confirmation closes.
    await manager.goto(draftUrl);
    await manager
      .getByTestId('close-form')
      .getByRole('button', { name: 'Chiudi la misura' })
      .click();
    await expect(manager.getByTestId('campaign-consequence').textContent()).resolves.toContain(
      'sarà chiusa subito',
    );
    await expectAccessible(manager);
    await manager.getByTestId('campaign-cancel').click();
    await manager.waitForURL(draftUrl);
    await expect(manager.getByTestId('campaign-status').textContent()).resolves.toBe('Pubblicata');
    await manager
      .getByTestId('close-form')
      .getByRole('button', { name: 'Chiudi la misura' })
      .click();
    await manager.getByTestId('campaign-confirm-form').getByRole('button').click();
    await manager.waitForURL(/esito=chiusa/);
    await expect(manager.getByTestId('campaign-status').textContent()).resolves.toBe('Chiusa');
  });
  it('declares the funding sources of the campaign, which must add up to its budget, and reports spending per source', async () => {
    expect(draftUrl).not.toBe('');
    const manager = await staffPage(demoEmail('COMUNE', 'MANAGER'));
    await manager.goto(draftUrl);
    await manager.getByTestId('campaign-funding-link').click();
    await manager.waitForURL(`${draftUrl}/fonti`);
    await expect(manager.getByTestId('funding-none').isVisible()).resolves.toBe(true);
    const row = (i: number) => ({
      kind: manager.locator(`#source-${i}-kind`),
      name: manager.locator(`#source-${i}-name`),
      amount: manager.locator(`#source-${i}-amount`),
    });
    const save = () => manager.getByRole('button', { name: 'Salva le fonti' }).click();
    await row(0).kind.selectOption('STATE');
    await row(0).name.fill('Fondo nazionale, DM 12/2027');
    await row(0).amount.fill('20.000');
    await row(1).kind.selectOption('REGION');
    await row(1).name.fill('Regione Siciliana');
    await row(1).amount.fill('cinquemila');
    await save();
    // A row's own problem, on its field, before the API is asked.
    await manager.locator('#source-1-amount-error').waitFor();
    await expect(row(1).amount.getAttribute('aria-invalid')).resolves.toBe('true');
    await expectAccessible(manager);
    // Valid rows that do not add up to the budget (30.000,00 €): the API refuses, nothing saved.
    await row(1).amount.fill('5.000');
    await save();
    await expect(manager.getByTestId('funding-sum-error').textContent()).resolves.toContain(
      'deve essere uguale al bilancio della misura (30.000,00 €)',
    );
    await expect(manager.getByTestId('funding-none').isVisible()).resolves.toBe(true);
    // A fourth row without JavaScript ("Aggiungi fonte" posts the form back), then saved.
    await manager.getByRole('button', { name: 'Aggiungi fonte' }).click();
    await row(3).name.waitFor();
    await expect(row(1).amount.inputValue()).resolves.toBe('5.000');
    await row(3).kind.selectOption('DONATION');
    await row(3).name.fill('Fondazione di comunità');
    await row(3).amount.fill('5.000');
    await save();
    await manager.waitForURL(/esito=salvate/);
    await expect(manager.getByTestId('funding-row').count()).resolves.toBe(3);
    await expect(manager.getByTestId('funding-total').textContent()).resolves.toContain(
      '30.000,00',
    );
    // Spent and remaining per source (nothing spent yet: all of each source remains).
    const euro = (n: number) =>
      new Intl.NumberFormat('it-IT', { style: 'currency', currency: 'EUR' }).format(n);
    await expect(manager.getByTestId('funding-remaining').allTextContents()).resolves.toEqual(
      [20_000, 5_000, 5_000].map(euro),
    );
    await expect(manager.getByTestId('funding-spent').allTextContents()).resolves.toEqual(
      Array(3).fill(euro(0)),
    );
    // By priority: the donation moved before the Region (a POST, no JavaScript), then saved.
    await expect(manager.getByTestId('funding-mode').textContent()).resolves.toContain(
      'in proporzione',
    );
    // Bootstrap Italia draws the radio on its label: the label is what a person clicks.
    await manager
      .getByTestId('funding-allocation')
      .getByText('In ordine di priorità', { exact: true })
      .click();
    await manager.getByRole('button', { name: 'Sposta su Fonte 3' }).click();
    await manager.getByTestId('funding-moved').waitFor();
    await expect(manager.getByTestId('funding-moved').textContent()).resolves.toContain(
      'posizione 2',
    );
    await expect(manager.getByLabel('In ordine di priorità').isChecked()).resolves.toBe(true);
    await expect(row(1).name.inputValue()).resolves.toBe('Fondazione di comunità');
    await expect(
      manager.getByTestId('funding-table').locator('tbody th').allTextContents(),
    ).resolves.toEqual([
      'Fondo nazionale, DM 12/2027',
      'Regione Siciliana',
      'Fondazione di comunità',
    ]);
    await save();
    await manager.waitForURL(/esito=salvate/);
    await expect(manager.getByTestId('funding-mode').textContent()).resolves.toContain(
      'ordine di priorità',
    );
    await expect(
      manager
        .getByTestId('funding-row')
        .evaluateAll((rows) =>
          rows.map((r) => [r.children[0]?.textContent, r.querySelector('th')?.textContent]),
        ),
    ).resolves.toEqual([
      ['1', 'Fondo nazionale, DM 12/2027'],
      ['2', 'Fondazione di comunità'],
      ['3', 'Regione Siciliana'],
    ]);
    await expect(manager.getByTestId('funding-remaining').allTextContents()).resolves.toEqual(
      [20_000, 5_000, 5_000].map(euro),
    );
    await expectAccessible(manager);

    // The dashboard splits the campaign's figures among them in that order (no spending yet).
    await manager.goto(`${draftUrl}/cruscotto`);
    const table = manager.getByTestId('mon-source-table');
    await expect(table.locator('tbody th').allTextContents()).resolves.toEqual([
      'Fondo nazionale, DM 12/2027',
      'Fondazione di comunità',
      'Regione Siciliana',
    ]);
    await expect(manager.getByTestId('mon-source-rule').textContent()).resolves.toContain(
      'ordine di priorità',
    );
    await expect(table.locator('tbody tr').first().textContent()).resolves.toContain('20.000,00');
    await expect(manager.getByTestId('mon-source-spent').allTextContents()).resolves.toEqual(
      Array(3).fill(
        new Intl.NumberFormat('it-IT', { style: 'currency', currency: 'EUR' }).format(0),
      ),
    );
    await expectAccessible(manager);

    // The operator reads them but cannot change them.
    const operator = await staffPage(demoEmail('COMUNE', 'OPERATOR'));
    await operator.goto(`${draftUrl}/fonti`);
    await expect(operator.getByTestId('funding-row').count()).resolves.toBe(3);
    await expect(operator.getByTestId('funding-form').count()).resolves.toBe(0);
    await expect(operator.getByTestId('funding-manager-only').isVisible()).resolves.toBe(true);
  });
});
