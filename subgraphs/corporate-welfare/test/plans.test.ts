import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Suite } from '@welfare/kit/test-suite';
import type { Services } from '../src/services.js';
import {
  ADMIN,
  ANONYMOUS,
  CITIZEN,
  ORG_A,
  ORG_B,
  errorCode,
  member,
  setupSuite,
} from './helpers.js';

let suite: Suite<Services>;
beforeAll(async () => {
  suite = await setupSuite('plans');
});
afterAll(() => suite.close());

const PLANS = `query ($employerId: ID!) {
  employerWelfarePlans(employerId: $employerId) { id name year status purposes categories { code creditCents } }
}`;

describe('employerWelfarePlans', () => {
  it('lists the employer’s plans with their categories to its HR, newest year first', async () => {
    const hr = member(ORG_A, 'EMPLOYER', 'HR');
    await suite.sql(
      `insert into corporate_welfare.plan (id, employer_id, name, year, valid_from, valid_until, purposes, end_rule, created_by)
       values (gen_random_uuid(), ?, 'Piano 2025', 2025, '2025-01-01', '2025-12-31', '{SERVICES_IN_KIND}', 'RETURN_TO_EMPLOYER', ?),
              ('00000000-0000-4000-8000-0000000000a1', ?, 'Piano 2026', 2026, '2026-01-01', '2026-12-31', '{SERVICES_IN_KIND,FRINGE_BENEFIT}', 'CARRY_OVER', ?),
              (gen_random_uuid(), ?, 'Piano di B', 2026, '2026-01-01', '2026-12-31', '{SERVICES_IN_KIND}', 'CARRY_OVER', ?)`,
      [ORG_A, hr.personId, ORG_A, hr.personId, ORG_B, hr.personId],
    );
    await suite.sql(
      `insert into corporate_welfare.plan_category (id, plan_id, code, name, criterion, credit_cents)
       values (gen_random_uuid(), '00000000-0000-4000-8000-0000000000a1', 'OPERAI', 'Operai', 'Livelli 1-3 CCNL', 50000)`,
    );
    const result = await suite.run(PLANS, { employerId: ORG_A }, hr);
    expect(result.errors).toBeUndefined();
    expect(result.data?.employerWelfarePlans).toEqual([
      {
        id: '00000000-0000-4000-8000-0000000000a1',
        name: 'Piano 2026',
        year: 2026,
        status: 'DRAFT',
        purposes: ['SERVICES_IN_KIND', 'FRINGE_BENEFIT'],
        categories: [{ code: 'OPERAI', creditCents: 50000 }],
      },
      expect.objectContaining({ name: 'Piano 2025', categories: [] }),
    ]);
  });

  it('refuses anyone but the employer’s HR', async () => {
    const otherHr = member(ORG_B, 'EMPLOYER', 'HR');
    for (const caller of [ANONYMOUS, CITIZEN, ADMIN, otherHr, member(ORG_A, 'COMUNE', 'MANAGER')]) {
      const result = await suite.run(PLANS, { employerId: ORG_A }, caller);
      expect(errorCode(result)).toBe(caller === ANONYMOUS ? 'UNAUTHENTICATED' : 'FORBIDDEN');
    }
    expect(errorCode(await suite.run(PLANS, { employerId: 'nope' }, otherHr))).toBe(
      'BAD_USER_INPUT',
    );
  });
});

describe('EmployeeRepository.byFiscalCode', () => {
  it('finds a person’s employments at every employer, those in force on a day', async () => {
    const { EmployeeRepository } = await import('../src/modules/employee/employee.repository.js');
    await suite.sql(
      `insert into corporate_welfare.employee (id, employer_id, fiscal_code, given_name, family_name, category_code, start_date, end_date)
       values (gen_random_uuid(), ?, 'RSSMRA80A01G273X', 'Mario', 'Rossi', 'OPERAI', '2024-01-01', null),
              (gen_random_uuid(), ?, 'RSSMRA80A01G273X', 'Mario', 'Rossi', 'IMPIEGATI', '2020-01-01', '2025-06-30'),
              (gen_random_uuid(), ?, 'VRDGPP70A01G273X', 'Giuseppe', 'Verdi', 'OPERAI', '2024-01-01', null)`,
      [ORG_A, ORG_B, ORG_A],
    );
    const repository = new EmployeeRepository();
    const all = await repository.byFiscalCode(suite.orm.em.fork(), 'RSSMRA80A01G273X');
    expect(all.map((e) => e.employerId).sort()).toEqual([ORG_A, ORG_B].sort());
    const today = await repository.byFiscalCode(
      suite.orm.em.fork(),
      'RSSMRA80A01G273X',
      '2026-03-01',
    );
    expect(today.map((e) => e.employerId)).toEqual([ORG_A]);
    const then = await repository.byFiscalCode(
      suite.orm.em.fork(),
      'RSSMRA80A01G273X',
      '2025-06-30',
    );
    expect(then).toHaveLength(2);
  });
});
