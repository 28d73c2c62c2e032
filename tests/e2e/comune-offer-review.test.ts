// Issue 18, item 6, in the portal: the Comune's hand on its catalogue. Balestrate's MANAGER sets
// a tariff of its accreditation call (CULTURE, per package, at most 900,00 €); La Esse's ADMIN
// cannot save its own offer above it (a field error on the price naming the tariff). The Comune's
// operator withdraws the offer with a reason (an empty reason is a field error first; then a
// confirmation states the consequence, issue 19 item 4): the public catalogue no longer lists it
// and the provider sees the reason and asks to publish it again; the operator publishes it again
// (confirmed too). Cancelling the withdrawal's confirmation changes nothing (page and API).
// La Esse's ADMIN then reads the withdrawal, with its reason, on the provider's messages page
// (reached from the provider's area). Every page is checked with axe. On the shared platform: it creates and withdraws an offer of its
// own (found by its own words) and removes its tariff at the end (a cap no demo offer reaches).
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG, DEMO_PASSWORD, staffEmail } from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import type { TestPlatform } from '../support/platform.js';
import { openPortal, type Portal } from '../support/portal.js';

const WORD = `ceramica${randomUUID().slice(0, 8)}`;
const TITLE = `Laboratorio di ${WORD}`;
const COMUNE = DEMO_ORG.balestrate;
const PROVIDER = DEMO_ORG.laEsse;

const CREATE = `mutation($providerId: ID!, $comuneId: ID!, $input: OfferInput!) {
  createOffer(providerId: $providerId, comuneId: $comuneId, input: $input) { id } }`;
const PUBLISH = `mutation($id: ID!) { publishOffer(id: $id) { id status } }`;
const OFFER_STATE = `query($id: ID!) { offer(id: $id) { status withdrawnByComune } }`;
const SET_TARIFF = `mutation($input: AccreditationTariffInput!) {
  setAccreditationTariff(input: $input) { category } }`;

describe('the Comune’s review of its catalogue', () => {
  let portal: Portal;
  let platform: TestPlatform;
  let web: string;
  let offerId = '';
  let managerToken = '';

  const expectAccessible = (page: Page) => portal.expectAccessible(page);

  beforeAll(async () => {
    portal = await openPortal({ shared: true });
    ({ platform, web } = portal);
    const admin = await login(platform.urls.gateway, staffEmail('laEsse', 'ADMIN'), DEMO_PASSWORD);
    const created = await gql<{ createOffer: { id: string } }>(
      platform.urls.gateway,
      CREATE,
      {
        providerId: PROVIDER,
        comuneId: COMUNE,
        input: {
          title: TITLE,
          description: `Dieci incontri di ${WORD} per adulti, con i materiali compresi.`,
          category: 'CULTURE',
          targets: ['ADULTS'],
          priceKind: 'PER_PACKAGE',
          priceCents: 20000,
          packageDescription: 'Dieci incontri',
          format: 'GROUP',
          capacity: 8,
          places: [{ name: 'Sala civica', address: 'Via Roma 1', municipality: 'Balestrate' }],
          schedule: [{ weekday: 4, startTime: '18:00', endTime: '20:00' }],
          contactEmail: 'laboratorio@esempio.it',
        },
      },
      { token: admin.token },
    );
    offerId = created.data!.createOffer.id;
    const published = await gql(
      platform.urls.gateway,
      PUBLISH,
      { id: offerId },
      {
        token: admin.token,
      },
    );
    expect(published.errors).toBeUndefined();
    managerToken = (
      await login(platform.urls.gateway, staffEmail('balestrate', 'MANAGER'), DEMO_PASSWORD)
    ).token;
  });

  afterAll(async () => {
    // The tariff is this file's own: removed so that no other file meets it.
    if (managerToken) {
      await gql(
        platform.urls.gateway,
        SET_TARIFF,
        {
          input: {
            comuneId: COMUNE,
            category: 'CULTURE',
            priceKind: 'PER_PACKAGE',
            maxPriceCents: null,
          },
        },
        { token: managerToken },
      );
    }
    await portal?.close();
  });

  it('the MANAGER sets a tariff; a price above it is refused with a field error naming it', async () => {
    const manager = await portal.staffPage(staffEmail('balestrate', 'MANAGER'));
    await manager.goto(`${web}/comune/${COMUNE}/offerte`);
    await expectAccessible(manager);
    await manager.locator('#review-tariff-category').selectOption('CULTURE');
    await manager.locator('#review-tariff-kind').selectOption('PER_PACKAGE');
    await manager.locator('#review-tariff-amount').fill('900,00');
    await manager.getByRole('button', { name: 'Salva la tariffa' }).click();
    await manager.waitForURL(`${web}/comune/${COMUNE}/offerte?esito=tariff#esito`);
    await expect(manager.getByTestId('review-tariffs').textContent()).resolves.toMatch(
      /900,00\s*€/,
    );

    const provider = await portal.staffPage(staffEmail('laEsse', 'ADMIN'));
    await provider.goto(`${web}/ente/${PROVIDER}/offerte/${offerId}`);
    await provider.locator('#offer-price').fill('950,00');
    await provider.getByRole('button', { name: 'Salva', exact: true }).click();
    await provider.getByTestId('error-summary').waitFor();
    await expect(provider.locator('#offer-price').getAttribute('aria-invalid')).resolves.toBe(
      'true',
    );
    await expect(provider.locator('#offer-price-error').textContent()).resolves.toMatch(
      /tariffa massima[\s\S]*900,00\s*€ a pacchetto/,
    );
    await expectAccessible(provider);
  });

  it('the operator withdraws the offer with a reason: out of the catalogue, the provider sees why', async () => {
    const citizen = await portal.page();
    await citizen.goto(`${web}/servizi?q=${WORD}`);
    await expect(citizen.locator(`a[href="/servizi/${offerId}"]`).count()).resolves.toBeGreaterThan(
      0,
    );

    const operator = await portal.staffPage(staffEmail('balestrate', 'OPERATOR'));
    await operator.goto(`${web}/comune/${COMUNE}/offerte`);
    const card = operator.locator(`[data-testid="review-offer"][data-offer-id="${offerId}"]`);
    // No reason: a field error, nothing withdrawn.
    await card.getByRole('button', { name: `Ritira dal catalogo l’offerta ${TITLE}` }).click();
    await operator.getByTestId('error-summary').waitFor();
    await expect(
      operator.locator(`#review-reason-${offerId}`).getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    await expectAccessible(operator);
    await card.locator(`#review-reason-${offerId}`).fill('Materiali non conformi al bando');
    await card.getByRole('button', { name: `Ritira dal catalogo l’offerta ${TITLE}` }).click();
    // Issue 19 item 4: the click only states the consequence; the confirmation withdraws.
    await expect(operator.getByTestId('review-consequence').textContent()).resolves.toMatch(
      new RegExp(`L'offerta «${TITLE}» di .*La Esse sarà ritirata subito dal catalogo pubblico`),
    );
    await expect(operator.getByTestId('review-confirm').textContent()).resolves.toContain(
      'Materiali non conformi al bando',
    );
    await expectAccessible(operator);
    // Cancel (Annulla) changes nothing: back to the list, the offer still in the catalogue.
    await operator.getByTestId('review-cancel').click();
    await operator.waitForURL(`${web}/comune/${COMUNE}/offerte`);
    await expect(operator.getByTestId('review-confirm').count()).resolves.toBe(0);
    await expect(card.textContent()).resolves.not.toContain('Ritirata dal Comune');
    const state = await gql<{ offer: { status: string; withdrawnByComune: boolean } }>(
      platform.urls.gateway,
      OFFER_STATE,
      { id: offerId },
    );
    expect(state.data?.offer).toEqual({ status: 'PUBLISHED', withdrawnByComune: false });
    // Asked again, and confirmed this time.
    await card.locator(`#review-reason-${offerId}`).fill('Materiali non conformi al bando');
    await card.getByRole('button', { name: `Ritira dal catalogo l’offerta ${TITLE}` }).click();
    await operator.getByTestId('review-confirm-form').getByRole('button').click();
    await operator.waitForURL(`${web}/comune/${COMUNE}/offerte?esito=withdrawn#esito`);
    await expect(card.textContent()).resolves.toContain(
      'Ritirata dal Comune: Materiali non conformi al bando',
    );
    await expectAccessible(operator);

    await citizen.goto(`${web}/servizi?q=${WORD}`);
    await expect(citizen.locator(`a[href="/servizi/${offerId}"]`).count()).resolves.toBe(0);
    await expectAccessible(citizen);

    const provider = await portal.staffPage(staffEmail('laEsse', 'ADMIN'));
    await provider.goto(`${web}/ente/${PROVIDER}/offerte`);
    const row = provider.getByTestId('offer-row').filter({ hasText: TITLE });
    await expect(row.getByTestId('offer-comune-withdrawn').textContent()).resolves.toContain(
      'Motivo: Materiali non conformi al bando',
    );
    await row.getByTestId('offer-republish').click();
    await provider.getByTestId('offer-action-done').waitFor();
    await expect(row.getByTestId('offer-comune-withdrawn').textContent()).resolves.toContain(
      'Richiesta di ripubblicazione inviata al Comune.',
    );
    await expectAccessible(provider);
  });

  it('the operator publishes it again once asked, after a confirmation stating the consequence', async () => {
    const operator = await portal.staffPage(staffEmail('balestrate', 'OPERATOR'));
    await operator.goto(`${web}/comune/${COMUNE}/offerte`);
    const card = operator.locator(`[data-testid="review-offer"][data-offer-id="${offerId}"]`);
    await card.getByRole('button', { name: `Ripubblica l’offerta ${TITLE}` }).click();
    await expect(operator.getByTestId('review-consequence').textContent()).resolves.toMatch(
      new RegExp(`L'offerta «${TITLE}» di .*La Esse tornerà subito nel catalogo pubblico`),
    );
    await operator.getByTestId('review-confirm-form').getByRole('button').click();
    await operator.waitForURL(`${web}/comune/${COMUNE}/offerte?esito=reinstated#esito`);
    await expect(card.textContent()).resolves.not.toContain('Ritirata dal Comune');
    await expectAccessible(operator);
  });

  it('the provider’s ADMIN reads the withdrawal and its reason among the provider’s messages', async () => {
    const provider = await portal.staffPage(staffEmail('laEsse', 'ADMIN'));
    await provider.goto(`${web}/ente`);
    await provider.locator(`a[href="/ente/${PROVIDER}/messaggi"]`).click();
    await provider.waitForURL(`${web}/ente/${PROVIDER}/messaggi`);
    // Delivered by the dispatcher (a pass every second): reload until it shows.
    const message = provider
      .getByTestId('provider-messages')
      .locator('article')
      .filter({ hasText: `Offerta ritirata dal Comune: ${TITLE}` });
    for (let i = 0; i < 20 && (await message.count()) === 0; i++) {
      await new Promise((r) => setTimeout(r, 500));
      await provider.reload();
    }
    const text = await message.innerText();
    expect(text).toContain('Motivo: Materiali non conformi al bando');
    const today = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Rome' }).format(new Date());
    expect(text).toContain(`Ricevuto il ${today}`);
    await expectAccessible(provider);
  });
});
