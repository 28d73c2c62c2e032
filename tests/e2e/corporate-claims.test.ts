import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Book } from '@welfare/kit/book';
import { openOrm, type MikroORM } from '@welfare/kit/orm';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, DEMO_ORG } from '../support/demo.js';
import { openPortal, type Portal } from '../support/portal.js';

/*
 * Reimbursement claims in a browser (issue 16): Mario, made an employee of Officine Rossi with
 * plan credit by this file's seed (plans and funding are built elsewhere: SQL into the
 * corporate_welfare tables, the credit through the kit's Book), files a claim with a receipt;
 * HR approves it; it appears in the month's payroll export. A claim without a receipt is refused.
 */

const EMPLOYER = DEMO_ORG.officineRossi;
const HR = 'hr@officinerossi.demo';
const MARIO = DEMO_CITIZEN.fiscalCode;
const CREDIT = 50_000;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
/** Lucia, Mario's daughter in the test (a valid codice fiscale). */
const CHILD_CF = 'RSSLCU15A41G273F';
const romeMonth = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date()).slice(0, 7);
const romeToday = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date());

describe('corporate welfare reimbursement claims in a browser', () => {
  let portal: Portal;
  let db: pg.Client;
  let orm: MikroORM;
  let planId = '';
  let employeeId = '';
  let claimId = '';
  let mario: Page;

  /** Mario as an employee of Officine Rossi on an ACTIVE plan, with CREDIT cents of credit. */
  async function seed() {
    planId = randomUUID();
    const year = Number(romeToday().slice(0, 4));
    // Mario may already be an employee (the demo data): keep that row and its category.
    await db.query(
      `insert into corporate_welfare.employee (id, employer_id, fiscal_code, given_name, family_name, category_code, start_date)
       values ($1, $2, $3, $4, $5, 'IMPIEGATI', '2020-01-01') on conflict (employer_id, fiscal_code) do nothing`,
      [randomUUID(), EMPLOYER, MARIO, DEMO_CITIZEN.givenName, DEMO_CITIZEN.familyName],
    );
    const { rows } = await db.query<{ id: string; category_code: string }>(
      `select id, category_code from corporate_welfare.employee where employer_id = $1 and fiscal_code = $2`,
      [EMPLOYER, MARIO],
    );
    employeeId = rows[0]!.id;
    await db.query(
      `insert into corporate_welfare.plan (id, employer_id, name, year, valid_from, valid_until, status, purposes, end_rule, created_by,
         regulation_file_name, regulation_content_type, regulation_size_bytes, regulation_sha256, regulation)
       values ($1, $2, 'Piano rimborsi (test)', $3, $4, $5, 'ACTIVE', '{EDUCATION_CHILDCARE,PUBLIC_TRANSPORT}', 'RETURN_TO_EMPLOYER', $6,
         'regolamento.pdf', 'application/pdf', 4, 'x', '\\x25504446'::bytea)`,
      [planId, EMPLOYER, year, `${year}-01-01`, `${year}-12-31`, randomUUID()],
    );
    await db.query(
      `insert into corporate_welfare.plan_category (id, plan_id, code, name, criterion, credit_cents)
       values ($1, $2, $3, 'Categoria di Mario', 'Livello di inquadramento', $4)`,
      [randomUUID(), planId, rows[0]!.category_code, CREDIT],
    );
    const book = new Book('corporate_welfare');
    const em = orm.em.fork();
    const issuer = await book.openAccountId(em, {
      code: `employer:${EMPLOYER}:issuer`,
      kind: 'ISSUER',
      allowNegative: true,
      owner: { kind: 'employer', id: EMPLOYER },
    });
    const credit = await book.openAccountId(em, {
      code: `plan:${planId}:employee:${employeeId}`,
      kind: 'HOLDER',
      owner: { kind: 'employee', id: employeeId, scopeId: planId },
    });
    await book.transfer(em, {
      id: randomUUID(),
      debit: issuer,
      credit,
      amount: CREDIT,
      code: 'CREDIT',
    });
  }

  const claimsOfPlan = async () =>
    Number(
      (
        await db.query<{ n: string }>(
          `select count(*) as n from corporate_welfare.claim where plan_id = $1`,
          [planId],
        )
      ).rows[0]!.n,
    );

  /** Fills the new-claim form (everything but the receipts). */
  async function fillClaim(page: Page) {
    await page.goto(`${portal.web}/welfare-aziendale/rimborsi/nuova`);
    const form = page.getByTestId('cwc-form');
    await form.getByLabel('Piano', { exact: true }).selectOption(planId);
    await form.getByLabel('Tipo di spesa', { exact: true }).selectOption('EDUCATION_CHILDCARE');
    await form.getByLabel('Chi ha usato il servizio', { exact: true }).selectOption('CHILD');
    await form.getByLabel('Nome e cognome di chi ha usato il servizio').fill('Lucia Rossi');
    await form.getByLabel('Codice fiscale di chi ha usato il servizio').fill(CHILD_CF);
    await form.getByLabel('Data della spesa', { exact: true }).fill(romeToday());
    await form.getByLabel('Descrizione della spesa', { exact: true }).fill('Retta del nido');
    await form.getByLabel('Importo in euro', { exact: true }).fill('120,50');
    return form;
  }

  beforeAll(async () => {
    portal = await openPortal();
    db = new pg.Client({ connectionString: portal.platform.databaseUrl });
    await db.connect();
    orm = await openOrm(
      {
        clientUrl: portal.platform.databaseUrl,
        schema: 'corporate_welfare',
        entities: [],
        migrations: [],
        poolMax: 2,
      },
      { migrate: false },
    );
    await seed();
    mario = (await portal.citizenPage(MARIO)).page;
  }, 600_000);

  afterAll(async () => {
    await orm?.close();
    await db?.end();
    await portal?.close();
  });

  it('refuses a claim without a receipt: the field says so, nothing is written', async () => {
    const form = await fillClaim(mario);
    await portal.expectAccessible(mario);
    await form.getByRole('button', { name: 'Invia la richiesta' }).click();
    await mario.getByTestId('error-summary').waitFor();
    expect(await mario.locator('#cwc-receipts-error').textContent()).toContain(
      'Allegare almeno una ricevuta.',
    );
    expect(await mario.locator('#cwc-receipts').getAttribute('aria-invalid')).toBe('true');
    // What was typed is kept.
    expect(await mario.getByLabel('Importo in euro', { exact: true }).inputValue()).toBe('120,50');
    await portal.expectAccessible(mario);
    expect(await claimsOfPlan()).toBe(0);
  });

  it('Mario files a claim with a receipt', async () => {
    const form = await fillClaim(mario);
    await form
      .getByLabel('Ricevute o fatture')
      .setInputFiles({ name: 'retta-nido.pdf', mimeType: 'application/pdf', buffer: PDF });
    await form.getByRole('button', { name: 'Invia la richiesta' }).click();
    await mario.getByTestId('cwc-filed').waitFor();
    claimId = new URL(mario.url()).pathname.split('/').pop()!;
    expect(await mario.getByTestId('cwc-status').getAttribute('data-status')).toBe('SUBMITTED');
    expect(await mario.getByTestId('cwc-receipts').textContent()).toContain('retta-nido.pdf');
    await portal.expectAccessible(mario);
    await mario.goto(`${portal.web}/welfare-aziendale/rimborsi`);
    expect(await mario.getByTestId('cwc-claim-row').count()).toBe(1);
    await portal.expectAccessible(mario);
    expect(await claimsOfPlan()).toBe(1);
  });

  it('HR approves it from the queue, after reading the receipt', async () => {
    const hr = await portal.staffPage(HR);
    await hr.goto(`${portal.web}/azienda/${EMPLOYER}/rimborsi?stato=SUBMITTED`);
    await portal.expectAccessible(hr);
    await hr.getByTestId('cwc-queue').getByRole('link').first().click();
    await hr.waitForURL(`${portal.web}/azienda/${EMPLOYER}/rimborsi/${claimId}`);
    await portal.expectAccessible(hr);
    const receipt = hr.getByTestId('cwc-receipts').getByRole('link').first();
    const answer = await hr.request.get(
      new URL((await receipt.getAttribute('href'))!, portal.web).href,
    );
    expect(answer.status()).toBe(200);
    expect((await answer.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await hr.getByRole('button', { name: 'Approva il rimborso' }).click();
    await hr.getByTestId('cwc-done').waitFor();
    expect(await hr.getByTestId('cwc-status').getAttribute('data-status')).toBe('APPROVED');
    await portal.expectAccessible(hr);
    const { rows } = await db.query<{ status: string }>(
      `select status from corporate_welfare.claim where id = $1`,
      [claimId],
    );
    expect(rows[0]!.status).toBe('APPROVED');
    const credit = await new Book('corporate_welfare').accounts(orm.em.fork(), {
      codes: [`plan:${planId}:employee:${employeeId}`],
    });
    expect(credit[0]!.posted).toBe(CREDIT - 12_050);
  });

  it('the approved claim is in the month’s payroll export (page, CSV); Mario sees it approved', async () => {
    const hr = await portal.staffPage(HR);
    await hr.goto(`${portal.web}/azienda/${EMPLOYER}/cedolino?mese=${romeMonth()}`);
    await portal.expectAccessible(hr);
    const row = hr.getByTestId('cwc-payroll-row').filter({ hasText: MARIO });
    expect(await row.textContent()).toContain('120,50');
    const [download] = await Promise.all([
      hr.waitForEvent('download'),
      hr.getByTestId('cwc-payroll-csv').click(),
    ]);
    const csv = (await readFile(await download.path())).toString('utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const line = csv.split('\r\n').find((l) => l.startsWith(MARIO));
    expect(line?.split(';')[5]).toBe('120,50');
    expect(download.suggestedFilename()).toBe(`cedolino-welfare-${romeMonth()}.csv`);

    await mario.goto(`${portal.web}/welfare-aziendale/rimborsi/${claimId}`);
    expect(await mario.getByTestId('cwc-status').getAttribute('data-status')).toBe('APPROVED');
    await portal.expectAccessible(mario);
  });
});
