// Issue 17 item 1, IES circuit members in the portal: a citizen joins the Balestrate circuit and
// sees their wallet; a cooperative not yet a member asks to join with its details and the
// Comune's manager finds it by a search ("1–1 di 1"), is told a rejection needs a reason, cancels
// an acceptance's confirmation (nothing changes, the search is kept), then confirms it and is
// brought back to the same search, then finds it among the active (one page of members, an empty second page links back to
// the first); the manager is told a bad rule is wrong, then saves a good one; Giuseppe sees his
// IES wallet with the demo purchase. axe on every page. On the shared platform:
// Giulia and Il Girasole join the demo circuit and its expiry rule is set, which no other sharer
// reads; Giuseppe's balance is read by its form only (other sharers move it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG, demoCitizen, staffEmail } from '../support/demo.js';
import { openPortal, type Portal } from '../support/portal.js';

const GIULIA = demoCitizen('Giulia');
const GIUSEPPE = demoCitizen('Giuseppe');
/** Il Girasole: a cooperative that is not a member of the demo circuit. */
const COOPERATIVE = DEMO_ORG.girasole;
const COMUNE = DEMO_ORG.balestrate;

describe('IES circuit members in the portal', () => {
  let portal: Portal;
  let web: string;

  beforeAll(async () => {
    portal = await openPortal({ shared: true });
    web = portal.web;
  });
  afterAll(async () => {
    await portal?.close();
  });

  it('a citizen joins the circuit and sees their wallet', async () => {
    const { page } = await portal.citizenPage(GIULIA.fiscalCode);
    await page.goto(`${web}/ies`);
    await portal.expectAccessible(page);
    await page.getByTestId('iem-join-balestrate').click();
    await page.waitForURL(`${web}/ies/balestrate?esito=joined`);
    await expect(page.getByTestId('iem-balance').innerText()).resolves.toContain('0,00 IES');
    await expect(page.getByTestId('iem-wallet-actions').isVisible()).resolves.toBe(true);
    await portal.expectAccessible(page);
    // The circuit is now among hers, and no longer offered to join.
    await page.goto(`${web}/ies`);
    await expect(page.getByTestId('iem-my-circuits').innerText()).resolves.toContain('Balestrate');
    await expect(page.getByTestId('iem-join-balestrate').count()).resolves.toBe(0);
  });

  it('a cooperative asks to join (field errors first), the Comune’s manager accepts it', async () => {
    const admin = await portal.staffPage(staffEmail('girasole', 'ADMIN'));
    await admin.goto(`${web}/ente/${COOPERATIVE}/ies`);
    await portal.expectAccessible(admin);
    await admin.getByLabel('Tipo di socio').selectOption('BUSINESS');
    await admin.getByLabel('IBAN').fill('IT60X0542811101000000123457');
    await admin.getByTestId('iem-request-submit').click();
    await admin.getByTestId('error-summary').waitFor();
    const summary = await admin.getByTestId('error-summary').innerText();
    expect(summary).toContain('IBAN');
    expect(summary).toContain('Partita IVA');
    await expect(admin.getByLabel('IBAN').getAttribute('aria-invalid')).resolves.toBe('true');
    await portal.expectAccessible(admin);

    await admin.getByLabel('Tipo di socio').selectOption('COOPERATIVE');
    await admin.getByLabel('Nome mostrato a chi paga').fill('Il Girasole');
    await admin.getByLabel('IBAN').fill('IT60X0542811101000000123456');
    await admin.getByLabel('Partita IVA').fill('');
    await admin.getByTestId('iem-request-submit').click();
    await admin.getByTestId('iem-request-PENDING').waitFor();
    await portal.expectAccessible(admin);

    const manager = await portal.staffPage(staffEmail('balestrate', 'MANAGER'));
    await manager.goto(`${web}/comune`);
    await manager.getByTestId('nav-comune-ies').click();
    await manager.waitForURL(`${web}/comune/${COMUNE}/ies`);
    await portal.expectAccessible(manager);
    await manager.getByTestId('iem-manage-membri').click();
    await manager.waitForURL(/\/membri$/);
    await manager.getByLabel('Stato').selectOption('PENDING');
    await manager.getByLabel('Cerca per nome').fill('girasole');
    await manager.getByRole('button', { name: 'Filtra' }).click();
    await manager.waitForURL(/stato=PENDING&tipo=&cerca=girasole$/);
    const row = manager.getByTestId('iem-member-Il Girasole');
    await expect(row.innerText()).resolves.toContain('IT60X0542811101000000123456');
    // The range says how many match in all.
    await expect(manager.getByTestId('iem-range').innerText()).resolves.toBe('Soci 1–1 di 1.');
    await portal.expectAccessible(manager);
    // Rejecting without a reason is a field error: no confirmation, nothing changed.
    await row.getByRole('button', { name: 'Rifiuta' }).click();
    await manager.getByTestId('error-summary').waitFor();
    await expect(row.getByLabel('Motivo').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(manager.getByTestId('iem-confirm').count()).resolves.toBe(0);
    // A decision is confirmed first: the box names the member and the decision and takes the
    // focus; Cancel changes nothing and comes back to the same filters and search.
    await row.getByTestId('iem-accept').click();
    await manager.getByTestId('iem-confirm').waitFor();
    await expect(manager.evaluate(() => document.activeElement?.textContent?.trim())).resolves.toBe(
      'Conferma la decisione su Il Girasole',
    );
    await expect(manager.getByTestId('iem-consequence').innerText()).resolves.toContain(
      'La richiesta di Il Girasole sarà accettata',
    );
    await portal.expectAccessible(manager);
    await manager.getByTestId('iem-cancel').click();
    await manager.waitForURL(/\/membri\?stato=PENDING&cerca=girasole$/);
    await expect(row.getByTestId('iem-member-status').innerText()).resolves.toBe(
      'Richiesta in attesa',
    );
    // Confirmed, the decision comes back to the same filters and search (no JavaScript needed).
    await row.getByTestId('iem-accept').click();
    await manager.getByTestId('iem-confirm-form').getByRole('button').click();
    await manager.waitForURL(/\/membri\?stato=PENDING&cerca=girasole&esito=decided#esito$/);
    await expect(manager.getByTestId('iem-members').count()).resolves.toBe(0);
    await expect(manager.getByLabel('Cerca per nome').inputValue()).resolves.toBe('girasole');
    await manager.goto(`${manager.url().split('?')[0]}?cerca=girasole`);
    await expect(
      manager.getByTestId('iem-member-Il Girasole').getByTestId('iem-member-status').innerText(),
    ).resolves.toBe('Socio attivo');
    // Paged 50 at a time: one match says its range and has no other page; an empty page 2 links
    // back to the first, the search kept (plain links, no JavaScript needed).
    await expect(manager.getByTestId('iem-range').innerText()).resolves.toBe('Soci 1–1 di 1.');
    const pages = manager.getByRole('navigation', { name: 'Pagine dei soci' });
    await expect(pages.count()).resolves.toBe(0);
    await manager.goto(`${manager.url().split('?')[0]}?cerca=girasole&pagina=2`);
    await expect(manager.getByTestId('iem-members').count()).resolves.toBe(0);
    await expect(pages.getByRole('link', { name: 'Soci successivi' }).count()).resolves.toBe(0);
    await pages.getByRole('link', { name: 'Soci precedenti' }).click();
    await manager.waitForURL(/\/membri\?cerca=girasole$/);
    await manager.getByTestId('iem-member-Il Girasole').waitFor();
    await portal.expectAccessible(manager);

    // The cooperative now has its wallet.
    await admin.goto(`${web}/ente/${COOPERATIVE}/ies`);
    await expect(admin.getByTestId('iem-balance').innerText()).resolves.toContain('0,00 IES');
    await portal.expectAccessible(admin);
  });

  it('the manager is told a bad rule is wrong, then saves a good one', async () => {
    const manager = await portal.staffPage(staffEmail('balestrate', 'MANAGER'));
    await manager.goto(`${web}/comune/${COMUNE}/ies`);
    await manager.getByTestId('iem-manage-regole').click();
    await manager.waitForURL(/\/regole$/);
    await portal.expectAccessible(manager);
    const expiry = manager.getByLabel('Scadenza degli IES non spesi (mesi)');
    await expiry.fill('500');
    await manager.getByTestId('iem-rules-save').click();
    await manager.getByTestId('error-summary').waitFor();
    await expect(manager.getByTestId('error-summary').innerText()).resolves.toContain(
      'Scadenza degli IES non spesi',
    );
    await expect(
      manager.getByLabel('Scadenza degli IES non spesi (mesi)').getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    await portal.expectAccessible(manager);
    await manager.getByLabel('Scadenza degli IES non spesi (mesi)').fill('36');
    await manager.getByTestId('iem-rules-save').click();
    await manager.waitForURL(/esito=saved/);
    await expect(
      manager.getByLabel('Scadenza degli IES non spesi (mesi)').inputValue(),
    ).resolves.toBe('36');
    await portal.expectAccessible(manager);
  });

  it('Giuseppe sees his IES wallet with the demo purchase', async () => {
    const { page } = await portal.citizenPage(GIUSEPPE.fiscalCode);
    await page.goto(`${web}/ies/balestrate`);
    await expect(page.getByTestId('iem-balance').innerText()).resolves.toMatch(/\d+,\d{2} IES/);
    const movements = await page.getByTestId('iem-movements').innerText();
    expect(movements).toContain('Acquisto di IES');
    expect(movements).toContain('+40,00 IES');
    await portal.expectAccessible(page);
  });

  it('the demo shop’s owner sees its wallet, reached from the shop area', async () => {
    const owner = await portal.staffPage(staffEmail('daRosa', 'OWNER'));
    await owner.goto(`${web}/esercente`);
    await owner.getByTestId('nav-esercente-ies').click();
    await owner.waitForURL(`${web}/esercente/${DEMO_ORG.daRosa}/ies`);
    await expect(owner.getByTestId('iem-balance').innerText()).resolves.toMatch(/\d+,\d{2} IES/);
    // A member already: no request form for the demo circuit.
    await expect(owner.getByTestId('iem-request-submit').count()).resolves.toBe(0);
    await portal.expectAccessible(owner);
  });

  it('another citizen cannot read an organisation’s wallet page; anonymous goes to the login', async () => {
    const { page } = await portal.citizenPage(GIULIA.fiscalCode);
    const response = await page.goto(`${web}/ente/${COOPERATIVE}/ies`);
    expect(response?.status()).toBe(403);
    const anonymous = await portal.page();
    await anonymous.goto(`${web}/ies/balestrate`);
    expect(new URL(anonymous.url()).pathname).toBe('/accedi');
  });
});
