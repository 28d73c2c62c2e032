// Issue 16 item 6, performance bonus conversion in the portal: an employee of Officine Rossi
// compares net cash against welfare credit computed from the year's configured rates, sees field
// errors for what the law does not relieve, asks for the conversion; HR sees the request, is told
// a rejection needs a reason, confirms it; the employee sees it confirmed and the book holds
// exactly the converted amount in their credit. axe on every page.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG, staffEmail } from '../support/demo.js';
import { beneficiaryFiscalCode } from '../support/money.js';
import { openPortal, type Portal } from '../support/portal.js';

const EMPLOYER = DEMO_ORG.officineRossi;
/** An employee of this file's own (no demo employee is touched). */
const FISCAL_CODE = beneficiaryFiscalCode(2_716_001);
const PLAN = randomUUID();
const EMPLOYEE = randomUUID();
const YEAR = Number(
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric' }).format(new Date()),
);
/** This year's rates, whatever year the test runs in (2026's law: 1% up to 5,000 euro). */
const FIGURES = {
  fringeBenefitCaps: [
    {
      fromYear: YEAR,
      toYear: YEAR,
      capCents: 100_000,
      withChildrenCapCents: 200_000,
      source: 'test',
    },
  ],
  fringeBenefitPermanentCap: { capCents: 25_823, source: 'test' },
  fringeBenefitWarningBasisPoints: 8_000,
  bonusTaxes: [
    {
      fromYear: YEAR,
      toYear: YEAR,
      substituteTaxBasisPoints: 100,
      maxBonusCents: 500_000,
      maxPriorIncomeCents: 8_000_000,
      source: 'aliquote di prova',
    },
  ],
  employeeContributionBasisPoints: { rate: 919, source: 'IVS 9,19%' },
};

describe('performance bonus conversion in the portal', () => {
  let portal: Portal;
  let web: string;
  let db: pg.Client;
  let employee: Page;

  beforeAll(async () => {
    portal = await openPortal({
      subgraphEnv: { 'corporate-welfare': { WELFARE_LEGAL_FIGURES: JSON.stringify(FIGURES) } },
    });
    web = portal.web;
    db = new pg.Client({ connectionString: portal.platform.databaseUrl });
    await db.connect();
    // The plan and the enrolment, as HR's plan editor and import leave them.
    await db.query(
      `insert into corporate_welfare.plan (id, employer_id, name, year, valid_from, valid_until, status, purposes, end_rule, bonus_conversion, regulation_file_name, regulation_content_type, regulation_size_bytes, regulation_sha256, regulation, created_by, funded_at)
       values ($1, $2, 'Piano premi di prova', $3, $4, $5, 'ACTIVE', '{SERVICES_IN_KIND}', 'RETURN_TO_EMPLOYER', true, 'regolamento.pdf', 'application/pdf', 5, 'x', '\\x255044462d'::bytea, $6, now())`,
      [PLAN, EMPLOYER, YEAR, `${YEAR}-01-01`, `${YEAR}-12-31`, randomUUID()],
    );
    await db.query(
      `insert into corporate_welfare.employee (id, employer_id, fiscal_code, given_name, family_name, category_code, start_date)
       values ($1, $2, $3, 'Ugo', 'Premiato', 'OPERAI', '2020-01-01')`,
      [EMPLOYEE, EMPLOYER, FISCAL_CODE],
    );
  });
  afterAll(async () => {
    await db?.end();
    await portal?.close();
  });

  const bonusPage = () => `${web}/welfare-aziendale/premio`;
  /** The balances (posted) of the employer's issuer and the employee's credit, by account code. */
  const balances = async () => {
    const { rows } = await db.query<{ code: string; balance: string }>(
      `select code, (credits_posted - debits_posted)::text as balance
         from corporate_welfare.book_account where code = any($1::text[])`,
      [[`employer:${EMPLOYER}:issuer`, `plan:${PLAN}:employee:${EMPLOYEE}`]],
    );
    return new Map(rows.map((r) => [r.code, Number(r.balance)]));
  };

  it('the employee compares cash and credit, is refused what the law does not relieve, and asks', async () => {
    ({ page: employee } = await portal.citizenPage(FISCAL_CODE));
    await employee.goto(bonusPage());
    await portal.expectAccessible(employee);
    await expect(employee.getByTestId('bonus-mine-none').isVisible()).resolves.toBe(true);

    // Over the year's limits: the fields say why, nothing is asked. (The demo plan of Officine
    // Rossi allows conversion too: the employee chooses this file's plan.)
    await employee
      .getByLabel('Piano welfare')
      .selectOption({ label: `Piano premi di prova (${YEAR})` });
    await employee.getByLabel('Premio di risultato (euro)').fill('6.000,00');
    await employee.getByLabel('Parte da convertire in welfare (euro)').fill('500');
    await employee
      .getByLabel('Reddito da lavoro dipendente dell’anno precedente (euro)')
      .fill('90.000');
    await employee.getByTestId('bonus-quote').click();
    await employee.getByTestId('error-summary').waitFor();
    const summary = await employee.getByTestId('error-summary').innerText();
    expect(summary).toContain('Premio di risultato (euro)');
    expect(summary).toContain('Reddito da lavoro dipendente');
    await expect(
      employee.getByLabel('Premio di risultato (euro)').getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    await expect(employee.getByTestId('bonus-request').count()).resolves.toBe(0);
    await portal.expectAccessible(employee);

    // Within them: the comparison, then the request.
    await employee.getByLabel('Premio di risultato (euro)').fill('2.000,00');
    await employee
      .getByLabel('Reddito da lavoro dipendente dell’anno precedente (euro)')
      .fill('35.000');
    await employee.getByTestId('bonus-quote').click();
    await employee.getByTestId('bonus-comparison').waitFor();
    // All cash: 2,000.00 - 183.80 contributions - 18.16 tax = 1,798.04; converting 500.00: 50.49 more.
    await expect(employee.getByTestId('bonus-all-cash-net').innerText()).resolves.toContain(
      '1798,04',
    );
    await expect(employee.getByTestId('bonus-credit').innerText()).resolves.toContain('500,00');
    await expect(employee.getByTestId('bonus-gain').innerText()).resolves.toContain('50,49');
    await portal.expectAccessible(employee);
    await employee.getByTestId('bonus-request').click();
    await employee.getByTestId('bonus-sent').waitFor();
    await expect(
      employee.locator('[data-testid="bonus-mine"] tr[data-status="REQUESTED"]').count(),
    ).resolves.toBe(1);
    const rows = await db.query<{ status: string; converted_cents: string }>(
      `select status, converted_cents from corporate_welfare.bonus_conversion where employee_id = $1`,
      [EMPLOYEE],
    );
    expect(rows.rows).toEqual([{ status: 'REQUESTED', converted_cents: '50000' }]);
  });

  it('HR is told a rejection needs a reason, then confirms; the credit is exactly the converted part', async () => {
    const hr = await portal.staffPage(staffEmail('officineRossi', 'HR'));
    await hr.goto(`${web}/azienda/${EMPLOYER}/premi`);
    const row = hr.getByTestId('bonus-hr-row').filter({ hasText: 'Ugo Premiato' });
    await expect(row.count()).resolves.toBe(1);
    await portal.expectAccessible(hr);

    await row.getByTestId('bonus-reject').click();
    await hr.getByTestId('error-summary').waitFor();
    await expect(hr.getByTestId('error-summary').innerText()).resolves.toContain(
      'Motivo del rifiuto',
    );
    await portal.expectAccessible(hr);

    const issuerBefore = (await balances()).get(`employer:${EMPLOYER}:issuer`);
    await hr
      .getByTestId('bonus-hr-row')
      .filter({ hasText: 'Ugo Premiato' })
      .getByTestId('bonus-confirm')
      .click();
    await hr.getByTestId('bonus-hr-done').waitFor();
    await expect(
      hr.getByTestId('bonus-hr-row').filter({ hasText: 'Ugo Premiato' }).count(),
    ).resolves.toBe(0);

    await employee.goto(bonusPage());
    await expect(
      employee.locator('[data-testid="bonus-mine"] tr[data-status="CONFIRMED"]').count(),
    ).resolves.toBe(1);
    // The book: the employee's credit holds the converted amount, the employer's issuer gave it
    // (the issuer also funded the demo plan: its change is compared).
    const after = await balances();
    expect(after.get(`plan:${PLAN}:employee:${EMPLOYEE}`)).toBe(50_000);
    expect(after.get(`employer:${EMPLOYER}:issuer`)).toBe((issuerBefore ?? 0) - 50_000);
  });

  it('another employer’s HR or a Comune cannot open the page; another citizen sees no plan', async () => {
    const comune = await portal.staffPage(staffEmail('balestrate', 'MANAGER'));
    const response = await comune.goto(`${web}/azienda/${EMPLOYER}/premi`);
    expect(response?.status()).toBe(403);
    const { page: stranger } = await portal.citizenPage(beneficiaryFiscalCode(2_716_002));
    await stranger.goto(bonusPage());
    await expect(stranger.getByTestId('bonus-no-plan').isVisible()).resolves.toBe(true);
    await expect(stranger.getByTestId('bonus-mine-none').isVisible()).resolves.toBe(true);
    await portal.expectAccessible(stranger);
  });
});
