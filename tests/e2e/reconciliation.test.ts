// Issue 11: the money check (the reconciliation above the book) in a browser. The demo Comune's
// manager runs it from the Comune's home page; a defect made for real with SQL (a credited
// application that is no longer APPROVED) becomes the manager's alert and the platform admin's;
// restored, both are gone. Operators do not see the panel. This file's platform is its own (each
// e2e file starts one on a fresh database, one file at a time), and the defect is undone anyway.
import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMUNE_ID, DEMO_SPENDING_CAMPAIGN_ID, demoEmail } from '../support/demo.js';
import type { TestPlatform } from '../support/platform.js';
import { openPortal, type Portal } from '../support/portal.js';
import {
  creditedApplication,
  setApplicationStatus,
  storedRuns,
} from '../support/reconciliation.js';

/** The demo Comune (Comune di Balestrate) and its campaign whose cards hold credit. */
const COMUNE = DEMO_COMUNE_ID;
const COMUNE_NAME = 'Comune di Balestrate';
const SPENDING_CAMPAIGN = DEMO_SPENDING_CAMPAIGN_ID;

/** Euro cents as the Italian pages print them (spaces normalised, as `text` reads them). */
const euro = (cents: number) =>
  new Intl.NumberFormat('it-IT', { style: 'currency', currency: 'EUR' })
    .format(cents / 100)
    .replace(/\s+/g, ' ');

describe('the money check in a browser', () => {
  let portal: Portal;
  let platform: TestPlatform;
  let web: string;
  let db: pg.Client;
  let manager: Page;
  /** The application set to ELIGIBLE_NOT_FUNDED, until it is restored. */
  let broken = '';

  const text = async (page: Page, testId: string) =>
    ((await page.getByTestId(testId).textContent()) ?? '').replace(/\s+/g, ' ').trim();

  /** The latest run stored for the demo Comune (what the page must show). */
  const latestRun = async () =>
    (
      await db.query<{ id: string; ok: boolean; trigger: string }>(
        `select id, ok, trigger from public_welfare.money_reconciliation
          where comune_id = $1 order by ran_at desc, id limit 1`,
        [COMUNE],
      )
    ).rows[0];

  /** Presses "Verifica ora" and waits for the page that shows the new run. */
  async function checkNow(page: Page): Promise<void> {
    const before = await storedRuns(db, COMUNE, 'ON_DEMAND');
    await page
      .getByTestId('recon-panel')
      .getByRole('button', { name: 'Verifica ora', exact: true })
      .click();
    await page.waitForURL(`${web}/comune?verificato=${COMUNE}#verifica-${COMUNE}`);
    await expect(text(page, 'recon-done')).resolves.toBe(
      'Verifica eseguita: il risultato è qui sotto.',
    );
    expect(await storedRuns(db, COMUNE, 'ON_DEMAND')).toBe(before + 1);
  }

  beforeAll(async () => {
    portal = await openPortal();
    ({ platform, web } = portal);
    db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    if (broken) await setApplicationStatus(db, broken, 'APPROVED').catch(() => undefined);
    await db?.end();
    await portal?.close();
  });

  it('the manager sees the panel on the Comune’s home page, checks now and sees the success line', async () => {
    manager = await portal.staffPage(demoEmail('COMUNE', 'MANAGER'));
    await manager.goto(`${web}/comune`);
    const panel = manager.getByTestId('recon-panel');
    await expect(
      panel.getByRole('heading', { level: 2, name: 'Verifica dei conti' }).isVisible(),
    ).resolves.toBe(true);
    await expect(panel.getByRole('heading', { level: 3, name: COMUNE_NAME }).count()).resolves.toBe(
      1,
    );
    // The scheduler's first pass ran at start: the demo's money adds up.
    await expect(text(manager, 'recon-ok')).resolves.toMatch(
      /^Ultima verifica il .+ \(verifica automatica\): i conti tornano\.$/,
    );
    await expect(panel.getByRole('alert').count()).resolves.toBe(0);
    await portal.expectAccessible(manager);

    await checkNow(manager);
    const run = await latestRun();
    expect(run).toMatchObject({ ok: true, trigger: 'ON_DEMAND' });
    const ok = manager.getByTestId('recon-ok');
    await expect(ok.getAttribute('data-run')).resolves.toBe(run!.id);
    await expect(text(manager, 'recon-ok')).resolves.toMatch(
      /^Ultima verifica il \d{2}\/\d{2}\/\d{2,4},? \d{2}:\d{2}:\d{2} \(verifica su richiesta\): i conti tornano\.$/,
    );
    await portal.expectAccessible(manager);
  });

  it('a credited application set to ELIGIBLE_NOT_FUNDED: the manager’s alert and the admin’s, both gone once restored', async () => {
    const application = await creditedApplication(db, SPENDING_CAMPAIGN);
    expect(application.creditedCents).toBeGreaterThan(0);
    await setApplicationStatus(db, application.id, 'ELIGIBLE_NOT_FUNDED');
    broken = application.id;
    manager = await portal.staffPage(demoEmail('COMUNE', 'MANAGER'), { reuse: manager });
    await manager.goto(`${web}/comune`);

    // The manager checks now: the alert, with the run's time and the problem.
    await checkNow(manager);
    const run = await latestRun();
    expect(run).toMatchObject({ ok: false, trigger: 'ON_DEMAND' });
    const alert = manager.getByRole('alert').and(manager.getByTestId('recon-alert'));
    await expect(alert.getAttribute('data-run')).resolves.toBe(run!.id);
    await expect(alert.getAttribute('class')).resolves.toContain('alert-danger');
    const alertText = await text(manager, 'recon-alert');
    expect(alertText).toMatch(
      /^I conti non tornano La verifica del .+ \(verifica su richiesta\) ha trovato movimenti che non tornano\. Problemi trovati: 1\./,
    );
    const problems = alert.getByTestId('recon-problem');
    await expect(problems.count()).resolves.toBe(1);
    const problem = problems.first();
    await expect(problem.getAttribute('data-check')).resolves.toBe('CREDIT_ONLY_APPROVED');
    const problemText = ((await problem.textContent()) ?? '').replace(/\s+/g, ' ').trim();
    expect(problemText).toBe(
      [
        'Credito solo alle domande accolte',
        'La domanda ha ricevuto credito ma è in stato ELIGIBLE_NOT_FUNDED.',
        `Oggetto: application:${application.id}`,
        `· Atteso: ${euro(0)}`,
        `· Trovato: ${euro(application.creditedCents)}`,
      ].join(' '),
    );
    // The subject links to the case.
    await expect(
      problem.getByRole('link', { name: `application:${application.id}` }).getAttribute('href'),
    ).resolves.toBe(`/comune/${COMUNE}/domande/${application.id}`);
    await portal.expectAccessible(manager);

    // In English: the English message and label.
    await manager.getByTestId('lang-switch').click();
    await manager.waitForLoadState('load');
    await expect(manager.getAttribute('html', 'lang')).resolves.toBe('en');
    const english = ((await problem.textContent()) ?? '').replace(/\s+/g, ' ').trim();
    expect(english).toContain('Credit only on approved applications');
    expect(english).toContain('The application received credit but is ELIGIBLE_NOT_FUNDED.');
    const inEnglish = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' });
    expect(english).toContain(`Found: ${inEnglish.format(application.creditedCents / 100)}`);
    await expect(
      manager.getByRole('button', { name: 'Check now', exact: true }).isVisible(),
    ).resolves.toBe(true);
    await portal.expectAccessible(manager);
    await manager.getByTestId('lang-switch').click();
    await manager.waitForLoadState('load');
    await expect(manager.getAttribute('html', 'lang')).resolves.toBe('it');

    // The platform admin sees the Comune among the alerts.
    const admin = await portal.staffPage(demoEmail('ADMIN'));
    await admin.goto(`${web}/admin`);
    const section = admin.getByTestId('admin-recon');
    await expect(
      section.getByRole('heading', { level: 2, name: 'Allarmi della verifica dei conti' }).count(),
    ).resolves.toBe(1);
    const item = admin.locator(`[data-testid="admin-recon-alert"][data-comune="${COMUNE}"]`);
    await expect(item.count()).resolves.toBe(1);
    await expect(item.getAttribute('data-run')).resolves.toBe(run!.id);
    await expect(
      item.getByRole('heading', { level: 3, name: COMUNE_NAME }).isVisible(),
    ).resolves.toBe(true);
    const itemText = ((await item.textContent()) ?? '').replace(/\s+/g, ' ').trim();
    expect(itemText).toMatch(
      /Ultima verifica il .+ \(verifica su richiesta\)\. Problemi trovati: 1\./,
    );
    expect(itemText).toContain('Credito solo alle domande accolte');
    expect(itemText).toContain(`application:${application.id}`);
    await expect(section.getByTestId('admin-recon-none').count()).resolves.toBe(0);
    await portal.expectAccessible(admin);

    // Restored with SQL and checked again: the success line, and no alert anywhere.
    await setApplicationStatus(db, application.id, 'APPROVED');
    broken = '';
    await checkNow(manager);
    expect(await latestRun()).toMatchObject({ ok: true, trigger: 'ON_DEMAND' });
    await expect(manager.getByTestId('recon-alert').count()).resolves.toBe(0);
    await expect(text(manager, 'recon-ok')).resolves.toContain('i conti tornano');
    await admin.reload();
    await expect(item.count()).resolves.toBe(0);
    await expect(text(admin, 'admin-recon-none')).resolves.toBe('Nessun allarme.');
    await portal.expectAccessible(admin);
  });

  it('an operator of the Comune does not see the panel, and cannot run the check by posting its form', async () => {
    const operator = await portal.staffPage(demoEmail('COMUNE', 'OPERATOR'));
    await operator.goto(`${web}/comune`);
    await expect(operator.getByTestId('nav-anagrafe').isVisible()).resolves.toBe(true);
    await expect(operator.getByTestId('recon-panel').count()).resolves.toBe(0);
    await expect(
      operator.getByRole('heading', { name: 'Verifica dei conti' }).count(),
    ).resolves.toBe(0);
    await expect(operator.getByRole('button', { name: 'Verifica ora' }).count()).resolves.toBe(0);
    await portal.expectAccessible(operator);

    const before = await storedRuns(db, COMUNE);
    const posted = await operator.request.post(`${web}/comune?/reconcile`, {
      form: { comuneId: COMUNE },
      headers: { origin: web },
      maxRedirects: 0,
    });
    expect(posted.status()).toBe(403);
    expect(await storedRuns(db, COMUNE)).toBe(before);
  });
});
