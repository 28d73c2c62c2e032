import type { EntityManager } from '@mikro-orm/postgresql';

const S = '"corporate_welfare"';

/* The enrolment's own statements (jobs, staging rows and rejections otherwise go through MikroORM). */

/** The category codes the employer's plans define (any plan, drafts included). */
export async function employerCategoryCodes(
  em: EntityManager,
  employerId: string,
): Promise<Set<string>> {
  const rows = await em.execute<{ code: string }[]>(
    `select distinct c."code" from ${S}."plan_category" c
       join ${S}."plan" p on p."id" = c."plan_id"
      where p."employer_id" = ?`,
    [employerId],
  );
  return new Set(rows.map((r) => r.code));
}

/**
 * Merges a clean job's staged rows into `employee` (upsert by employer and codice fiscale); an
 * enrolled employee is rewritten only when a value changed. Answers how many were created and
 * how many changed (the others were already as the file says). One merge per employer at a time.
 */
export async function mergeStagedRows(
  tx: EntityManager,
  employerId: string,
  jobId: string,
): Promise<{ created: number; changed: number }> {
  // Two clean files of one employer merged at once would lock the same employees in different
  // orders (a deadlock): their merges take turns.
  await tx.execute(`select pg_advisory_xact_lock(hashtext('enrolment:' || ?))`, [employerId]);
  const rows = await tx.execute<{ created: string; changed: string }[]>(
    `with upserted as (
       insert into ${S}."employee" as e ("id", "employer_id", "fiscal_code", "given_name",
         "family_name", "email", "category_code", "start_date", "end_date", "dependent_children",
         "created_at", "updated_at")
       select gen_random_uuid(), ?::uuid, r."fiscal_code", r."given_name", r."family_name",
              r."email", r."category_code", r."start_date", r."end_date", r."dependent_children",
              now(), now()
         from ${S}."enrolment_staging_row" r
        where r."job_id" = ?
       on conflict ("employer_id", "fiscal_code") do update
         set "given_name" = excluded."given_name", "family_name" = excluded."family_name",
             "email" = excluded."email", "category_code" = excluded."category_code",
             "start_date" = excluded."start_date", "end_date" = excluded."end_date",
             "dependent_children" = excluded."dependent_children", "updated_at" = now()
         where (e."given_name", e."family_name", e."email", e."category_code", e."start_date",
                e."end_date", e."dependent_children")
           is distinct from (excluded."given_name", excluded."family_name", excluded."email",
                excluded."category_code", excluded."start_date", excluded."end_date",
                excluded."dependent_children")
       returning (xmax = 0) as "created"
     )
     select count(*) filter (where "created") as "created",
            count(*) filter (where not "created") as "changed"
       from upserted`,
    [employerId, jobId],
  );
  return { created: Number(rows[0]?.created ?? 0), changed: Number(rows[0]?.changed ?? 0) };
}

/** Refreshes the planner's statistics of the employees (after a bulk load). */
export async function analyzeEmployees(em: EntityManager): Promise<void> {
  await em.execute(`analyze ${S}."employee"`);
}
