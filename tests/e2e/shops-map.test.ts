// Issue 18, items 5 and 8: the public list of shops where a measure's card can be spent (per
// measure and per Comune, linked from the card page and the measure page) and the map beside the
// lists (shops, catalogue). The platform runs without tiles (MAP_TILE_URL=none): the markers stand
// on a plain background. On the shared platform: it only reads the demo's fixed facts (Alimentari
// Da Rosa accredited for the spending campaign, La Esse's offers with coordinates).
import { DEMO_CARD_HOLDER } from '@welfare/public-welfare/demo';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMUNE_ID, DEMO_SPENDING_CAMPAIGN_ID } from '../support/demo.js';
import { openPortal, type Portal } from '../support/portal.js';

describe('the shops where a card can be spent, and the maps, in a browser', () => {
  let portal: Portal;
  let web: string;

  beforeAll(async () => {
    portal = await openPortal({ shared: true });
    ({ web } = portal);
  });
  afterAll(async () => {
    await portal?.close();
  });

  /** Opens the page's map disclosure; resolves with its markers' accessible names. */
  async function openMap(page: Page, testid: string): Promise<string[]> {
    await page.getByTestId(testid).locator('summary').click();
    const markers = page.getByTestId(`${testid}-marker`);
    await markers.first().waitFor();
    expect(await page.getByTestId(`${testid}-canvas`).getAttribute('data-tiles')).toBe('off');
    return markers.evaluateAll((all) => all.map((m) => m.getAttribute('aria-label') ?? ''));
  }

  it('leads the card holder from the card page to the shops of the measure, with a map', async () => {
    const { page } = await portal.citizenPage(DEMO_CARD_HOLDER);
    await page.goto(`${web}/carta`);
    await portal.expectAccessible(page);
    await page
      .locator(`[data-testid="balance"][data-campaign="${DEMO_SPENDING_CAMPAIGN_ID}"]`)
      .getByTestId('balance-shops-link')
      .click();
    await page.waitForURL(`${web}/misure/${DEMO_SPENDING_CAMPAIGN_ID}/negozi`);
    const shop = page.getByTestId('shop').filter({ hasText: 'Alimentari Da Rosa' });
    await expect(shop.count()).resolves.toBe(1);
    expect(await shop.getByTestId('shop-point').textContent()).toContain(
      'Via Roma 1, 90041 Balestrate',
    );
    expect(await shop.getByRole('link').first().getAttribute('href')).toMatch(
      /^https:\/\/www\.openstreetmap\.org\/\?mlat=38\.\d+&mlon=13\.\d+/,
    );
    // No private fact of the shop on a public page.
    expect(await page.locator('main').textContent()).not.toMatch(/IT60|12345678903/);

    const markers = await openMap(page, 'shops-map');
    expect(markers).toContain('Alimentari Da Rosa – Centro');
    // The keyboard reaches the marker; Enter opens its popup with the address.
    const marker = page.getByTestId('shops-map-marker').first();
    await marker.focus();
    await page.keyboard.press('Enter');
    const popup = page.locator('.leaflet-popup-content');
    await popup.waitFor();
    expect(await popup.textContent()).toContain('Via Roma 1, 90041 Balestrate');
    await portal.expectAccessible(page);
  });

  it('lists every shop of the Comune, to anyone, from the measure page', async () => {
    const page = await portal.page();
    await page.goto(`${web}/misure/${DEMO_SPENDING_CAMPAIGN_ID}`);
    await page.getByTestId('measure-shops-link').click();
    await page.waitForURL(`${web}/misure/${DEMO_SPENDING_CAMPAIGN_ID}/negozi`);
    await page.getByTestId('shops-comune-link').click();
    await page.waitForURL(`${web}/negozi/${DEMO_COMUNE_ID}`);
    const shop = page.getByTestId('shop').filter({ hasText: 'Alimentari Da Rosa' });
    await expect(shop.count()).resolves.toBe(1);
    expect(await shop.locator(`a[href$="/misure/${DEMO_SPENDING_CAMPAIGN_ID}"]`).count()).toBe(1);
    await portal.expectAccessible(page);
  });

  it("shows the catalogue's offers on a map below the list", async () => {
    const page = await portal.page();
    await page.goto(`${web}/servizi`);
    const markers = await openMap(page, 'catalogue-map');
    expect(markers.some((name) => name.length > 0)).toBe(true);
    await portal.expectAccessible(page);
  });
});
