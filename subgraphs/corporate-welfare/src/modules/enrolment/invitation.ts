import type { EntityManager } from '@mikro-orm/postgresql';
import { romeToday } from '@welfare/kit/dates';

const S = '"corporate_welfare"';

/** The invitation's subject, Italian first. */
export const INVITATION_SUBJECT = 'Il tuo welfare aziendale · Your corporate welfare';

/**
 * The invitation's text, Italian first then English; `{nome}` becomes the employee's given name.
 * It names no amount and no link to click: the employee logs in to the portal they know, with
 * SPID or CIE (a phishing-resistant habit), and finds the plan beside their other funds.
 */
export const INVITATION_BODY = `Gentile {nome},

la tua azienda ti ha iscritto al suo piano di welfare aziendale sul portale del welfare territoriale.
Accedi al portale con SPID o CIE: troverai il tuo piano, il tuo credito e i servizi che puoi
usare nella sezione «Welfare aziendale», accanto agli altri tuoi contributi.

Non serve una nuova password e nessuno ti chiederà le tue credenziali per e-mail.

---

Dear {nome},

your employer has enrolled you in its corporate welfare plan on the territorial welfare portal.
Log in to the portal with SPID or CIE: you will find your plan, your credit and the services you
can use under "Welfare aziendale", beside your other funds.

No new password is needed and nobody will ask for your credentials by e-mail.
`;

/**
 * Writes, in the caller's transaction, one invitation to every employee of the employer that has
 * an e-mail, was never invited and has not left (optionally only `employeeIds`), and records
 * `invited_at`: an employee is invited once only (`employee_invitation_employee_key` too).
 * Answers how many were written; the dispatcher delivers them.
 */
export async function enqueueInvitations(
  tx: EntityManager,
  employerId: string,
  employeeIds?: string[],
): Promise<number> {
  const only = employeeIds ? `and e."id" = any(?::uuid[])` : '';
  const params: unknown[] = [INVITATION_SUBJECT, INVITATION_BODY, employerId, romeToday()];
  if (employeeIds) params.push(`{${employeeIds.join(',')}}`);
  const rows = await tx.execute<{ n: string }[]>(
    `with invited as (
       insert into ${S}."employee_invitation" ("id", "employee_id", "employer_id", "recipient", "subject", "body")
       select gen_random_uuid(), e."id", e."employer_id", e."email", ?, replace(?, '{nome}', e."given_name")
         from ${S}."employee" e
        where e."employer_id" = ? and e."invited_at" is null and e."email" is not null
          and (e."end_date" is null or e."end_date" >= ?::date) ${only}
       on conflict ("employee_id") do nothing
       returning "employee_id"
     ), marked as (
       update ${S}."employee" m set "invited_at" = now()
         from invited where m."id" = invited."employee_id"
       returning 1
     )
     select count(*) as n from marked`,
    params,
  );
  return Number(rows[0]?.n ?? 0);
}
