import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Book, deterministicId } from '@welfare/kit/book';
import { openOrm, type MikroORM } from '@welfare/kit/orm';
import { DEMO_CITIZEN, DEMO_ORG, staffEmail } from '../support/demo.js';
import { openPortal, type Portal } from '../support/portal.js';

/** Officine Rossi S.p.A., the demo employer, and its HR. */
const EMPLOYER = DEMO_ORG.officineRossi;
const HR_EMAIL = staffEmail('officineRossi', 'HR');
const MARIO = DEMO_CITIZEN.fiscalCode;
/** Another employee, for HR's grants (Mario's credit stays as seeded). */
const LUCA = 'BNCLCU85M01H501Z';
const PROVIDER = '0b7c2d1e-0000-4000-8000-0000000cce01';

/** This year in Rome: the seeded plan is in force today. */
const YEAR = Number(
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date()).slice(0, 4),
);

/** Euro cents as the Italian pages print them (spaces normalised). */
const euro = (cents: number) =>
  new Intl.NumberFormat('it-IT', { style: 'currency', currency: 'EUR' })
    .format(cents / 100)
    .replace(/\s+/g, ' ');

const text = async (page: Page, selector: string) =>
  ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

describe('corporate welfare: the employee’s credit and the fringe-benefit cap in a browser', () => {
  let portal: Portal;
  let db: pg.Client;
  let orm: MikroORM;
  const planId = randomUUID();
  const planName = `Welfare Officine ${YEAR} (test)`;
  let marioId = '';
  let lucaId = '';

  /**
   * An employee of the demo employer in the OPERAI category (the test plan's as well as the demo
   * plan's): a new one is added; an existing one (Mario, in the demo) is left as the demo made him.
   */
  async function enrol(fiscalCode: string, givenName: string, familyName: string) {
    await db.query(
      `insert into corporate_welfare.employee (id, employer_id, fiscal_code, given_name, family_name, category_code, start_date)
       values ($1, $2, $3, $4, $5, 'OPERAI', '2020-01-01')
       on conflict (employer_id, fiscal_code) do nothing`,
      [randomUUID(), EMPLOYER, fiscalCode, givenName, familyName],
    );
    const { rows } = await db.query<{ id: string; category_code: string }>(
      'select id, category_code from corporate_welfare.employee where employer_id = $1 and fiscal_code = $2',
      [EMPLOYER, fiscalCode],
    );
    expect(rows[0]!.category_code).toBe('OPERAI');
    return rows[0]!.id;
  }

  beforeAll(async () => {
    portal = await openPortal();
    db = new pg.Client({ connectionString: portal.platform.databaseUrl });
    await db.connect();
    // The plan (as the plans module will write it: ACTIVE, with its regulation) and its employees...
    await db.query(
      `insert into corporate_welfare.plan (id, employer_id, name, year, valid_from, valid_until, status, purposes, end_rule, created_by,
         regulation_file_name, regulation_content_type, regulation_size_bytes, regulation_sha256, regulation, funded_at)
       values ($1, $2, $3, $4, $5, $6, 'ACTIVE', '{SERVICES_IN_KIND,FRINGE_BENEFIT}', 'RETURN_TO_EMPLOYER', $7,
         'regolamento.pdf', 'application/pdf', 4, 'test', decode('25504446', 'hex'), now())`,
      [planId, EMPLOYER, planName, YEAR, `${YEAR}-01-01`, `${YEAR}-12-31`, randomUUID()],
    );
    await db.query(
      `insert into corporate_welfare.plan_category (id, plan_id, code, name, criterion, credit_cents)
       values ($1, $2, 'OPERAI', 'Operai', 'Livelli 1-3 del CCNL', 50000)`,
      [randomUUID(), planId],
    );
    marioId = await enrol(MARIO, DEMO_CITIZEN.givenName, DEMO_CITIZEN.familyName);
    lucaId = await enrol(LUCA, 'Luca', 'Bianchi');
    // Their fringe-benefit caps: Mario has a dependent child (as in the demo), 2,000 € a year
    // (warning from 1,600 €); Luca, added with none, 1,000 € (warning from 800 €).
    await db.query('update corporate_welfare.employee set dependent_children = $2 where id = $1', [
      marioId,
      1,
    ]);
    // ...and the money through the kit's book (as the funding module will move it): the employer
    // funds the plan, the pool credits each employee, Mario pays a catalogue service.
    orm = await openOrm(
      {
        clientUrl: portal.platform.databaseUrl,
        schema: 'corporate_welfare',
        entities: [],
        migrations: [],
      },
      { migrate: false },
    );
    const book = new Book('corporate_welfare');
    const em = orm.em.fork();
    const issuer = await book.openAccount(em, {
      code: `employer:${EMPLOYER}:issuer`,
      kind: 'ISSUER',
      allowNegative: true,
      owner: { kind: 'employer', id: EMPLOYER },
    });
    const pool = await book.openAccount(em, {
      code: `plan:${planId}:pool`,
      kind: 'FUND',
      owner: { kind: 'plan', id: planId },
    });
    const provider = await book.openAccount(em, {
      code: `plan:${planId}:provider:${PROVIDER}`,
      kind: 'PROVIDER',
      owner: { kind: 'provider', id: PROVIDER, scopeId: planId },
      hot: true,
    });
    const credit = { [marioId]: 50_000, [lucaId]: 200_000 };
    await book.transfer(em, {
      id: deterministicId('e2e-funding', planId),
      debit: issuer.id,
      credit: pool.id,
      amount: 250_000,
      code: 'FUNDING',
    });
    const accounts: Record<string, string> = {};
    for (const [employeeId, amount] of Object.entries(credit)) {
      const account = await book.openAccount(em, {
        code: `plan:${planId}:employee:${employeeId}`,
        kind: 'HOLDER',
        owner: { kind: 'employee', id: employeeId, scopeId: planId },
      });
      accounts[employeeId] = account.id;
      await book.transfer(em, {
        id: deterministicId('e2e-credit', planId, employeeId),
        debit: pool.id,
        credit: account.id,
        amount,
        code: 'CREDIT',
      });
    }
    await book.transfer(em, {
      id: deterministicId('e2e-service', planId),
      debit: accounts[marioId]!,
      credit: provider.id,
      amount: 12_000,
      code: 'SERVICE_PAYMENT',
    });
  });

  afterAll(async () => {
    await orm?.close();
    await db?.end();
    await portal?.close();
  });

  it('Mario finds his plan from the navigation: credit, balance and movements', async () => {
    const { page } = await portal.citizenPage(MARIO);
    await page.getByTestId('nav-welfare-aziendale').click();
    await page.waitForURL(`${portal.web}/welfare-aziendale`);
    const plan = page.locator(`[data-testid="cwm-plan"][data-plan="${planId}"]`);
    await expect(plan.getByRole('heading', { level: 2 }).textContent()).resolves.toContain(
      planName,
    );
    await expect(plan.getByRole('heading', { level: 2 }).textContent()).resolves.toContain(
      'Officine Rossi',
    );
    const of = (testId: string) => text(page, `[data-plan="${planId}"] [data-testid="${testId}"]`);
    await expect(of('cwm-available')).resolves.toBe(euro(38_000));
    await expect(of('cwm-granted')).resolves.toBe(euro(50_000));
    await expect(of('cwm-end-rule')).resolves.toContain('torna all’azienda');
    const rows = plan.getByTestId('cwm-movement');
    await expect(rows.count()).resolves.toBe(2);
    await expect(rows.nth(0).getAttribute('data-kind')).resolves.toBe('SERVICE_PAYMENT');
    await expect(
      text(page, `[data-plan="${planId}"] [data-testid="cwm-movement-amount"]`),
    ).resolves.toBe(`${euro(-12_000)}`);
    const balances = await plan.getByTestId('cwm-movement-balance').allTextContents();
    expect(balances.map((b) => b.replace(/\s+/g, ' ').trim())).toEqual([
      euro(38_000),
      euro(50_000),
    ]);
    await expect(plan.getByTestId('cwm-fringe').getAttribute('data-level')).resolves.toBe('OK');
    await portal.expectAccessible(page);
  });

  it('HR grants fringe benefits: a warning near the cap, a refusal past it', async () => {
    const page = await portal.staffPage(HR_EMAIL);
    await page.goto(`${portal.web}/azienda/${EMPLOYER}/fringe-benefit`);
    const row = page.locator(`[data-testid="cwm-hr-employee"][data-employee="${lucaId}"]`);
    await expect(row.getAttribute('data-level')).resolves.toBe('OK');
    await portal.expectAccessible(page);

    const grant = async (amount: string) => {
      const form = page.getByTestId('cwm-grant-form');
      await form.getByLabel('Dipendente').selectOption(lucaId);
      await form.getByLabel('Piano').selectOption(planId);
      await form.getByLabel('Importo in euro').fill(amount);
      await form.getByLabel('Descrizione').fill('Buoni carburante');
      await form.getByRole('button', { name: 'Concedi' }).click();
      await page.waitForLoadState('load');
    };

    // 850 € of a 1,000 € cap (2025-2027, no dependent children): granted, with the warning.
    await grant('850,00');
    await expect(text(page, '[data-testid="cwm-hr-notice"]')).resolves.toBe(
      'Fringe benefit concesso.',
    );
    await expect(text(page, '[data-testid="cwm-hr-warning"]')).resolves.toContain(
      'intero importo diventerebbe imponibile',
    );
    await expect(row.getAttribute('data-level')).resolves.toBe('WARNING');
    await expect(
      text(page, `[data-employee="${lucaId}"] [data-testid="cwm-hr-total"]`),
    ).resolves.toBe(euro(85_000));
    await portal.expectAccessible(page);

    // 200 € more would cross the cap: refused, nothing granted.
    await grant('200,00');
    const summary = await text(page, '[data-testid="error-summary"]');
    expect(summary).toContain('l’intero importo dei fringe benefit diventerebbe imponibile');
    expect(summary).toContain(euro(15_000));
    await expect(page.locator('#grant-amount').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(
      text(page, `[data-employee="${lucaId}"] [data-testid="cwm-hr-total"]`),
    ).resolves.toBe(euro(85_000));
    await portal.expectAccessible(page);
    const { rows } = await db.query<{ n: string }>(
      `select count(*)::text as n from corporate_welfare.fringe_benefit where employee_id = $1`,
      [lucaId],
    );
    expect(rows[0]!.n).toBe('1');
  });

  it('HR declares an outside fringe benefit of Mario’s; Mario sees the warning', async () => {
    const page = await portal.staffPage(HR_EMAIL);
    await page.goto(`${portal.web}/azienda/${EMPLOYER}/fringe-benefit`);
    const form = page.getByTestId('cwm-declare-form');
    // Nothing typed: field errors, nothing recorded.
    await form.getByRole('button', { name: 'Dichiara' }).click();
    await page.waitForLoadState('load');
    await expect(page.getByTestId('error-summary').count()).resolves.toBe(1);
    await expect(page.locator('#declare-amount').getAttribute('aria-invalid')).resolves.toBe(
      'true',
    );
    await portal.expectAccessible(page);
    await form.getByLabel('Dipendente').selectOption(marioId);
    // 1,700 € of his 2,000 € cap (a dependent child): past the warning threshold, within the cap.
    await form.getByLabel('Importo in euro').fill('1700');
    await form.getByLabel('Descrizione').fill('Auto aziendale ad uso promiscuo');
    await form.getByRole('button', { name: 'Dichiara' }).click();
    await page.waitForLoadState('load');
    await expect(text(page, '[data-testid="cwm-hr-notice"]')).resolves.toBe(
      'Fringe benefit dichiarato.',
    );
    await expect(
      page
        .locator(`[data-testid="cwm-hr-employee"][data-employee="${marioId}"]`)
        .getAttribute('data-level'),
    ).resolves.toBe('WARNING');

    const { page: mario } = await portal.citizenPage(MARIO);
    await mario.goto(`${portal.web}/welfare-aziendale`);
    const fringe = mario.locator(`[data-plan="${planId}"] [data-testid="cwm-fringe"]`);
    await expect(fringe.getAttribute('data-level')).resolves.toBe('WARNING');
    await expect(
      text(mario, `[data-plan="${planId}"] [data-testid="cwm-fringe-warning"]`),
    ).resolves.toContain('l’intero importo diventa imponibile');
    await expect(
      text(mario, `[data-plan="${planId}"] [data-testid="cwm-fringe-total"]`),
    ).resolves.toBe(euro(170_000));
    await portal.expectAccessible(mario);
  });

  it('HR’s dashboard shows the plan’s money by purpose, from the book', async () => {
    const page = await portal.staffPage(HR_EMAIL);
    await page.goto(`${portal.web}/azienda/${EMPLOYER}/cruscotto`);
    const of = (key: string) =>
      text(
        page,
        `[data-testid="cwm-dash-plan"][data-plan="${planId}"] [data-testid="cwm-dash-${key}"]`,
      );
    await expect(of('fundedCents')).resolves.toBe(euro(250_000));
    await expect(of('creditedCents')).resolves.toBe(euro(250_000));
    await expect(of('servicesCents')).resolves.toBe(euro(12_000));
    await expect(of('fringeBenefitsCents')).resolves.toBe(euro(85_000));
    await expect(of('balanceCents')).resolves.toBe(euro(250_000 - 12_000 - 85_000));
    // Luca (850 € of 1,000 €) and Mario (1,700 € of 2,000 €); no other demo employee has any.
    expect(Number(await text(page, '[data-testid="cwm-dash-warnings"]'))).toBe(2);
    await portal.expectAccessible(page);
  });
});
