// Corporate welfare (issue 16) for the federation and browser tests: an employer's ACTIVE welfare
// plan, its employees (by codice fiscale) and each one's credit, written as the plan and funding
// modules would write them: the plan's rows with SQL, the money with the kit's Book API on the
// corporate-welfare book (never its tables). The account codes and kinds are those of
// subgraphs/corporate-welfare/src/modules/ledger/ledger.ts.
import { createHash, randomUUID } from 'node:crypto';
import { Book, deterministicId } from '@welfare/kit/book';
import { openOrm } from '@welfare/kit/orm';
import pg from 'pg';

/** corporate-welfare's book. */
const book = new Book('corporate_welfare');

export interface SeededPlan {
  planId: string;
  employerId: string;
  name: string;
  /** The employee id of each codice fiscale enrolled. */
  employees: Record<string, string>;
}

export interface PlanSeed {
  /** The employer (identity Organisation id); a new one unless told. */
  employerId?: string;
  name: string;
  /** The catalogue categories the credit pays in kind (SERVICES_IN_KIND). */
  coveredCategories: string[];
  /** The employees to enrol and credit, by codice fiscale. */
  fiscalCodes: string[];
  creditCents: number;
  validFrom?: string;
  validUntil?: string;
}

/**
 * An ACTIVE plan of services in kind (its regulation a tiny PDF), one category `TUTTI` with
 * `creditCents` each, the employees enrolled from 2024 (an employee already enrolled at that
 * employer is kept), and each one's credit: the employer funds the plan's pool and the pool
 * credits each employee (FUNDING and CREDIT transfers with ids derived from the plan and the
 * employee, so a second seed of the same plan moves nothing twice).
 */
export async function seedPlanCredit(databaseUrl: string, seed: PlanSeed): Promise<SeededPlan> {
  const planId = randomUUID();
  const employerId = seed.employerId ?? randomUUID();
  const regulation = Buffer.from('%PDF-1.4 regolamento del piano welfare');
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const employees: Record<string, string> = {};
  try {
    await db.query(
      `insert into corporate_welfare.plan (id, employer_id, name, year, valid_from, valid_until,
         status, purposes, covered_categories, end_rule, regulation_file_name,
         regulation_content_type, regulation_size_bytes, regulation_sha256, regulation,
         funded_at, created_by)
       values ($1, $2, $3, 2026, $4, $5, 'ACTIVE', '{SERVICES_IN_KIND}', $6, 'RETURN_TO_EMPLOYER',
         'regolamento.pdf', 'application/pdf', $7, $8, $9, now(), $10)`,
      [
        planId,
        employerId,
        seed.name,
        seed.validFrom ?? '2026-01-01',
        seed.validUntil ?? '2030-12-31',
        seed.coveredCategories,
        regulation.length,
        createHash('sha256').update(regulation).digest('hex'),
        regulation,
        randomUUID(),
      ],
    );
    await db.query(
      `insert into corporate_welfare.plan_category (id, plan_id, code, name, criterion, credit_cents)
       values ($1, $2, 'TUTTI', 'Tutti i dipendenti', 'Tutto il personale in forza', $3)`,
      [randomUUID(), planId, seed.creditCents],
    );
    for (const fiscalCode of seed.fiscalCodes) {
      const { rows } = await db.query<{ id: string }>(
        `insert into corporate_welfare.employee (id, employer_id, fiscal_code, given_name, family_name,
           category_code, start_date)
         values ($1, $2, $3, 'Dipendente', 'Di prova', 'TUTTI', '2024-01-01')
         on conflict (employer_id, fiscal_code) do update set end_date = null
         returning id`,
        [randomUUID(), employerId, fiscalCode],
      );
      employees[fiscalCode] = rows[0]!.id;
    }
  } finally {
    await db.end();
  }
  const orm = await openOrm(
    { clientUrl: databaseUrl, schema: 'corporate_welfare', entities: [], migrations: [] },
    { migrate: false },
  );
  try {
    await orm.em.fork().transactional(async (tx) => {
      const issuer = await book.openAccount(tx, {
        code: `employer:${employerId}:issuer`,
        kind: 'ISSUER',
        allowNegative: true,
        owner: { kind: 'employer', id: employerId },
      });
      const pool = await book.openAccount(tx, {
        code: `plan:${planId}:pool`,
        kind: 'FUND',
        owner: { kind: 'plan', id: planId },
      });
      const total = seed.creditCents * seed.fiscalCodes.length;
      if (total > 0) {
        await book.transfer(tx, {
          id: deterministicId('test-plan-funding', planId),
          debit: issuer.id,
          credit: pool.id,
          amount: total,
          code: 'FUNDING',
          reference: `plan:${planId}`,
        });
      }
      for (const employeeId of Object.values(employees)) {
        const account = await book.openAccount(tx, {
          code: `plan:${planId}:employee:${employeeId}`,
          kind: 'HOLDER',
          owner: { kind: 'employee', id: employeeId, scopeId: planId },
        });
        if (seed.creditCents > 0) {
          await book.transfer(tx, {
            id: deterministicId('test-plan-credit', planId, employeeId),
            debit: pool.id,
            credit: account.id,
            amount: seed.creditCents,
            code: 'CREDIT',
            reference: `plan:${planId}`,
          });
        }
      }
    });
  } finally {
    await orm.close();
  }
  return { planId, employerId, name: seed.name, employees };
}

/** What an employee can spend of a plan's credit now (the kit's Book on corporate-welfare's book). */
export async function planCredit(
  databaseUrl: string,
  planId: string,
  employeeId: string,
): Promise<number> {
  const orm = await openOrm(
    { clientUrl: databaseUrl, schema: 'corporate_welfare', entities: [], migrations: [] },
    { migrate: false },
  );
  try {
    const [account] = await book.accounts(orm.em.fork(), {
      codes: [`plan:${planId}:employee:${employeeId}`],
    });
    return account?.available ?? NaN;
  } finally {
    await orm.close();
  }
}
