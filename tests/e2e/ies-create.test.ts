// Issue 17: creating an IES circuit in the portal. The demo Comune's MANAGER opens the IES page,
// follows "Nuovo circuito IES", submits a bad code (field error, error summary, axe clean), then a
// good one, lands on the new circuit's rules page, and the public page shows it with reserve 0. An
// OPERATOR sees no link and gets 403 on the form. The platform admin creates one from the admin
// area, picking the Comune (a bad rule field first). Shared platform: each circuit has its own
// random code and a name sorting after the demo's, and nothing of the demo's state changes.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG, demoEmail, staffEmail } from '../support/demo.js';
import { openPortal, type Portal } from '../support/portal.js';

const COMUNE = DEMO_ORG.balestrate;
const CODE = `prova-${randomUUID().slice(0, 8)}`;
const NAME = `Circuito IES Prova ${CODE}`;
const ADMIN_CODE = `admin-${randomUUID().slice(0, 8)}`;
const ADMIN_NAME = `Circuito IES Prova ${ADMIN_CODE}`;

describe('creating an IES circuit in the portal', () => {
  let portal: Portal;
  let web: string;

  beforeAll(async () => {
    portal = await openPortal({ shared: true });
    web = portal.web;
  });
  afterAll(() => portal?.close());

  it('the MANAGER creates one: a bad code is a field error, then it lands on the new circuit', async () => {
    const manager = await portal.staffPage(staffEmail('balestrate', 'MANAGER'));
    await manager.goto(`${web}/comune/${COMUNE}/ies`);
    await manager.getByTestId('iecr-new').click();
    await manager.waitForURL(`${web}/comune/${COMUNE}/ies/nuovo`);
    // The defaults are shown: no fee, welfare movements exempt.
    await expect(manager.getByLabel('Commissione fissa per movimento').inputValue()).resolves.toBe(
      '0',
    );
    await expect(
      manager.getByLabel('Esenti i movimenti finanziati dal welfare').isChecked(),
    ).resolves.toBe(true);
    await portal.expectAccessible(manager);

    const form = manager.getByTestId('iecr-form');
    await form.getByLabel('Codice pubblico').fill('Codice Non Valido!');
    await form.getByLabel('Nome del circuito').fill(NAME);
    await form.getByLabel('Territorio').fill('Balestrate');
    await manager.getByTestId('iecr-submit').click();
    await manager.getByTestId('error-summary').waitFor();
    await expect(manager.getByLabel('Codice pubblico').getAttribute('aria-invalid')).resolves.toBe(
      'true',
    );
    await expect(manager.getByLabel('Nome del circuito').inputValue()).resolves.toBe(NAME);
    await portal.expectAccessible(manager);

    await manager.getByLabel('Codice pubblico').fill(CODE);
    await manager.getByTestId('iecr-submit').click();
    await manager.waitForURL(new RegExp(`/comune/${COMUNE}/ies/[0-9a-f-]{36}/regole$`));
    await expect(manager.locator('h1 + p.lead').innerText()).resolves.toBe(NAME);
    await portal.expectAccessible(manager);

    const visitor = await portal.page();
    await visitor.goto(`${web}/circuiti-ies/${CODE}`);
    await expect(visitor.locator('h1').innerText()).resolves.toContain(NAME);
    await portal.expectAccessible(visitor);
    const figures = await visitor.request.get(`${web}/circuiti-ies/${CODE}/dati.json`);
    expect(figures.status()).toBe(200);
    const body = (await figures.json()) as { reserveCents: number; circulationCents: number };
    expect(body.reserveCents).toBe(0);
    expect(body.circulationCents).toBe(0);
  });

  it('an OPERATOR sees no link and may not open the form', async () => {
    const operator = await portal.staffPage(staffEmail('balestrate', 'OPERATOR'));
    await operator.goto(`${web}/comune/${COMUNE}/ies`);
    await expect(operator.getByTestId('iem-manage-membri').first().isVisible()).resolves.toBe(true);
    await expect(operator.getByTestId('iecr-new').count()).resolves.toBe(0);
    const response = await operator.goto(`${web}/comune/${COMUNE}/ies/nuovo`);
    expect(response?.status()).toBe(403);
  });

  it('the platform admin creates one for a Comune it picks: a bad rule is a field error', async () => {
    const admin = await portal.staffPage(demoEmail('ADMIN'));
    await admin.goto(`${web}/admin`);
    await admin.getByTestId('iecr-admin-new').click();
    await admin.waitForURL(`${web}/admin/circuiti-ies/nuovo`);
    await portal.expectAccessible(admin);

    const form = admin.getByTestId('iecr-form');
    await form.getByLabel('Comune gestore').selectOption(COMUNE);
    await form.getByLabel('Codice pubblico').fill(ADMIN_CODE);
    await form.getByLabel('Nome del circuito').fill(ADMIN_NAME);
    await form.getByLabel('Territorio').fill('Balestrate');
    await form.getByLabel('Commissione proporzionale per movimento').fill('1,5');
    await admin.getByTestId('iecr-submit').click();
    await admin.getByTestId('error-summary').waitFor();
    const bps = admin.getByLabel('Commissione proporzionale per movimento');
    await expect(bps.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(admin.locator('#iecr-feeBasisPoints-error').innerText()).resolves.toBe(
      'Deve essere un numero intero.',
    );
    // What was typed stays, the Comune too.
    await expect(admin.getByLabel('Comune gestore').inputValue()).resolves.toBe(COMUNE);
    await expect(admin.getByLabel('Nome del circuito').inputValue()).resolves.toBe(ADMIN_NAME);
    await portal.expectAccessible(admin);

    await bps.fill('150');
    await admin.getByTestId('iecr-submit').click();
    await admin.waitForURL(`${web}/circuiti-ies/${ADMIN_CODE}`);
    await expect(admin.locator('h1').innerText()).resolves.toContain(ADMIN_NAME);
    // It belongs to the Comune picked: its MANAGER finds it among the Comune's circuits.
    const manager = await portal.staffPage(staffEmail('balestrate', 'MANAGER'));
    await manager.goto(`${web}/comune/${COMUNE}/ies`);
    await expect(manager.locator('main').innerText()).resolves.toContain(ADMIN_NAME);
  });
});
