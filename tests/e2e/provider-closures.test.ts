// Issue 18, items 4 and 8 in the portal: the provider's ADMIN declares a closure (a bad range
// first: a field error from the API) and the offer's booking form no longer offers those days,
// then removes it (with a confirmation); the shop's OWNER gives each point of sale's coordinates
// when asking to join a measure (a lone latitude: a field error). On the shared platform: La
// Esse's closure is removed at the end (afterAll too), the shop asks to join a campaign of this
// file (published, then closed), under its own business name.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookableDay } from '../support/booking-days.js';
import { closeCampaign, createCampaign } from '../support/campaigns.js';
import { offerTitled } from '../support/checkout.js';
import { DEMO_CITIZEN, DEMO_ORG, DEMO_PASSWORD, demoEmail, staffEmail } from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import { openPortal, type Portal } from '../support/portal.js';

const LA_ESSE = DEMO_ORG.laEsse;
const DA_ROSA = DEMO_ORG.daRosa;
/** A demo offer of La Esse (any would do: a closure covers all of the provider's offers). */
const OFFER = 'Baby sitting a domicilio';
const RUN = randomUUID().slice(0, 8);
const REASON = `Chiusura per inventario ${RUN}`;
const CAMPAIGN_TITLE = `Buoni prova mappa negozi ${RUN}`;
const BUSINESS = `Bottega prova mappa ${RUN}`;

/** The days the booking form lists (its select's values). */
async function listedDays(page: Page): Promise<string[]> {
  return page
    .getByLabel('Giorno del servizio')
    .locator('option')
    .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
}

describe("the provider's closures and the shops' coordinates, in a browser", () => {
  let portal: Portal;
  let web: string;
  let gateway: string;
  let providerToken = '';
  let managerToken = '';
  let offerId = '';
  let campaignId = '';

  async function closuresWithReason(): Promise<{ id: string; startsOn: string; endsOn: string }[]> {
    const answer = await gql<{
      providerClosures: { id: string; startsOn: string; endsOn: string; reason: string }[];
    }>(
      gateway,
      `query($p: ID!) { providerClosures(providerId: $p) { id startsOn endsOn reason } }`,
      {
        p: LA_ESSE,
      },
    );
    return (answer.data?.providerClosures ?? []).filter((c) => c.reason === REASON);
  }

  beforeAll(async () => {
    portal = await openPortal({ shared: true });
    ({ web } = portal);
    gateway = portal.platform.urls.gateway;
    providerToken = (await login(gateway, staffEmail('laEsse', 'ADMIN'), DEMO_PASSWORD)).token;
    managerToken = (await login(gateway, demoEmail('COMUNE', 'MANAGER'), DEMO_PASSWORD)).token;
    offerId = await offerTitled(gateway, providerToken, OFFER);
  });

  afterAll(async () => {
    // Undo what is left of this file's changes, whatever failed.
    if (gateway) {
      for (const closure of await closuresWithReason()) {
        await gql(
          gateway,
          `mutation($id: ID!) { removeProviderClosure(id: $id) }`,
          {
            id: closure.id,
          },
          { token: providerToken },
        );
      }
      if (campaignId) await closeCampaign(gateway, managerToken, campaignId);
    }
    await portal?.close();
  });

  it('the ADMIN declares a closure, the booking form skips its days, then removes it', async () => {
    // Two bookable days some way ahead: the closure covers them (and whatever lies between).
    const first = await bookableDay(gateway, offerId, 6);
    const last = await bookableDay(gateway, offerId, 7);
    const { page: citizen } = await portal.citizenPage(DEMO_CITIZEN.fiscalCode);
    await citizen.goto(`${web}/servizi/${offerId}/prenota`);
    const before = await listedDays(citizen);
    expect(before).toEqual(expect.arrayContaining([first, last]));

    const admin = await portal.staffPage(staffEmail('laEsse', 'ADMIN'));
    await admin.goto(`${web}/ente`);
    await admin.getByTestId('nav-ente-chiusure').click();
    await admin.waitForURL(`${web}/ente/${LA_ESSE}/chiusure`);
    await portal.expectAccessible(admin);

    // The end before the start: the API's field error, nothing written.
    const form = admin.getByTestId('closure-form');
    await form.getByLabel('Primo giorno di chiusura').fill(last);
    await form.getByLabel('Ultimo giorno di chiusura').fill(first);
    await form.getByLabel('Motivo').fill(REASON);
    await admin.getByRole('button', { name: 'Dichiara la chiusura' }).click();
    await admin.getByTestId('error-summary').waitFor();
    await expect(
      admin.getByLabel('Ultimo giorno di chiusura').getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    await expect(admin.locator('#closure-ends-error').innerText()).resolves.toBe(
      'La fine non può precedere l’inizio.',
    );
    await expect(admin.getByLabel('Motivo').inputValue()).resolves.toBe(REASON);
    await expect(closuresWithReason()).resolves.toEqual([]);
    await portal.expectAccessible(admin);

    await admin.getByLabel('Primo giorno di chiusura').fill(first);
    await admin.getByLabel('Ultimo giorno di chiusura').fill(last);
    await admin.getByRole('button', { name: 'Dichiara la chiusura' }).click();
    await admin.waitForURL(/esito=dichiarata/);
    const row = admin.locator(`[data-testid="closure-row"][data-starts="${first}"]`);
    await expect(row.innerText()).resolves.toContain(REASON);
    await portal.expectAccessible(admin);

    // The family's booking form no longer offers those days; the others are still there.
    await citizen.goto(`${web}/servizi/${offerId}/prenota`);
    const during = await listedDays(citizen);
    expect(during).not.toContain(first);
    expect(during).not.toContain(last);
    expect(during).toContain(before[0]);

    // Removing asks first; cancelling keeps it.
    await row.getByTestId('closure-remove').click();
    await admin.getByTestId('closure-confirm').waitFor();
    await portal.expectAccessible(admin);
    await admin.getByTestId('closure-remove-confirm').click();
    await admin.waitForURL(/esito=rimossa/);
    await expect(
      admin.locator(`[data-testid="closure-row"][data-starts="${first}"]`).count(),
    ).resolves.toBe(0);
    await expect(closuresWithReason()).resolves.toEqual([]);
    await citizen.goto(`${web}/servizi/${offerId}/prenota`);
    expect(await listedDays(citizen)).toEqual(expect.arrayContaining([first, last]));
  });

  it('the shop owner gives the coordinates of a point of sale (a lone latitude is an error)', async () => {
    // Spending ends in 90 days (the helper's default).
    campaignId = await createCampaign(gateway, managerToken, {
      title: CAMPAIGN_TITLE,
      description: 'Buoni di prova per i negozi sulla mappa.',
    });

    const owner = await portal.staffPage(demoEmail('MERCHANT', 'OWNER'));
    await owner.goto(`${web}/esercente/${DA_ROSA}/convenzioni`);
    const form = owner.getByTestId('shop-form');
    await form.getByLabel('Misura').selectOption(campaignId);
    await form.getByLabel('Ragione sociale').fill(BUSINESS);
    await form.getByLabel('Partita IVA').fill('12345678903');
    await form.getByLabel('IBAN').fill('IT60X0542811101000000123456');
    await owner.locator('label[for="shop-category-0"]').click();
    await form.getByLabel('Nome del punto vendita 1').fill('Centro');
    await form.getByLabel('Indirizzo del punto vendita 1').fill('Via Roma 1, Balestrate');
    await form.getByLabel('Latitudine del punto vendita 1').fill('38,0507');
    await owner.getByRole('button', { name: 'Invia la richiesta' }).click();
    await owner.getByTestId('error-summary').waitFor();
    const longitude = owner.getByLabel('Longitudine del punto vendita 1');
    await expect(longitude.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(owner.locator('#shop-pos-lon-0-error').innerText()).resolves.toContain(
      'vanno indicate insieme',
    );
    await expect(owner.getByLabel('Latitudine del punto vendita 1').inputValue()).resolves.toBe(
      '38,0507',
    );
    await portal.expectAccessible(owner);

    await longitude.fill('13,0021');
    await owner.getByRole('button', { name: 'Invia la richiesta' }).click();
    await owner.waitForURL(/esito=inviata/);
    const request = owner.getByTestId('shop-request').filter({ hasText: CAMPAIGN_TITLE });
    await expect(request.getAttribute('data-status')).resolves.toBe('PENDING');
    await portal.expectAccessible(owner);

    // The API kept the point of sale's coordinates (for the map once accredited).
    const ownerToken = (await login(gateway, demoEmail('MERCHANT', 'OWNER'), DEMO_PASSWORD)).token;
    const mine = await gql<{
      merchantAccreditations: {
        campaignId: string;
        pointsOfSale: { latitude: number | null; longitude: number | null }[];
      }[];
    }>(
      gateway,
      `query($m: ID!) { merchantAccreditations(merchantId: $m) { campaignId pointsOfSale { latitude longitude } } }`,
      { m: DA_ROSA },
      { token: ownerToken },
    );
    const asked = mine.data?.merchantAccreditations.find((a) => a.campaignId === campaignId);
    expect(asked?.pointsOfSale).toEqual([{ latitude: 38.0507, longitude: 13.0021 }]);
  });
});
