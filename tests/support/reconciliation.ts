// The money reconciliation in the cross-workspace tests: its GraphQL documents, and one of the
// defects it catches made for real with SQL (a credited application that is no longer APPROVED).
import type pg from 'pg';

const RUN = /* GraphQL */ `
  id
  comuneId
  ranAt
  trigger
  ok
  problems {
    check
    subject
    expectedCents
    actualCents
    messageIt
    messageEn
  }
`;

export const RECONCILE = `mutation($c: ID!) { reconcileMoney(comuneId: $c) { ${RUN} } }`;
export const LATEST = `query($c: ID!) { moneyReconciliation(comuneId: $c) { ${RUN} } }`;
export const ALERTS = `query { moneyReconciliationAlerts { ${RUN} } }`;

export interface ReconciliationRun {
  id: string;
  comuneId: string;
  ranAt: string;
  trigger: 'SCHEDULER' | 'ON_DEMAND';
  ok: boolean;
  problems: {
    check: string;
    subject: string;
    expectedCents: number | null;
    actualCents: number | null;
    messageIt: string;
    messageEn: string;
  }[];
}

/** Stored runs of the Comune (those run on demand, or all), counted with SQL. */
export async function storedRuns(
  db: pg.Client,
  comuneId: string,
  trigger?: 'ON_DEMAND' | 'SCHEDULER',
): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `select count(*)::text as n from public_welfare.money_reconciliation
      where comune_id = $1 and ($2::text is null or trigger = $2)`,
    [comuneId, trigger ?? null],
  );
  return Number(rows[0]!.n);
}

/**
 * An APPROVED application of the campaign that received credit (TOPUP transfers in the book),
 * and how much: the demo's second campaign has a dozen.
 */
export async function creditedApplication(
  db: pg.Client,
  campaignId: string,
): Promise<{ id: string; creditedCents: number }> {
  const { rows } = await db.query<{ id: string; credited: string }>(
    `select a.id, sum(t.amount)::text as credited
       from public_welfare.application a
       join public_welfare.book_transfer t
         on t.reference = 'application:' || a.id and t.code = 'TOPUP'
      where a.campaign_id = $1 and a.status = 'APPROVED'
      group by a.id order by a.id limit 1`,
    [campaignId],
  );
  const row = rows[0];
  if (!row) throw new Error(`no credited APPROVED application in campaign ${campaignId}`);
  return { id: row.id, creditedCents: Number(row.credited) };
}

/**
 * Sets an application's status with SQL, behind the services' back: a credited application set
 * to ELIGIBLE_NOT_FUNDED is the defect CREDIT_ONLY_APPROVED reports; APPROVED restores it.
 */
export async function setApplicationStatus(
  db: pg.Client,
  applicationId: string,
  status: 'APPROVED' | 'ELIGIBLE_NOT_FUNDED',
): Promise<void> {
  const { rowCount } = await db.query(
    'update public_welfare.application set status = $2 where id = $1',
    [applicationId, status],
  );
  if (rowCount !== 1) throw new Error(`application ${applicationId} not found`);
}
