import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_CAMPAIGN_ID,
  DEMO_CAMPAIGN_TITLE,
  DEMO_COMUNE_ID,
  DEMO_ORG,
  DEMO_PASSWORD,
  demoEmail,
} from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import type { TestPlatform } from '../support/platform.js';
import { openPortal, type Portal } from '../support/portal.js';

/** Identity's demo Comune and provider (subgraphs/identity/src/demo/accounts.ts). */
const COMUNE = DEMO_COMUNE_ID;
const LA_ESSE = DEMO_ORG.laEsse;
const TITLE = 'Laboratorio di robotica educativa';
/** Public-welfare's open demo campaign: its credit pays for education, childcare and sport. */
const DEMO_CAMPAIGN = DEMO_CAMPAIGN_ID;

describe('offers and the catalogue in the portal', () => {
  let portal: Portal;
  let platform: TestPlatform;
  let web: string;
  let provider: Page;
  let offerId = '';

  beforeAll(async () => {
    // Demo data: La Esse is accredited by the demo Comune (the accreditation workflow in the
    // portal has its own test, e2e/accreditation.test.ts).
    portal = await openPortal();
    ({ platform, web } = portal);
  });
  afterAll(async () => {
    await portal?.close();
  });

  const expectAccessible = (page: Page, options?: { bestPractices?: boolean }) =>
    portal.expectAccessible(page, options);

  const anonymousPage = () => portal.page();

  /** A staff page; `reuse`: an earlier test's, if it is still logged in as `email`. */
  const staffPage = (email: string, reuse?: Page) => portal.staffPage(email, { reuse });

  async function laEsseOfferCount(): Promise<number> {
    const { token } = await login(
      platform.urls.gateway,
      demoEmail('COOPERATIVE', 'ADMIN'),
      DEMO_PASSWORD,
    );
    const list = await gql<{ providerOffers: unknown[] }>(
      platform.urls.gateway,
      `query($p: ID!) { providerOffers(providerId: $p) { id } }`,
      { p: LA_ESSE },
      { token },
    );
    expect(list.errors).toBeUndefined();
    return list.data!.providerOffers.length;
  }

  async function fillOffer(page: Page, price: string, capacity: string): Promise<void> {
    const form = page.getByTestId('offer-form');
    await form.getByLabel('Titolo', { exact: true }).fill(TITLE);
    await form
      .getByLabel('Descrizione', { exact: true })
      .fill('Costruire e programmare piccoli robot, in gruppo, per ragazzi delle scuole medie.');
    await form.getByLabel('Categoria').selectOption('EDUCATION');
    if (!(await form.getByLabel('Ragazzi (11–17 anni)').isChecked())) {
      // Bootstrap Italia draws the box on the label: click it, as a person does.
      await form.getByText('Ragazzi (11–17 anni)', { exact: true }).click();
    }
    await form.getByLabel('Costo', { exact: true }).selectOption('PER_HOUR');
    await form.getByLabel(/^Prezzo in euro/).fill(price);
    await form.getByLabel('Modalità').selectOption('GROUP');
    await form.getByLabel('Capienza (persone alla volta)').fill(capacity);
    await form.locator('#offer-place0Name').fill('Biblioteca comunale');
    await form.locator('#offer-place0Address').fill('Via Vittorio Emanuele 45');
    await form.locator('#offer-place0Municipality').fill('Balestrate');
    await form.locator('#offer-place0Latitude').fill('38,0512');
    await form.locator('#offer-place0Longitude').fill('13,0063');
    await form.locator('#offer-slot0Weekday').selectOption('4');
    await form.locator('#offer-slot0Start').fill('16:00');
    await form.locator('#offer-slot0End').fill('18:00');
    await form.getByLabel(/^E-mail di contatto/).fill('robotica@coop-laesse.example.it');
  }

  it('a bad offer (capacity 1,000, price 12,505) shows field errors and saves nothing', async () => {
    provider = await staffPage(demoEmail('COOPERATIVE', 'ADMIN'));
    await provider.goto(`${web}/ente`);
    await provider.getByTestId('nav-ente-offerte').first().click();
    await provider.waitForURL(`${web}/ente/${LA_ESSE}/offerte`);
    await expectAccessible(provider);
    const before = await laEsseOfferCount();

    await provider.getByTestId('offer-new').click();
    await provider.waitForURL(`${web}/ente/${LA_ESSE}/offerte/nuova`);
    await expectAccessible(provider);
    await fillOffer(provider, '12,505', '1000');
    await provider.getByTestId('offer-save').click();
    await provider.getByTestId('error-summary').waitFor();
    await expect(provider.locator('#offer-price-error').textContent()).resolves.toContain(
      'frazioni di centesimo',
    );
    await expect(provider.locator('#offer-capacity-error').textContent()).resolves.toContain(
      'da 2 a 200',
    );
    // The typed values are kept.
    await expect(provider.locator('#offer-price').inputValue()).resolves.toBe('12,505');
    await expectAccessible(provider);
    expect(await laEsseOfferCount()).toBe(before);
  });

  it('the provider saves and publishes the offer; it appears in the public catalogue', async () => {
    // The form the previous test left with two bad values, still logged in.
    provider = await staffPage(demoEmail('COOPERATIVE', 'ADMIN'), provider);
    await provider.getByLabel(/^Prezzo in euro/).fill('12,50');
    await provider.getByLabel('Capienza (persone alla volta)').fill('8');
    await provider.getByTestId('offer-save').click();
    await provider.waitForURL(`${web}/ente/${LA_ESSE}/offerte?fatto=salvata`);
    const row = provider.locator('[data-testid="offer-row"]', { hasText: TITLE });
    await expect(row.getAttribute('data-status')).resolves.toBe('DRAFT');
    await row.getByTestId('offer-publish').click();
    await provider.getByTestId('offer-action-done').waitFor();
    await expect(
      provider.locator('[data-testid="offer-row"]', { hasText: TITLE }).getAttribute('data-status'),
    ).resolves.toBe('PUBLISHED');
    await expectAccessible(provider);

    // Anyone finds it: the search box, Italian stemming ("laboratori" finds "laboratorio").
    const citizen = await anonymousPage();
    await citizen.goto(`${web}/servizi`);
    await expectAccessible(citizen);
    await citizen.getByTestId('catalogue-q').fill('laboratori robotica');
    await citizen.getByTestId('catalogue-submit').click();
    await citizen.waitForURL(/\/servizi\?/);
    // With JavaScript the page is updated in place: wait for the new count, not just the URL.
    await citizen
      .getByTestId('catalogue-count')
      .filter({ hasText: /^Servizi trovati: 1$/ })
      .waitFor();
    await expect(citizen.getByTestId('catalogue-count').textContent()).resolves.toContain(
      'Servizi trovati: 1',
    );
    await expectAccessible(citizen);
    await citizen.getByRole('link', { name: TITLE }).click();
    await citizen.waitForURL(/\/servizi\/[0-9a-f-]{36}$/);
    offerId = citizen.url().split('/').at(-1)!;
    await expect(citizen.getByTestId('offer-price').textContent()).resolves.toContain('12,50');
    await expect(citizen.getByTestId('offer-places').textContent()).resolves.toContain(
      'Via Vittorio Emanuele 45',
    );
    await expect(citizen.getByTestId('offer-schedule').textContent()).resolves.toContain(
      'Giovedì dalle 16:00 alle 18:00',
    );
    await expect(citizen.getByTestId('offer-book').getAttribute('href')).resolves.toBe(
      `/servizi/${offerId}/prenota`,
    );
    // Public-welfare's field on the offer, through the gateway.
    await expect(citizen.getByTestId('offer-paid-with').textContent()).resolves.toContain(
      `Pagabile con: ${DEMO_CAMPAIGN_TITLE}`,
    );
    await expectAccessible(citizen);
    // The provider's page lists it too.
    await citizen.getByTestId('offer-provider-link').click();
    await citizen.waitForURL(`${web}/servizi/enti/${LA_ESSE}`);
    await citizen.getByRole('link', { name: TITLE }).waitFor();
    // Its offer cards' headings (h3) follow the page's h2: no skipped heading level.
    await expectAccessible(citizen, { bestPractices: true });

    // "Can be paid with" the demo measure: only its categories (education, childcare, sport).
    await citizen.goto(`${web}/servizi?pagabile=${DEMO_CAMPAIGN}&costo=PAID`);
    const cards = citizen.getByTestId('catalogue-offer');
    const shown = await cards.count();
    expect(shown).toBeGreaterThan(0);
    for (let i = 0; i < shown; i++) {
      await expect(
        cards.nth(i).getByTestId('catalogue-offer-paid-with').textContent(),
      ).resolves.toContain(DEMO_CAMPAIGN_TITLE);
    }
    await expect(citizen.locator('#f-pagabile').inputValue()).resolves.toBe(DEMO_CAMPAIGN);
    await expectAccessible(citizen);
  });

  it('the Comune’s manager suspends the provider: its offers leave the catalogue at once', async () => {
    const manager = await staffPage(demoEmail('COMUNE', 'MANAGER'));
    await manager.goto(`${web}/comune/${COMUNE}/enti`);
    await manager
      .getByRole('link', { name: 'Apri la richiesta di Cooperativa Sociale La Esse' })
      .first()
      .click();
    await manager.waitForURL(new RegExp(`/comune/${COMUNE}/enti/[0-9a-f-]{36}$`));
    const suspend = manager.getByTestId('ts-suspend-form');
    await suspend.getByLabel('Motivazione').fill('Verifica dei requisiti in corso.');
    await suspend.getByRole('button', { name: "Sospendi l'accreditamento" }).click();
    await manager.getByTestId('ts-confirm-form').getByRole('button').click();
    await manager.getByTestId('ts-notice').waitFor();
    await expect(
      manager.getByTestId('ts-status').first().getAttribute('data-status'),
    ).resolves.toBe('SUSPENDED');

    const citizen = await anonymousPage();
    await citizen.goto(`${web}/servizi?q=robotica`);
    await expect(citizen.getByTestId('catalogue-count').textContent()).resolves.toContain(
      'Servizi trovati: 0',
    );
    await citizen.getByTestId('catalogue-none').waitFor();
    const detail = await citizen.goto(`${web}/servizi/${offerId}`);
    expect(detail?.status()).toBe(404);
    // None of La Esse's demo offers is left either.
    const page = await gql<{ catalogue: { total: number } }>(
      platform.urls.gateway,
      `query($p: ID!) { catalogue(input: { providerId: $p }) { total } }`,
      { p: LA_ESSE },
    );
    expect(page.data?.catalogue.total).toBe(0);
    // The provider still sees it in its own list, out of the catalogue.
    provider = await staffPage(demoEmail('COOPERATIVE', 'ADMIN'), provider);
    await provider.goto(`${web}/ente/${LA_ESSE}/offerte`);
    await expect(
      provider.locator('[data-testid="offer-row"]', { hasText: TITLE }).textContent(),
    ).resolves.toContain('Non nel catalogo');
  });

  it('another provider cannot open La Esse’s offers in its area', async () => {
    const other = await staffPage(demoEmail('ASSOCIATION', 'ADMIN'));
    for (const path of [`/ente/${LA_ESSE}/offerte`, `/ente/${LA_ESSE}/offerte/${offerId}`]) {
      const response = await other.goto(`${web}${path}`);
      expect(response?.status(), path).toBe(403);
    }
  });
});
