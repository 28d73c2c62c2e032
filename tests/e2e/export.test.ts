import { readFile } from 'node:fs/promises';
import { partitaIvaCheckDigit } from '@welfare/kit/pii';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, launchBrowser, newPage } from '../support/browser.js';
import { DEMO_COMUNE_ID, DEMO_PASSWORD, demoEmail } from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import { logInStaff } from '../support/login.js';
import type { TestPlatform } from '../support/platform.js';
import { sharedTestPlatform } from '../support/shared-platform.js';

const EXPORT_HEADER = 'codice_famiglia;indirizzo;componenti;residente;isee;tipo_isee';
const OTHER_OPERATOR = {
  email: 'operatore@altro-comune-export.demo',
  password: 'password-export-e2e-2026',
};

interface ErrorBody {
  errors: Array<{ extensions: { code: string; requestId?: string } }>;
}

/** A downloaded CSV: its BOM, header row and data rows (Italian Excel: `;`, CRLF). */
async function readCsv(
  download: Download,
): Promise<{ bom: boolean; header: string; rows: string[][] }> {
  const text = await readFile(await download.path(), 'utf8');
  const bom = text.startsWith('\ufeff');
  const lines = text.replace(/^\ufeff/, '').split('\r\n');
  expect(lines.at(-1), 'the file ends with CRLF').toBe('');
  const [header = '', ...rows] = lines.slice(0, -1);
  return { bom, header, rows: rows.map((line) => line.split(';')) };
}

/** `12345,67` (the export's amounts) as cents. */
const cents = (amount: string) => Math.round(Number(amount.replace(',', '.')) * 100);

describe('CSV export of the registry in a browser', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let web: string;
  let gatewayOrigin: string;
  let otherComune: string;
  let otherSession: string;

  /** A Comune created by the platform admin, with an operator who accepted the invitation. */
  async function createOtherComune(): Promise<{ id: string; session: string }> {
    const admin = await login(platform.urls.gateway, demoEmail('ADMIN'), DEMO_PASSWORD);
    const taxCode = `0087654321${partitaIvaCheckDigit('0087654321')}`;
    const created = await gql<{ createOrganisation: { id: string } }>(
      platform.urls.gateway,
      `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`,
      { input: { kind: 'COMUNE', name: 'Comune di Esportazione', taxCode, city: 'Prova' } },
      { token: admin.token },
    );
    const id = created.data?.createOrganisation.id;
    expect(id, JSON.stringify(created.errors)).toBeTruthy();
    const invited = await gql<{ inviteMember: { token: string } }>(
      platform.urls.gateway,
      `mutation($input: InviteMemberInput!) { inviteMember(input: $input) { token } }`,
      {
        input: {
          organisationId: id,
          email: OTHER_OPERATOR.email,
          givenName: 'Elio',
          familyName: 'Esportazione',
          role: 'OPERATOR',
        },
      },
      { token: admin.token },
    );
    const token = invited.data?.inviteMember.token;
    expect(token, JSON.stringify(invited.errors)).toBeTruthy();
    const accepted = await gql<{ acceptInvitation: { token: string } }>(
      platform.urls.gateway,
      `mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { token } }`,
      { input: { token, password: OTHER_OPERATOR.password } },
    );
    expect(accepted.errors).toBeUndefined();
    return { id: id!, session: accepted.data!.acceptInvitation.token };
  }

  beforeAll(async () => {
    // Reads the demo registry and exports it, its other Comune its own: the worker's shared
    // platform (support/shared-platform.ts).
    platform = await sharedTestPlatform();
    web = platform.urls.web;
    gatewayOrigin = new URL(platform.urls.gateway).origin;
    browser = await launchBrowser();
    ({ id: otherComune, session: otherSession } = await createOtherComune());
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  async function expectAccessible(page: Page): Promise<void> {
    expect(await accessibilityViolations(page), `axe on ${page.url()}`).toEqual([]);
  }

  async function staffLogin(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
    await logInStaff(page, web, email, { password });
  }

  /** The number in `households-count` ("57 nuclei"). */
  async function householdsCount(page: Page): Promise<number> {
    const text = (await page.getByTestId('households-count').textContent()) ?? '';
    const digits = /(\d[\d.]*)/.exec(text)?.[1]?.replace(/\./g, '');
    expect(digits, `households-count: ${text}`).toBeTruthy();
    return Number(digits);
  }

  it('downloads the filtered households as CSV, as many rows as the page counts', async () => {
    const { context, page } = await newPage(browser);
    try {
      await staffLogin(page, demoEmail('COMUNE', 'OPERATOR'));
      await page.goto(`${web}/comune/${DEMO_COMUNE_ID}/anagrafe`);
      const all = await householdsCount(page);

      const filter = page.getByTestId('households-filter');
      await filter.getByLabel(/^ISEE massimo/).fill('10.000');
      await filter.getByRole('button', { name: 'Applica i filtri' }).click();
      await page.waitForURL(/iseeMax=10\.000/);
      const filtered = await householdsCount(page);
      expect(filtered).toBeGreaterThan(0);
      expect(filtered).toBeLessThan(all);
      await expectAccessible(page);

      const link = page.getByTestId('export-csv');
      await expect(link.textContent()).resolves.toContain('Scarica CSV');
      await expect(link.getAttribute('href')).resolves.toBe(
        `/comune/${DEMO_COMUNE_ID}/anagrafe/esporta?iseeMax=10.000`,
      );
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      expect(download.suggestedFilename()).toBe('nuclei.csv');
      const csv = await readCsv(download);
      expect(csv.bom).toBe(true);
      expect(csv.header).toBe(EXPORT_HEADER);
      expect(csv.rows).toHaveLength(filtered);
      for (const row of csv.rows) {
        expect(row).toHaveLength(6);
        // The filter reached the export: every ISEE is at most 10.000,00 euro.
        expect(row[4], row.join(';')).toMatch(/^\d+,\d{2}$/);
        expect(cents(row[4]!)).toBeLessThanOrEqual(10_000_00);
      }
      // The page is still the registry: a download does not navigate.
      expect(page.url()).toContain(`/comune/${DEMO_COMUNE_ID}/anagrafe?iseeMax=10.000`);

      // Without filters: the whole registry.
      await page.goto(`${web}/comune/${DEMO_COMUNE_ID}/anagrafe`);
      const [everything] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('export-csv').click(),
      ]);
      expect((await readCsv(everything)).rows).toHaveLength(all);
    } finally {
      await context.close();
    }
  });

  it("downloads a saved segment's households from the segment list", async () => {
    const { context, page } = await newPage(browser);
    try {
      await staffLogin(page, demoEmail('COMUNE', 'MANAGER'));
      await page.goto(`${web}/comune/${DEMO_COMUNE_ID}/anagrafe?minSize=3&hasMinors=true`);
      const count = await householdsCount(page);
      expect(count).toBeGreaterThan(0);
      const form = page.getByTestId('segment-form');
      await form.getByLabel('Nome del segmento').fill('Famiglie con minori');
      await form.getByRole('button', { name: 'Salva come segmento' }).click();
      await page.waitForURL(/hasMinors=true$/);

      // From the list without filters: the segment's link carries the segment's filter.
      await page.goto(`${web}/comune/${DEMO_COMUNE_ID}/anagrafe`);
      const row = page.getByTestId('segment-row').filter({ hasText: 'Famiglie con minori' });
      const link = row.getByTestId('segment-export');
      await expect(link.getAttribute('aria-label')).resolves.toBe(
        'Scarica CSV del segmento Famiglie con minori',
      );
      await expectAccessible(page);
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      const csv = await readCsv(download);
      expect(csv.header).toBe(EXPORT_HEADER);
      expect(csv.rows).toHaveLength(count);
      for (const fields of csv.rows) expect(Number(fields[2])).toBeGreaterThanOrEqual(3);
    } finally {
      await context.close();
    }
  });

  it('sends an anonymous visitor to the login page and gives them no file', async () => {
    const exportPath = `/comune/${DEMO_COMUNE_ID}/anagrafe/esporta?iseeMax=10.000`;
    const { context, page } = await newPage(browser);
    try {
      const direct = await context.request.get(`${web}${exportPath}`, { maxRedirects: 0 });
      expect(direct.status()).toBe(303);
      expect(direct.headers().location).toBe(
        `/accedi?redirectTo=${encodeURIComponent(exportPath)}`,
      );
      expect(direct.headers()['content-type'] ?? '').not.toContain('text/csv');

      const response = await page.goto(`${web}${exportPath}`);
      expect(response?.status()).toBe(200);
      expect(page.url()).toContain('/accedi?redirectTo=');
      await expect(page.getByLabel('Email').isVisible()).resolves.toBe(true);
    } finally {
      await context.close();
    }

    // Nor through the gateway.
    const gateway = await fetch(
      `${gatewayOrigin}/downloads/public-welfare/exports/households.csv?comuneId=${DEMO_COMUNE_ID}`,
    );
    expect(gateway.status).toBe(401);
    expect(((await gateway.json()) as ErrorBody).errors[0]?.extensions.code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it("refuses another Comune's operator, who can export their own Comune", async () => {
    const { context, page } = await newPage(browser);
    try {
      await staffLogin(page, OTHER_OPERATOR.email, OTHER_OPERATOR.password);
      const foreign = `${web}/comune/${DEMO_COMUNE_ID}/anagrafe/esporta`;
      const direct = await context.request.get(foreign, { maxRedirects: 0 });
      expect(direct.status()).toBe(303);
      expect(direct.headers()['content-type'] ?? '').not.toContain('text/csv');
      const response = await page.goto(foreign);
      expect(response?.status()).toBe(403);
      await expect(page.getByTestId('error-page').isVisible()).resolves.toBe(true);
      await expectAccessible(page);

      // Their own Comune: an empty registry, so a file with the header only.
      const own = await context.request.get(`${web}/comune/${otherComune}/anagrafe/esporta`);
      expect(own.status()).toBe(200);
      expect(own.headers()['content-type']).toBe('text/csv; charset=utf-8');
      expect(own.headers()['cache-control']).toBe('no-store');
      expect(await own.text()).toBe(`\ufeff${EXPORT_HEADER}\r\n`);
    } finally {
      await context.close();
    }

    // The gateway and the subgraph refuse them too, whatever the portal does.
    const gateway = await fetch(
      `${gatewayOrigin}/downloads/public-welfare/exports/households.csv?comuneId=${DEMO_COMUNE_ID}`,
      { headers: { authorization: `Bearer ${otherSession}` } },
    );
    expect(gateway.status).toBe(403);
    const body = (await gateway.json()) as ErrorBody;
    expect(body.errors[0]?.extensions.code).toBe('FORBIDDEN');
    expect(body.errors[0]?.extensions.requestId).toBeTruthy();
  });
});
