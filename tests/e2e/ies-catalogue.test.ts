// Issue 17, beyond payments, in the portal: Giuseppe (the demo SPID citizen, a member of the
// Balestrate IES circuit holding 40 IES) sees "Accetta IES" on an offer of La Esse in the catalogue
// and on its page, books it and pays it at checkout with his IES alone. The admin of Amici di
// Balestrate (an association member of the circuit) creates a fundraising project on the
// organisation's page; Giuseppe donates IES to it from the circuit's donation page, agreeing to
// show his name; the project's public page shows the total raised, the number of donors and his
// name, to an anonymous visitor too. Every page is checked with axe. On the shared platform: it
// spends 15 of Giuseppe's IES (other sharers spend and earn some: none reads his exact balance)
// and creates a project of its own.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseDay, fillContact } from '../support/booking-days.js';
import { offerTitled } from '../support/checkout.js';
import { DEMO_ORG, DEMO_PASSWORD, staffEmail } from '../support/demo.js';
import { login } from '../support/graphql.js';
import type { TestPlatform } from '../support/platform.js';
import { openPortal, type Portal } from '../support/portal.js';

/** Giuseppe Lo Cascio (subgraphs/ies-circuit/src/demo/facts.ts). */
const GIUSEPPE = 'LCSGPP72S03A592D';
const CIRCUIT = 'balestrate';
/** "Baby sitting a domicilio" of La Esse: 10 € an hour. */
const OFFER = 'Baby sitting a domicilio';
const PROJECT = 'Panchine nuove per la villa comunale';

/** A day `days` from today in Rome, as `yyyy-mm-dd`. */
function romeDayFromToday(days: number): string {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date());
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

describe('IES in the catalogue and in donations', () => {
  let portal: Portal;
  let platform: TestPlatform;
  let web: string;
  let giuseppe: Page;
  let offerId = '';
  let projectId = '';

  const expectAccessible = (page: Page) => portal.expectAccessible(page);

  beforeAll(async () => {
    portal = await openPortal({ shared: true });
    ({ platform, web } = portal);
    const admin = await login(platform.urls.gateway, staffEmail('laEsse', 'ADMIN'), DEMO_PASSWORD);
    offerId = await offerTitled(platform.urls.gateway, admin.token, OFFER);
    ({ page: giuseppe } = await portal.citizenPage(GIUSEPPE));
  });

  afterAll(async () => {
    await portal?.close();
  });

  it('shows "Accetta IES" on La Esse’s offer and pays a booking with IES at checkout', async () => {
    await giuseppe.goto(`${web}/servizi?q=${encodeURIComponent(OFFER)}`);
    const card = giuseppe
      .getByTestId('catalogue-offer')
      .filter({ has: giuseppe.locator(`a[href="/servizi/${offerId}"]`) });
    await expect(card.getByTestId('catalogue-offer-ies').textContent()).resolves.toBe(
      'Accetta IES',
    );
    await expectAccessible(giuseppe);
    await giuseppe.goto(`${web}/servizi/${offerId}`);
    await expect(giuseppe.getByTestId('offer-ies').textContent()).resolves.toContain('Accetta IES');
    await expectAccessible(giuseppe);

    await giuseppe.goto(`${web}/servizi/${offerId}/prenota`);
    await chooseDay(giuseppe, 9);
    await giuseppe.getByLabel('Numero di ore').fill('1');
    await fillContact(giuseppe);
    await giuseppe.getByRole('button', { name: 'Invia la prenotazione' }).click();
    await giuseppe.waitForURL(new RegExp(`^${web}/prenotazioni/servizi\\?prenotata=`));
    const bookingId = new URL(giuseppe.url()).searchParams.get('prenotata')!;
    await giuseppe.goto(`${web}/prenotazioni/servizi`);
    await giuseppe.locator(`a[href="/prenotazioni/servizi/${bookingId}/pagamento"]`).click();
    await giuseppe.waitForURL(`${web}/prenotazioni/servizi/${bookingId}/pagamento`);
    const ies = giuseppe.getByLabel(/^Da pagare con IES – Circuito IES Balestrate \(euro\)$/);
    await ies.fill('10');
    await expect(giuseppe.getByTestId('checkout-card-part').textContent()).resolves.toMatch(
      /carta: 0,00\s*€/,
    );
    await expectAccessible(giuseppe);
    await giuseppe.getByTestId('checkout-submit').click();
    await giuseppe.waitForURL(/\/pagamenti\/[0-9a-f-]{36}$/);
    await expect(giuseppe.getByTestId('receipt').getAttribute('data-status')).resolves.toBe('PAID');
    const legs = giuseppe.getByTestId('receipt-leg');
    await expect(legs.count()).resolves.toBe(1);
    await expect(legs.nth(0).textContent()).resolves.toMatch(
      /IES – Circuito IES Balestrate[\s\S]*10,00\s*€/,
    );
    await expectAccessible(giuseppe);
  });

  it('an association creates a project; Giuseppe donates IES; the public page shows the total', async () => {
    const association = await portal.staffPage(staffEmail('amiciBalestrate', 'ADMIN'));
    const base = `${web}/ente/${DEMO_ORG.amiciBalestrate}/ies/progetti`;
    await association.goto(`${base}/nuovo`);
    await expectAccessible(association);
    // Bad input: field errors, nothing created.
    await association.getByLabel('Circuito IES').selectOption(CIRCUIT);
    await association.getByLabel('Titolo').fill('No');
    await association.getByLabel('Descrizione').fill('Corta');
    await association.getByLabel(/^Obiettivo in IES/).fill('100');
    await association.getByLabel('Ultimo giorno della raccolta').fill(romeDayFromToday(30));
    await association.getByTestId('ies-project-submit').click();
    await association.getByTestId('error-summary').waitFor();
    await expect(association.locator('#project-title').getAttribute('aria-invalid')).resolves.toBe(
      'true',
    );
    await expect(
      association.locator('#project-description').getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    await expectAccessible(association);
    await association.getByLabel('Titolo').fill(PROJECT);
    await association
      .getByLabel('Descrizione')
      .fill('Raccogliamo IES per sostituire le panchine rotte della villa comunale.');
    await association.getByTestId('ies-project-submit').click();
    await association.waitForURL(`${base}?fatto=creato`);
    const project = association.getByTestId('ies-org-project').filter({ hasText: PROJECT });
    const href = await project.getByRole('link', { name: /Pagina pubblica/ }).getAttribute('href');
    projectId = /progetti\/([0-9a-f-]{36})$/.exec(href ?? '')?.[1] ?? '';
    expect(projectId).not.toBe('');
    await expectAccessible(association);

    await giuseppe.goto(`${web}/ies/${CIRCUIT}/dona`);
    await expectAccessible(giuseppe);
    await giuseppe.locator(`a[href="/ies/${CIRCUIT}/dona/${projectId}"]`).click();
    await giuseppe.waitForURL(`${web}/ies/${CIRCUIT}/dona/${projectId}`);
    // An unreadable amount: a field error, nothing donated.
    await giuseppe.getByLabel(/^Importo in IES/).fill('cinque');
    await giuseppe.getByTestId('ies-donate-submit').click();
    await giuseppe.getByTestId('error-summary').waitFor();
    await expect(giuseppe.locator('#donate-amount').getAttribute('aria-invalid')).resolves.toBe(
      'true',
    );
    await expectAccessible(giuseppe);
    await giuseppe.getByLabel(/^Importo in IES/).fill('5');
    // Bootstrap Italia draws the checkbox on its label.
    await giuseppe.locator('label[for="donate-show-name"]').click();
    await expect(
      giuseppe.getByLabel('Mostra il mio nome nella pagina pubblica del progetto').isChecked(),
    ).resolves.toBe(true);
    await giuseppe.getByTestId('ies-donate-submit').click();
    await giuseppe.waitForURL(
      new RegExp(`/circuiti-ies/${CIRCUIT}/progetti/${projectId}\\?donato=`),
    );
    await expect(giuseppe.getByTestId('ies-donation-done').textContent()).resolves.toContain(
      'Hai donato 5 IES',
    );
    await expectAccessible(giuseppe);

    const visitor = await portal.page();
    await visitor.goto(`${web}/circuiti-ies/${CIRCUIT}/progetti/${projectId}`);
    await expect(visitor.getByTestId('ies-project-raised').textContent()).resolves.toContain(
      'Raccolti 5 IES su 100 IES',
    );
    await expect(visitor.getByTestId('ies-project-donors').textContent()).resolves.toContain(
      'Donatori: 1',
    );
    await expect(visitor.getByTestId('ies-project-public-donors').textContent()).resolves.toContain(
      'Giuseppe Lo Cascio',
    );
    await expectAccessible(visitor);
    await visitor.goto(`${web}/circuiti-ies/${CIRCUIT}/progetti`);
    await expect(
      visitor.getByTestId('ies-project').filter({ hasText: PROJECT }).count(),
    ).resolves.toBe(1);
    await expectAccessible(visitor);
  });
});
