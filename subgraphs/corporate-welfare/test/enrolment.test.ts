import { Readable } from 'node:stream';
import { createLogger } from '@welfare/kit';
import { isValidPersonalFiscalCode } from '@welfare/kit/pii';
import type { Suite } from '@welfare/kit/test-suite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorporateWelfareConfig } from '../src/config.js';
import { InvitationDispatcher } from '../src/modules/enrolment/invitation-dispatcher.js';
import type { Services } from '../src/services.js';
import { fiscalCode } from './fiscal-codes.js';
import {
  ADMIN,
  ANONYMOUS,
  CITIZEN,
  ORG_A,
  ORG_B,
  caught,
  errorCode,
  errorFields,
  member,
  setupSuite,
} from './helpers.js';

let suite: Suite<Services>;
const hr = member(ORG_A, 'EMPLOYER', 'HR');
const otherHr = member(ORG_B, 'EMPLOYER', 'HR');

const HEADER = 'codice_fiscale;nome;cognome;email;categoria;data_inizio;figli_a_carico;data_fine';
const [CF1, CF2, CF3, CF4] = [fiscalCode(1), fiscalCode(2), fiscalCode(3), fiscalCode(4)];
const GOOD = [
  HEADER,
  `${CF1};Anna;Bianchi;anna.bianchi@example.it;OPERAI;01/02/2026;2;`,
  `${CF2};Bruno;Verdi;;impiegati;2026-01-15;0;`,
  `${CF3};Carla;Neri;carla@example.it;IMPIEGATI;01/01/2025;;31/12/2025`,
].join('\n');

const file = (text: string) => Readable.from([Buffer.from(text, 'utf8')]);

beforeAll(async () => {
  suite = await setupSuite('enrolment');
  await suite.sql(
    `insert into corporate_welfare.plan (id, employer_id, name, year, valid_from, valid_until, purposes, end_rule, created_by)
     values ('00000000-0000-4000-8000-0000000000a1', ?, 'Piano 2026', 2026, '2026-01-01', '2026-12-31', '{SERVICES_IN_KIND}', 'CARRY_OVER', ?),
            ('00000000-0000-4000-8000-0000000000b1', ?, 'Piano di B', 2026, '2026-01-01', '2026-12-31', '{SERVICES_IN_KIND}', 'CARRY_OVER', ?)`,
    [ORG_A, hr.personId, ORG_B, otherHr.personId],
  );
  await suite.sql(
    `insert into corporate_welfare.plan_category (id, plan_id, code, name, criterion, credit_cents)
     values (gen_random_uuid(), '00000000-0000-4000-8000-0000000000a1', 'OPERAI', 'Operai', 'Livelli 1-3 CCNL', 50000),
            (gen_random_uuid(), '00000000-0000-4000-8000-0000000000a1', 'IMPIEGATI', 'Impiegati', 'Livelli 4-7 CCNL', 70000),
            (gen_random_uuid(), '00000000-0000-4000-8000-0000000000b1', 'DIRIGENTI', 'Dirigenti', 'Dirigenti CCNL', 90000)`,
  );
});
afterAll(() => suite.close());

const employeesOf = (employerId: string) => suite.count('employee', { employer_id: employerId });

describe('the test codici fiscali', () => {
  it('are valid and distinct', () => {
    const codes = Array.from({ length: 2000 }, (_, i) => fiscalCode(i * 7919));
    expect(codes.every(isValidPersonalFiscalCode)).toBe(true);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe('enrolment by CSV', () => {
  it('refuses a file with bad rows by line and field, writing no employee', async () => {
    const bad = [
      HEADER,
      `${CF1};Anna;Bianchi;anna.bianchi@example.it;OPERAI;01/02/2026;2;`,
      `RSSMRA80A01H501X;Mario;Rossi;mario@example.it;OPERAI;01/02/2026;0;`,
      `${CF2};Bruno;Verdi;non-una-mail;DIRIGENTI;31/02/2026;tre;`,
      `${CF3};;Neri;;OPERAI;01/03/2026;0;01/01/2026`,
      `${CF1};Anna;Doppia;;OPERAI;01/02/2026;0;`,
      `${CF4};Dario;Gialli;;OPERAI`,
    ].join('\n');
    const job = await suite.services.enrolment.importFile(
      suite.orm.em.fork(),
      hr,
      ORG_A,
      file(bad),
    );
    expect(job).toMatchObject({ status: 'FAILED', rowsRead: 6, rowsRejected: 5, rowsImported: 0 });
    const rejections = await suite.sql<{ line: number; field: string; reason_it: string }>(
      'select line, field, reason_it from corporate_welfare.enrolment_rejection where job_id = ? order by line, field',
      [job.id],
    );
    expect(rejections.map((r) => [r.line, r.field])).toEqual([
      [3, 'codice_fiscale'],
      [4, 'categoria'],
      [4, 'data_inizio'],
      [4, 'email'],
      [4, 'figli_a_carico'],
      [5, 'data_fine'],
      [5, 'nome'],
      [6, 'codice_fiscale'],
      [7, 'riga'],
    ]);
    expect(rejections.find((r) => r.line === 4 && r.field === 'categoria')?.reason_it).toContain(
      'IMPIEGATI, OPERAI',
    );
    expect(rejections.find((r) => r.line === 6)?.reason_it).toContain('riga 2');
    expect(await employeesOf(ORG_A)).toBe(0);
    expect(await suite.count('enrolment_staging_row')).toBe(0);
    expect(await suite.count('employee_invitation')).toBe(0);

    // The rejections as a file, for the employer's HR only.
    const em = suite.orm.em.fork();
    const csv = (await suite.services.enrolment.rejectionsCsv(em, hr, ORG_A, job.id)).toString();
    expect(csv.split('\r\n')[0]).toBe('\ufeffriga;campo;motivo;reason');
    expect(csv).toContain('3;codice_fiscale;Codice fiscale non valido');
    const notFound = await caught(() =>
      suite.services.enrolment.rejectionsCsv(em, otherHr, ORG_B, job.id),
    );
    expect(notFound.code).toBe('NOT_FOUND');
    const forbidden = await caught(() =>
      suite.services.enrolment.rejectionsCsv(em, otherHr, ORG_A, job.id),
    );
    expect(forbidden.code).toBe('FORBIDDEN');
  });

  it('refuses a file without a required column, or empty', async () => {
    const em = suite.orm.em.fork();
    const missing = await suite.services.enrolment.importFile(
      em,
      hr,
      ORG_A,
      file(`codice_fiscale;nome;cognome;email;data_inizio\n${CF1};Anna;Bianchi;;01/02/2026`),
    );
    expect(missing.status).toBe('FAILED');
    const fields = await suite.sql<{ field: string; line: number }>(
      'select field, line from corporate_welfare.enrolment_rejection where job_id = ? order by field',
      [missing.id],
    );
    expect(fields).toEqual([
      { field: 'categoria', line: 1 },
      { field: 'figli_a_carico', line: 1 },
    ]);
    const empty = await suite.services.enrolment.importFile(em, hr, ORG_A, file(''));
    expect(empty.status).toBe('FAILED');
    expect(await employeesOf(ORG_A)).toBe(0);
  });

  it('enrols a good file, inviting once each new employee with an e-mail who has not left', async () => {
    const job = await suite.services.enrolment.importFile(
      suite.orm.em.fork(),
      hr,
      ORG_A,
      file(GOOD),
    );
    expect(job).toMatchObject({
      status: 'SUCCEEDED',
      rowsRead: 3,
      rowsImported: 3,
      rowsRejected: 0,
      rowsCreated: 3,
      rowsChanged: 0,
    });
    const rows = await suite.sql<Record<string, unknown>>(
      `select fiscal_code, given_name, email, category_code, start_date::text as start_date,
              end_date::text as end_date, dependent_children, invited_at is not null as invited
         from corporate_welfare.employee where employer_id = ? order by fiscal_code`,
      [ORG_A],
    );
    expect(rows).toEqual([
      {
        fiscal_code: CF1,
        given_name: 'Anna',
        email: 'anna.bianchi@example.it',
        category_code: 'OPERAI',
        start_date: '2026-02-01',
        end_date: null,
        dependent_children: 2,
        invited: true,
      },
      expect.objectContaining({
        fiscal_code: CF2,
        email: null,
        category_code: 'IMPIEGATI',
        invited: false,
      }),
      // A leaver (ended 2025) is not invited.
      expect.objectContaining({ fiscal_code: CF3, end_date: '2025-12-31', invited: false }),
    ]);
    const invitations = await suite.sql<{ recipient: string; body: string }>(
      'select recipient, body from corporate_welfare.employee_invitation',
    );
    expect(invitations).toHaveLength(1);
    expect(invitations[0]!.recipient).toBe('anna.bianchi@example.it');
    expect(invitations[0]!.body).toMatch(/^Gentile Anna,[\s\S]*SPID o CIE[\s\S]*Dear Anna,/);
    expect(await suite.count('enrolment_staging_row')).toBe(0);
  });

  it('re-imports idempotently, and says how many employees a changed file changed', async () => {
    const em = suite.orm.em.fork();
    const again = await suite.services.enrolment.importFile(em, hr, ORG_A, file(GOOD));
    expect(again).toMatchObject({
      status: 'SUCCEEDED',
      rowsImported: 3,
      rowsCreated: 0,
      rowsChanged: 0,
    });
    const changed = [
      HEADER,
      `${CF1};Anna;Bianchi;anna.bianchi@example.it;OPERAI;01/02/2026;3;`,
      `${CF2};Bruno;Verdi;bruno@example.it;OPERAI;15/01/2026;0;30/06/2099`,
      `${CF3};Carla;Neri;carla@example.it;IMPIEGATI;01/01/2025;;31/12/2025`,
    ].join('\n');
    const job = await suite.services.enrolment.importFile(em, hr, ORG_A, file(changed));
    expect(job).toMatchObject({
      status: 'SUCCEEDED',
      rowsImported: 3,
      rowsCreated: 0,
      rowsChanged: 2,
    });
    const [bruno] = await suite.sql<Record<string, unknown>>(
      `select email, category_code, end_date::text as end_date from corporate_welfare.employee
        where employer_id = ? and fiscal_code = ?`,
      [ORG_A, CF2],
    );
    expect(bruno).toEqual({
      email: 'bruno@example.it',
      category_code: 'OPERAI',
      end_date: '2099-06-30',
    });
    // Bruno's first e-mail invites him; Anna is not invited twice.
    expect(await suite.count('employee_invitation')).toBe(2);
    expect(await employeesOf(ORG_A)).toBe(3);
  });

  it('lets only the employer’s HR import or read its jobs', async () => {
    const em = suite.orm.em.fork();
    const jobsBefore = await suite.count('enrolment_job');
    for (const caller of [ANONYMOUS, CITIZEN, ADMIN, otherHr, member(ORG_A, 'EMPLOYER', 'OWNER')]) {
      const error = await caught(() =>
        suite.services.enrolment.importFile(em, caller, ORG_A, file(GOOD)),
      );
      expect(error.code).toBe(caller === ANONYMOUS ? 'UNAUTHENTICATED' : 'FORBIDDEN');
    }
    expect(await suite.count('enrolment_job')).toBe(jobsBefore);
    expect(await employeesOf(ORG_B)).toBe(0);

    const JOBS = `query ($e: ID!) { enrolmentJobs(employerId: $e) { id status rowsCreated rejections { line } } }`;
    const JOB = `query ($e: ID!, $id: ID!) { enrolmentJob(employerId: $e, id: $id) { id status } }`;
    const mine = await suite.run<{ enrolmentJobs: { id: string }[] }>(JOBS, { e: ORG_A }, hr);
    expect(mine.errors).toBeUndefined();
    expect(mine.data?.enrolmentJobs.length).toBe(jobsBefore);
    const id = mine.data!.enrolmentJobs[0]!.id;
    expect((await suite.run(JOB, { e: ORG_A, id }, hr)).data?.enrolmentJob).toMatchObject({ id });
    for (const caller of [ANONYMOUS, CITIZEN, ADMIN, otherHr]) {
      expect(errorCode(await suite.run(JOBS, { e: ORG_A }, caller))).toBe(
        caller === ANONYMOUS ? 'UNAUTHENTICATED' : 'FORBIDDEN',
      );
      expect(errorCode(await suite.run(JOB, { e: ORG_A, id }, caller))).toBe(
        caller === ANONYMOUS ? 'UNAUTHENTICATED' : 'FORBIDDEN',
      );
    }
    // B's HR asking under its own employer does not see A's job.
    expect((await suite.run(JOB, { e: ORG_B, id }, otherHr)).data?.enrolmentJob).toBeNull();
  });
});

const PAGE = `query ($e: ID!, $s: String, $f: Int, $o: Int) {
  employerEmployees(employerId: $e, search: $s, first: $f, offset: $o) {
    totalCount offset items { id fiscalCode givenName familyName email categoryCode endDate dependentChildren invitedAt }
  }
}`;
const ONE = `query ($e: ID!, $id: ID!) { employerEmployee(employerId: $e, id: $id) { id givenName } }`;
const CHANGE = `mutation ($e: ID!, $id: ID!, $input: EnrolledEmployeeChangeInput!) {
  changeEmployerEmployee(employerId: $e, id: $id, input: $input) { id categoryCode email dependentChildren endDate invitedAt }
}`;

type Page = {
  employerEmployees: {
    totalCount: number;
    offset: number;
    items: { id: string; familyName: string; email: string | null; invitedAt: string | null }[];
  };
};

describe('the employees API', () => {
  it('lists, pages and searches the employer’s employees', async () => {
    const all = await suite.run<Page>(PAGE, { e: ORG_A }, hr);
    expect(all.errors).toBeUndefined();
    expect(all.data?.employerEmployees.totalCount).toBe(3);
    expect(all.data?.employerEmployees.items.map((i) => i.familyName)).toEqual([
      'Bianchi',
      'Neri',
      'Verdi',
    ]);
    const second = await suite.run<Page>(PAGE, { e: ORG_A, f: 2, o: 2 }, hr);
    expect(second.data?.employerEmployees).toMatchObject({ totalCount: 3, offset: 2 });
    expect(second.data?.employerEmployees.items.map((i) => i.familyName)).toEqual(['Verdi']);
    const found = await suite.run<Page>(PAGE, { e: ORG_A, s: 'ner' }, hr);
    expect(found.data?.employerEmployees.items.map((i) => i.familyName)).toEqual(['Neri']);
    const byCode = await suite.run<Page>(PAGE, { e: ORG_A, s: CF1.toLowerCase() }, hr);
    expect(byCode.data?.employerEmployees.items.map((i) => i.familyName)).toEqual(['Bianchi']);
    const bad = await suite.run(PAGE, { e: ORG_A, f: 0, o: -1 }, hr);
    expect(errorFields(bad)).toEqual(['first', 'offset']);
  });

  it('changes an employee (a leaver) with field-level errors and nothing written for bad input', async () => {
    const page = await suite.run<Page>(PAGE, { e: ORG_A, s: 'Bianchi' }, hr);
    const anna = page.data!.employerEmployees.items[0]!;
    const bad = await suite.run(
      CHANGE,
      {
        e: ORG_A,
        id: anna.id,
        input: {
          categoryCode: 'DIRIGENTI',
          email: 'nope',
          dependentChildren: 21,
          endDate: '2025-01-01',
        },
      },
      hr,
    );
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(errorFields(bad)).toEqual(['categoryCode', 'dependentChildren', 'email', 'endDate']);
    const [unchanged] = await suite.sql<{ category_code: string; dependent_children: number }>(
      'select category_code, dependent_children from corporate_welfare.employee where id = ?',
      [anna.id],
    );
    expect(unchanged).toEqual({ category_code: 'OPERAI', dependent_children: 3 });

    const good = await suite.run<{ changeEmployerEmployee: Record<string, unknown> }>(
      CHANGE,
      {
        e: ORG_A,
        id: anna.id,
        input: {
          categoryCode: 'impiegati',
          email: 'anna@example.it',
          dependentChildren: 1,
          endDate: '2026-09-30',
        },
      },
      hr,
    );
    expect(good.errors).toBeUndefined();
    expect(good.data?.changeEmployerEmployee).toMatchObject({
      categoryCode: 'IMPIEGATI',
      email: 'anna@example.it',
      dependentChildren: 1,
      endDate: '2026-09-30',
    });
    // Already invited: a new address does not invite again.
    expect(await suite.count('employee_invitation')).toBe(2);
  });

  it('keeps every operation within the employer', async () => {
    const page = await suite.run<Page>(PAGE, { e: ORG_A }, hr);
    const id = page.data!.employerEmployees.items[0]!.id;
    const input = { categoryCode: 'DIRIGENTI', dependentChildren: 0 };
    for (const caller of [ANONYMOUS, CITIZEN, ADMIN, otherHr]) {
      const code = caller === ANONYMOUS ? 'UNAUTHENTICATED' : 'FORBIDDEN';
      expect(errorCode(await suite.run(PAGE, { e: ORG_A }, caller))).toBe(code);
      expect(errorCode(await suite.run(ONE, { e: ORG_A, id }, caller))).toBe(code);
      expect(errorCode(await suite.run(CHANGE, { e: ORG_A, id, input }, caller))).toBe(code);
    }
    // B's HR naming A's employee under B: not found, and nothing changed.
    expect((await suite.run(ONE, { e: ORG_B, id }, otherHr)).data?.employerEmployee).toBeNull();
    expect(errorCode(await suite.run(CHANGE, { e: ORG_B, id, input }, otherHr))).toBe('NOT_FOUND');
    expect((await suite.run(PAGE, { e: ORG_B }, otherHr)).data).toMatchObject({
      employerEmployees: { totalCount: 0, items: [] },
    });
    expect((await suite.run(ONE, { e: ORG_A, id }, hr)).data?.employerEmployee).toMatchObject({
      id,
    });
    const [row] = await suite.sql<{ category_code: string }>(
      'select category_code from corporate_welfare.employee where id = ?',
      [id],
    );
    expect(row?.category_code).not.toBe('DIRIGENTI');
  });
});

describe('interrupted enrolments', () => {
  it('fail at start-up with a reason, their staging removed', async () => {
    const em = suite.orm.em.fork();
    const job = await suite.services.enrolment.createJob(em, hr, ORG_A);
    expect(await suite.services.enrolment.failInterrupted(suite.orm.em.fork())).toBe(1);
    const [row] = await suite.sql<{ status: string }>(
      'select status from corporate_welfare.enrolment_job where id = ?',
      [job.id],
    );
    expect(row?.status).toBe('FAILED');
    expect(await suite.count('enrolment_rejection', { job_id: job.id, line: 0 })).toBe(1);
  });
});

describe('the configuration', () => {
  it('requires a mail server for the invitations in production', () => {
    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://u:p@localhost:5432/db',
      GATEWAY_PUBLIC_KEY: 'a-public-key-long-enough',
    };
    expect(() => loadCorporateWelfareConfig(env)).toThrow(/SMTP_URL/);
    expect(() =>
      loadCorporateWelfareConfig({ ...env, SMTP_URL: 'smtp://u:p@mail.example.it:587' }),
    ).toThrow(/SMTP_FROM/);
    const config = loadCorporateWelfareConfig({ ...env, NODE_ENV: 'test' });
    expect(config.invitations).toMatchObject({ smtp: null, unconfigured: 'outbox' });
  });
});

describe('the invitations’ outbox', () => {
  it('delivers each pending invitation once (kept in the outbox without a mail server)', async () => {
    const dispatcher = new InvitationDispatcher(
      suite.orm,
      { smtp: null, unconfigured: 'outbox', pollMs: 1000, batchSize: 50, maxAttempts: 3 },
      createLogger('test', 'silent'),
    );
    expect(await dispatcher.dispatchOnce()).toBe(2);
    expect(await dispatcher.dispatchOnce()).toBe(0);
    expect(await suite.count('employee_invitation', { status: 'SENT' })).toBe(2);
  });
});
