import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { romeToday } from '@welfare/kit/dates';
import { sniffDocumentType } from '@welfare/kit/documents';
import type { Suite } from '@welfare/kit/test-suite';
import {
  DEMO_EMPLOYEE_FISCAL_CODE,
  DEMO_EMPLOYER_ID,
  DEMO_HR_PERSON_ID,
  DEMO_PLAN_COVERED_CATEGORIES,
  demoPlanId,
} from '../src/demo/facts.js';
import { loadDemoData } from '../src/demo/load-demo-data.js';
import { accountCodes, book } from '../src/modules/ledger/ledger.js';
import type { Services } from '../src/services.js';
import { member, setupSuite } from './helpers.js';

let suite: Suite<Services>;
beforeAll(async () => {
  suite = await setupSuite('demo');
});
afterAll(() => suite.close());

const PLAN = `query ($id: ID!) {
  welfarePlan(id: $id) {
    name status purposes coveredCategories regulationFileName
    categories { code creditCents }
    funding { fundedCents creditedCents employeesCredited poolBalanceCents }
  }
}`;

describe('demo data', () => {
  it('loads Officine Rossi’s 25 employees and its funded plan, idempotently', async () => {
    await loadDemoData(suite.orm.em.fork(), suite.services);
    await loadDemoData(suite.orm.em.fork(), suite.services);
    expect(await suite.count('employee', { employer_id: DEMO_EMPLOYER_ID })).toBe(25);
    expect(await suite.count('plan', { employer_id: DEMO_EMPLOYER_ID })).toBe(1);
    const year = Number(romeToday().slice(0, 4));
    const id = demoPlanId(year);
    const hr = { ...member(DEMO_EMPLOYER_ID, 'EMPLOYER', 'HR'), personId: DEMO_HR_PERSON_ID };
    const result = await suite.run(PLAN, { id }, hr);
    expect(result.errors).toBeUndefined();
    const total = 15 * 50_000 + 10 * 30_000;
    expect(result.data?.welfarePlan).toEqual({
      name: `Piano welfare ${year}`,
      status: 'ACTIVE',
      purposes: ['SERVICES_IN_KIND', 'EDUCATION_CHILDCARE', 'PUBLIC_TRANSPORT', 'FRINGE_BENEFIT'],
      coveredCategories: [...DEMO_PLAN_COVERED_CATEGORIES],
      regulationFileName: `regolamento-welfare-${year}.pdf`,
      categories: [
        { code: 'IMPIEGATI', creditCents: 30_000 },
        { code: 'OPERAI', creditCents: 50_000 },
      ],
      funding: {
        fundedCents: total,
        creditedCents: total,
        employeesCredited: 25,
        poolBalanceCents: 0,
      },
    });
    const regulation = await suite.services.plans.regulation(suite.orm.em.fork(), hr, id);
    expect(sniffDocumentType(regulation.content)).toBe('application/pdf');
    expect(regulation.content.toString('latin1')).toMatch(/%%EOF\n$/);

    // La Esse's demo offers (third-sector's demo) are in these categories: all covered.
    for (const category of [
      'EDUCATION',
      'CHILDCARE',
      'ELDERLY_CARE',
      'DISABILITY',
      'HEALTH',
      'EMPLOYMENT',
      'HOME_SERVICES',
    ]) {
      expect(DEMO_PLAN_COVERED_CATEGORIES).toContain(category);
    }
    const [mario] = await suite.sql<{ id: string; category_code: string }>(
      'select id, category_code from corporate_welfare.employee where employer_id = ? and fiscal_code = ?',
      [DEMO_EMPLOYER_ID, DEMO_EMPLOYEE_FISCAL_CODE],
    );
    expect(mario?.category_code).toBe('OPERAI');
    const [account] = await book.accounts(suite.orm.em.fork(), {
      codes: [accountCodes.employee(id, mario!.id)],
    });
    expect(account?.posted).toBe(50_000);
    expect((await book.checkInvariants(suite.orm.em.fork())).ok).toBe(true);
  });
});
