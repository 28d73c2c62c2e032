// Issue 14: the audit log in a browser. The demo Comune's manager filters the Comune's log (the
// demo's shop payments) and downloads the filtered view as CSV; an operator is refused the page.
// A sealed row of public-welfare's log is then tampered with for real (as the database's
// superuser, the append-only triggers switched off): the scheduled verification (every second
// here) finds it and the platform admin's pages show the alert.
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMUNE_ID, demoEmail } from '../support/demo.js';
import { openPortal, type Portal } from '../support/portal.js';

const COMUNE = DEMO_COMUNE_ID;

describe('the audit log in a browser', () => {
  let portal: Portal;
  let web: string;
  let db: pg.Client;

  beforeAll(async () => {
    portal = await openPortal({
      subgraphEnv: { 'public-welfare': { AUDIT_CHECK_INTERVAL_MS: '1000' } },
    });
    web = portal.web;
    db = new pg.Client({ connectionString: portal.platform.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await portal?.close();
  });

  const actions = async (page: Page) =>
    page
      .getByTestId('audit-row')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-action')));

  it('lets the Comune’s manager filter its log and download the filtered view as CSV', async () => {
    const manager = await portal.staffPage(demoEmail('COMUNE', 'MANAGER'));
    await manager.goto(`${web}/comune`);
    await manager.getByTestId('nav-comune-registro').click();
    await manager.waitForURL(`${web}/comune/${COMUNE}/registro`);
    await expect(manager.locator('h1').textContent()).resolves.toBe('Registro delle operazioni');
    await portal.expectAccessible(manager);

    const filters = manager.getByTestId('audit-filters');
    await filters.getByLabel('Azione').fill('PAYMENT');
    await filters.getByRole('button', { name: 'Applica i filtri' }).click();
    await manager.waitForURL(/azione=PAYMENT/);
    const shown = await actions(manager);
    const payments = await db.query<{ n: string }>(
      `select count(*) as n from public_welfare.audit_event where comune_id = $1 and action = 'PAYMENT'`,
      [COMUNE],
    );
    expect(shown.length).toBe(Math.min(100, Number(payments.rows[0]!.n)));
    expect(shown.length).toBeGreaterThan(0);
    expect(new Set(shown)).toEqual(new Set(['PAYMENT']));
    await portal.expectAccessible(manager);

    const link = manager.getByTestId('audit-export');
    await expect(link.getAttribute('href')).resolves.toBe(
      `/comune/${COMUNE}/registro/esporta?azione=PAYMENT`,
    );
    const [download] = await Promise.all([manager.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('registro-operazioni.csv');
    const text = await readFile(await download.path(), 'utf8');
    expect(text.startsWith('\ufeff')).toBe(true);
    const lines = text.slice(1).split('\r\n').slice(0, -1);
    expect(lines[0]).toBe(
      'Data e ora;Registro;Organizzazione;Autore;Azione;Oggetto;Posizione nella catena',
    );
    const rows = lines.slice(1).map((line) => line.split(';'));
    expect(rows).toHaveLength(Number(payments.rows[0]!.n));
    for (const row of rows) {
      expect(row[1]).toBe('Welfare pubblico');
      expect(row[2]).toBe(COMUNE);
      expect(row[3]).toMatch(/^person:/);
      expect(row[4]).toBe('PAYMENT');
    }

    // An operator of the same Comune is no reader of its log (nor is it linked for them).
    const operator = await portal.staffPage(demoEmail('COMUNE', 'OPERATOR'));
    await operator.goto(`${web}/comune`);
    await expect(operator.getByTestId('nav-comune-registro').count()).resolves.toBe(0);
    const refused = await operator.goto(`${web}/comune/${COMUNE}/registro`);
    expect(refused?.status()).toBe(403);
  });

  it('shows the platform admin the broken chain after a row is tampered with', async () => {
    const admin = await portal.staffPage(demoEmail('ADMIN'));
    await admin.goto(`${web}/admin`);
    await expect(admin.getByTestId('audit-chain-alert').count()).resolves.toBe(0);

    const victim = await db.query<{ seq: string }>(
      `select seq from public_welfare.audit_event where action = 'PAYMENT' order by seq limit 1`,
    );
    const seq = victim.rows[0]!.seq;
    // Appended without a lock, a row joins the chain at the sealer's next pass (every second):
    // tamper with a sealed row, the one the verification vouches for.
    const sealedBy = Date.now() + 30_000;
    for (;;) {
      const row = await db.query<{ hash: string | null }>(
        `select hash from public_welfare.audit_event where seq = $1`,
        [seq],
      );
      if (row.rows[0]!.hash !== null) break;
      if (Date.now() > sealedBy) throw new Error(`row ${seq} still unsealed after 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await db.query(`alter table public_welfare.audit_event disable trigger user`);
    try {
      await db.query(
        `update public_welfare.audit_event set actor = 'person:someone-else' where seq = $1`,
        [seq],
      );
    } finally {
      await db.query(`alter table public_welfare.audit_event enable trigger user`);
    }

    // The scheduled verification runs every second in this platform.
    const deadline = Date.now() + 30_000;
    for (;;) {
      await admin.goto(`${web}/admin`);
      if ((await admin.getByTestId('audit-chain-alert').count()) > 0 || Date.now() > deadline)
        break;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const alert = admin.getByTestId('audit-chain-alert');
    await expect(alert.getAttribute('data-log')).resolves.toBe('publicWelfare');
    await expect(alert.textContent()).resolves.toContain(`dalla riga ${seq}`);
    await portal.expectAccessible(admin);

    await admin.getByTestId('nav-admin-registro').click();
    await admin.waitForURL(`${web}/admin/registro`);
    await expect(admin.getByTestId('audit-chain-alert').getAttribute('data-log')).resolves.toBe(
      'publicWelfare',
    );
    await expect(admin.getByTestId('audit-row').count()).resolves.toBeGreaterThan(0);
    await portal.expectAccessible(admin);
  });
});
