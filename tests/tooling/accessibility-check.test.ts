// The accessibility check the browser tests run on every page they visit (`expectAccessible`)
// must find violations: a page planted with some, and the same page mended; with best practices,
// a page without a main landmark and with a skipped heading level. It runs in axe's legacy mode,
// inside the page (no blank page opened to finish each run).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, launchBrowser, newPage } from '../support/browser.js';

const page = (body: string, main = true) =>
  `<!doctype html><html lang="it"><head><title>Prova</title></head><body>${
    main ? `<main>${body}</main>` : body
  }</body></html>`;

describe('the accessibility check of the browser tests', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('names each planted violation, and finds none once they are mended', async () => {
    const { context, page: tab } = await newPage(browser);
    try {
      await tab.setContent(
        page(`
          <h1>Prova</h1>
          <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
          <p style="color:#bbb;background:#fff">Testo poco leggibile</p>
          <input type="text" name="email">
          <button></button>`),
      );
      const planted = await accessibilityViolations(tab);
      const ids = planted.map((line) => line.split(' ')[0]);
      expect(ids).toEqual(
        expect.arrayContaining(['image-alt', 'color-contrast', 'label', 'button-name']),
      );

      await tab.setContent(
        page(`
          <h1>Prova</h1>
          <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="Logo">
          <p style="color:#333;background:#fff">Testo leggibile</p>
          <label for="email">Email</label><input id="email" type="text" name="email">
          <button>Invia</button>`),
      );
      expect(await accessibilityViolations(tab)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('holds chosen pages to the best practices too: one main landmark, no skipped heading level', async () => {
    const { context, page: tab } = await newPage(browser);
    try {
      const opened: string[] = [];
      context.on('page', (p) => opened.push(p.url()));
      await tab.setContent(
        page(
          `<h1>Prova</h1><ul><li><article><h3>Offerta</h3><p>Testo</p></article></li></ul>`,
          false,
        ),
      );
      // WCAG rules alone pass this page; the best practices do not.
      expect(await accessibilityViolations(tab)).toEqual([]);
      const ids = (await accessibilityViolations(tab, { bestPractices: true })).map(
        (line) => line.split(' ')[0],
      );
      expect(ids).toEqual(expect.arrayContaining(['heading-order', 'landmark-one-main', 'region']));

      await tab.setContent(
        page(`<h1>Prova</h1><h2>Offerte</h2><ul><li><article><h3>Offerta</h3></article></li></ul>`),
      );
      expect(await accessibilityViolations(tab, { bestPractices: true })).toEqual([]);
      // Legacy mode: axe ran inside the page; no blank page was opened to finish a run.
      expect(opened).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
