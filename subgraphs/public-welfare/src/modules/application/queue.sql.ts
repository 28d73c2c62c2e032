/*
 * The definitions the Comune's worklist counts and the case queue filters by, in one place: a
 * worklist count and the queue its link opens always agree (tested in test/worklist.test.ts).
 */

const S = '"public_welfare"';

/** Statuses waiting for the Comune's decision (the worklist's "to decide"). */
export const TO_DECIDE_STATUSES = ['SUBMITTED', 'IN_REVIEW', 'APPEALED'] as const;

const TO_DECIDE_SQL = TO_DECIDE_STATUSES.map((s) => `'${s}'`).join(', ');

/**
 * Past due (SQL condition on the application alias `alias`, never null; one parameter: today,
 * YYYY-MM-DD, Europe/Rome): waiting for a decision and past its due-by date (the campaign's
 * decision days from submission, moved by the days an integration request suspended the term).
 */
export function overdueSql(alias: string): string {
  return `(${alias}."status" in (${TO_DECIDE_SQL}) and coalesce(${alias}."due_by" < ?::date, false))`;
}

/**
 * An integration answered (SQL condition on the application alias `alias`, never null; no
 * parameter): IN_REVIEW, and its last case event, documents and checks aside, is
 * INTEGRATION_SUBMITTED (no one has acted on the case since the applicant answered).
 */
export function integrationAnsweredSql(alias: string): string {
  return `(${alias}."status" = 'IN_REVIEW' and coalesce((
    select e."kind" from ${S}."case_event" e
     where e."application_id" = ${alias}."id"
       and e."kind" not in ('DOCUMENT_UPLOADED', 'CHECKS_RUN')
     order by e."id" desc limit 1) = 'INTEGRATION_SUBMITTED', false))`;
}
