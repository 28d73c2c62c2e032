// The pages an Italian public service must have (privacy notices per role, the accessibility
// statement in AgID's model, legal notes, contacts, help), at stable Italian addresses, in both
// languages, axe clean with the best practices too; and the footer linking to all of them on
// pages of every area, the error pages included (the static one of a refused download too).
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, DEMO_COMUNE_ID, DEMO_ORG, demoEmail } from '../support/demo.js';
import { openPortal, type Portal } from '../support/portal.js';

/** Every required page, as the footer lists them. */
const REQUIRED_PAGES = [
  '/privacy',
  '/privacy/cittadini',
  '/privacy/personale-comune',
  '/privacy/esercenti',
  '/privacy/enti',
  '/privacy/aziende',
  '/aiuto',
  '/aiuto/cittadini',
  '/aiuto/esercenti',
  '/aiuto/enti',
  '/aiuto/comuni',
  '/accessibilita',
  '/note-legali',
  '/contatti',
];

/** The footer's links to the required pages (its labelled navigation landmark), in order. */
async function footerLinks(page: Page): Promise<string[]> {
  const nav = page.locator('footer nav[data-testid="footer-legal"]');
  expect(await nav.count(), `footer navigation on ${page.url()}`).toBe(1);
  const label =
    (await page.getAttribute('html', 'lang')) === 'en'
      ? 'Legal information and help'
      : 'Informazioni legali e aiuto';
  expect(await nav.getAttribute('aria-label')).toBe(label);
  return nav.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
}

describe('the required pages', () => {
  let portal: Portal;

  beforeAll(async () => {
    // Static pages only: the worker's shared platform (support/shared-platform.ts).
    portal = await openPortal({ shared: true });
  });
  afterAll(async () => {
    await portal?.close();
  });

  // About 30 pages each, each with an axe run: minutes on a loaded 2-core machine.
  it.each(['it', 'en'] as const)(
    'are at their Italian addresses (language %s), each axe clean and with the footer',
    async (lang) => {
      const { web } = portal;
      const page = await portal.page();
      await page.context().addCookies([{ name: 'lang', value: lang, url: web }]);
      const titles = new Set<string>();
      for (const path of REQUIRED_PAGES) {
        const response = await page.goto(`${web}${path}`);
        expect(response?.status(), path).toBe(200);
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        expect(await page.locator('main h1').count(), path).toBe(1);
        titles.add((await page.locator('main h1').textContent())?.trim() ?? '');
        expect(await footerLinks(page)).toEqual(REQUIRED_PAGES);
        await portal.expectAccessible(page, { bestPractices: true });
      }
      // One page per address, each with its own title.
      expect(titles.size).toBe(REQUIRED_PAGES.length);
    },
    240_000,
  );

  it('say what the law asks of them, with the controller from the configuration', async () => {
    const { web } = portal;
    const page = await portal.page();

    // The citizens' notice (GDPR art. 13): controller, DPO, purposes with legal bases (the public
    // task), special categories, recipients, retention with its source, rights, the Garante.
    await page.goto(`${web}/privacy/cittadini`);
    const notice = (await page.getByTestId('privacy-notice').textContent()) ?? '';
    for (const fact of [
      'Comune di Balestrate',
      'protocollo@pec.balestrate.demo',
      'dpo@balestrate.demo',
      'art. 6, par. 1, lett. e',
      'art. 9, par. 2, lett. g',
      'responsabile del trattamento (art. 28 GDPR)',
      '10 anni',
      'art. 2946 c.c.',
      'art. 15',
      'art. 21',
      'Garante per la protezione dei dati personali',
      'Non ti chiediamo un consenso',
    ]) {
      expect(notice, fact).toContain(fact);
    }
    await expect(page.getByTestId('privacy-purposes').locator('tbody tr').count()).resolves.toBe(6);
    expect(await page.getByTestId('privacy-notice-version').getAttribute('data-version')).toMatch(
      /^\d{4}-\d{2}-\d{2}$/,
    );
    // Each role's notice names its own purposes; the employer's names the employer as controller
    // of its employees' data.
    await page.goto(`${web}/privacy/aziende`);
    await expect(page.getByTestId('privacy-notice').textContent()).resolves.toContain(
      'titolare è l’azienda',
    );
    await page.goto(`${web}/privacy/personale-comune`);
    await expect(page.getByTestId('privacy-notice').textContent()).resolves.toContain(
      'L. 300/1970',
    );

    // The accessibility statement in AgID's model: conformance, known issues, how and when it was
    // prepared, the feedback channel, the enforcement procedure.
    await page.goto(`${web}/accessibilita`);
    const statement = (await page.getByTestId('accessibility-statement').textContent()) ?? '';
    expect(statement).toContain('parzialmente conforme');
    expect(statement).toContain('EN 301549');
    expect(statement).toContain('WCAG 2.1');
    expect(statement).toContain('autovalutazione');
    await expect(
      page.getByTestId('accessibility-known-issues').locator('li').count(),
    ).resolves.toBe(2);
    expect(await page.getByTestId('accessibility-feedback').getAttribute('href')).toMatch(
      /^mailto:accessibilita@balestrate\.demo\?subject=/,
    );
    expect(await page.getByTestId('accessibility-agid').getAttribute('href')).toMatch(
      /^https:\/\/www\.agid\.gov\.it\//,
    );

    // Legal notes: the software's licence and the content's.
    await page.goto(`${web}/note-legali`);
    const legal = (await page.getByTestId('legal-notes').textContent()) ?? '';
    expect(legal).toContain('EUPL-1.2');
    expect(legal).toContain('CC BY 4.0');

    // Help: the steps link to the pages where they begin.
    for (const [area, start] of [
      ['cittadini', '/misure'],
      ['esercenti', '/esercente'],
      ['enti', '/ente'],
      ['comuni', '/comune'],
    ] as const) {
      await page.goto(`${web}/aiuto/${area}`);
      expect(await page.getByTestId('help-start').getAttribute('href')).toBe(start);
      expect(await page.getByTestId('help-guide').locator('ol li').count()).toBeGreaterThan(4);
    }
    // An address that is no required page is the 404 page.
    expect((await page.goto(`${web}/privacy/sconosciuti`))?.status()).toBe(404);
  });

  it('are linked from the footer of every area, the error pages and the till included', async () => {
    const { web } = portal;
    const visit = async (page: Page, path: string, status = 200) => {
      const response = await page.goto(`${web}${path}`);
      expect(response?.status(), path).toBe(status);
      expect(await footerLinks(page), path).toEqual(REQUIRED_PAGES);
    };

    const anonymous = await portal.page();
    for (const path of ['/', '/servizi', '/misure', '/accedi']) await visit(anonymous, path);
    await visit(anonymous, '/pagina-che-non-esiste', 404);

    const { page: citizen } = await portal.citizenPage(DEMO_CITIZEN.fiscalCode);
    for (const path of ['/profilo', '/domande', '/carta', '/prenotazioni']) {
      await visit(citizen, path);
    }

    const operator = await portal.staffPage(demoEmail('COMUNE', 'OPERATOR'));
    for (const path of ['/comune', `/comune/${DEMO_COMUNE_ID}/domande`]) {
      await visit(operator, path);
    }

    const cashier = await portal.staffPage(demoEmail('MERCHANT', 'CASHIER'));
    await visit(cashier, '/esercente');
    await visit(cashier, `/esercente/${DEMO_ORG.daRosa}/cassa`);
    // The Comune's pages are refused: the error page has the footer too.
    await visit(cashier, `/comune/${DEMO_COMUNE_ID}/rimborsi`, 403);
    // A refused download is SvelteKit's static error page (an endpoint's error): it has a main
    // landmark, everything inside landmarks, and the same footer.
    await visit(cashier, `/comune/${DEMO_COMUNE_ID}/rimborsi/${randomUUID()}/sepa.xml`, 403);
    await expect(cashier.getByTestId('error-page').getAttribute('data-status')).resolves.toBe(
      '403',
    );
    await portal.expectAccessible(cashier, { bestPractices: true });

    await visit(await portal.staffPage(demoEmail('COOPERATIVE', 'ADMIN')), '/ente');
    await visit(await portal.staffPage(demoEmail('EMPLOYER')), '/azienda');
    await visit(await portal.staffPage(demoEmail('ADMIN')), '/admin');
  }, 240_000);
});
