import type { EntityManager } from '@mikro-orm/postgresql';
import type { Localized } from '@welfare/kit';
import { arrayLiteral } from '@welfare/kit/book';
import type { ScheduleStatus } from './top-up.enums.js';

const S = '"public_welfare"';

/** A tranche scheduled for a day. */
export interface ScheduledTopUp {
  campaignId: string;
  comuneId: string;
  number: number;
  percent: number;
  /** The day (Italian, YYYY-MM-DD) from which the scheduler credits it. */
  dueOn: string;
  status: ScheduleStatus;
  /** Cents the scheduler credited (DONE only; 0 when everything was already credited). */
  creditedCents: number | null;
  /** When the scheduler applied it (DONE) or tried to (FAILED). */
  appliedAt: Date | null;
  /** Why the top-up was refused (FAILED only). */
  lastError: Localized | null;
  createdBy: string;
  createdAt: Date;
  cancelledAt: Date | null;
}

/** A campaign as the schedule needs it. */
export interface ScheduleCampaign {
  id: string;
  comune_id: string;
  status: string;
  spending_until: string;
}

/** A due tranche a scheduler claimed. */
export interface DueTranche {
  campaignId: string;
  number: number;
  percent: number;
}

interface Row {
  campaign_id: string;
  comune_id: string;
  number: number;
  percent: number;
  due_on: string;
  status: ScheduleStatus;
  credited_cents: string | null;
  applied_at: Date | null;
  last_error: Localized | null;
  created_by: string;
  created_at: Date;
  cancelled_at: Date | null;
}

const COLUMNS = `campaign_id, comune_id, number, percent, to_char(due_on, 'YYYY-MM-DD') as due_on,
  status, credited_cents::text as credited_cents, applied_at, last_error, created_by, created_at,
  cancelled_at`;

function toScheduled(r: Row): ScheduledTopUp {
  return {
    campaignId: r.campaign_id,
    comuneId: r.comune_id,
    number: Number(r.number),
    percent: Number(r.percent),
    dueOn: r.due_on,
    status: r.status,
    creditedCents: r.credited_cents === null ? null : Number(r.credited_cents),
    appliedAt: r.applied_at ? new Date(r.applied_at) : null,
    lastError: r.last_error ? { it: r.last_error.it, en: r.last_error.en } : null,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at),
    cancelledAt: r.cancelled_at ? new Date(r.cancelled_at) : null,
  };
}

/** The campaign of this id (lower case), or undefined. */
export async function scheduleCampaign(
  em: EntityManager,
  campaignId: string,
): Promise<ScheduleCampaign | undefined> {
  const [campaign] = await em.execute<ScheduleCampaign[]>(
    `select id, comune_id, status, to_char(spending_until, 'YYYY-MM-DD') as spending_until
       from ${S}."campaign" where id = ?`,
    [campaignId.toLowerCase()],
  );
  return campaign;
}

/** The campaign's scheduled tranches, by number. */
export async function scheduledTranches(
  em: EntityManager,
  campaignId: string,
): Promise<ScheduledTopUp[]> {
  const rows = await em.execute<Row[]>(
    `select ${COLUMNS} from ${S}."topup_schedule" where campaign_id = ? order by number`,
    [campaignId],
  );
  return rows.map(toScheduled);
}

/**
 * Schedules a tranche: a new PENDING row, or a CANCELLED or FAILED one of the same number
 * replaced. Null when a PENDING or DONE one of that number stays.
 */
export async function upsertScheduled(
  em: EntityManager,
  campaign: ScheduleCampaign,
  input: { number: number; percent: number; dueOn: string },
  personId: string,
): Promise<ScheduledTopUp | null> {
  const [row] = await em.execute<Row[]>(
    `insert into ${S}."topup_schedule" as s (campaign_id, comune_id, number, percent, due_on, created_by)
     values (?, ?, ?, ?, ?::date, ?)
     on conflict (campaign_id, number) do update set
       percent = excluded.percent, due_on = excluded.due_on, status = 'PENDING',
       credited_cents = null, applied_at = null, last_error = null,
       created_by = excluded.created_by, created_at = now(), cancelled_by = null, cancelled_at = null
     where s.status in ('CANCELLED', 'FAILED')
     returning ${COLUMNS}`,
    [campaign.id, campaign.comune_id, input.number, input.percent, input.dueOn, personId],
  );
  return row ? toScheduled(row) : null;
}

/** True when tranche `number` was credited to any application of the campaign. */
export async function trancheCredited(
  em: EntityManager,
  campaignId: string,
  number: number,
): Promise<boolean> {
  const [hit] = await em.execute<{ found: boolean }[]>(
    `select exists (select 1 from ${S}."application_tranche"
                     where campaign_id = ? and number = ? and credited_cents > 0) as found`,
    [campaignId, number],
  );
  return hit?.found === true;
}

/** Cancels a PENDING tranche (waits for a scheduler holding the row); null when none is PENDING. */
export async function cancelPending(
  em: EntityManager,
  campaignId: string,
  number: number,
  personId: string,
): Promise<ScheduledTopUp | null> {
  const [row] = await em.execute<Row[]>(
    `update ${S}."topup_schedule" set status = 'CANCELLED', cancelled_by = ?, cancelled_at = now()
      where campaign_id = ? and number = ? and status = 'PENDING'
      returning ${COLUMNS}`,
    [personId, campaignId, number],
  );
  return row ? toScheduled(row) : null;
}

/** The status of a scheduled tranche, or null when the campaign has no such schedule. */
export async function scheduledStatus(
  em: EntityManager,
  campaignId: string,
  number: number,
): Promise<ScheduleStatus | null> {
  const [current] = await em.execute<{ status: ScheduleStatus }[]>(
    `select status from ${S}."topup_schedule" where campaign_id = ? and number = ?`,
    [campaignId, number],
  );
  return current ? current.status : null;
}

/**
 * Claims the next due PENDING tranche (`due_on` <= today), locked `for update skip locked` (another
 * scheduler skips it) until the transaction ends; `skipped` ones (`<campaign>:<number>`) left out.
 */
export async function claimDueTranche(
  tx: EntityManager,
  today: string,
  skipped: readonly string[],
): Promise<DueTranche | null> {
  const [row] = await tx.execute<{ campaign_id: string; number: number; percent: number }[]>(
    `select campaign_id, number, percent from ${S}."topup_schedule"
      where status = 'PENDING' and due_on <= ?::date
        and not ((campaign_id::text || ':' || number) = any(?::text[]))
      order by due_on, campaign_id, number
      limit 1
      for update skip locked`,
    [today, arrayLiteral(skipped)],
  );
  if (!row) return null;
  return { campaignId: row.campaign_id, number: Number(row.number), percent: Number(row.percent) };
}

/** Marks a claimed tranche DONE with the cents it credited. */
export async function markTrancheDone(
  tx: EntityManager,
  due: DueTranche,
  creditedCents: number,
): Promise<void> {
  await tx.execute(
    `update ${S}."topup_schedule" set status = 'DONE', credited_cents = ?, applied_at = now()
      where campaign_id = ? and number = ?`,
    [creditedCents, due.campaignId, due.number],
  );
}

/** Marks a claimed tranche FAILED with the refusal. */
export async function markTrancheFailed(
  tx: EntityManager,
  due: DueTranche,
  reason: Localized,
): Promise<void> {
  await tx.execute(
    `update ${S}."topup_schedule" set status = 'FAILED', last_error = ?::jsonb, applied_at = now()
      where campaign_id = ? and number = ?`,
    [JSON.stringify(reason), due.campaignId, due.number],
  );
}

/** The campaigns whose spending window ended before `today`, by id. */
export async function endedCampaigns(em: EntityManager, today: string): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `select id from ${S}."campaign" where spending_until < ?::date order by id`,
    [today],
  );
  return rows.map((r) => r.id);
}

/**
 * The highest tranche number the campaign has used: scheduled (PENDING or DONE) or credited by
 * hand to any application; 0 when none.
 */
export async function lastUsedTranche(em: EntityManager, campaignId: string): Promise<number> {
  const [row] = await em.execute<{ last: number | null }[]>(
    `select greatest(
       (select max(number) from ${S}."topup_schedule"
         where campaign_id = ? and status in ('PENDING', 'DONE')),
       (select max(number) from ${S}."application_tranche"
         where campaign_id = ? and credited_cents > 0)) as last`,
    [campaignId, campaignId],
  );
  return row?.last === null || row?.last === undefined ? 0 : Number(row.last);
}

/** A campaign whose spending window ends soon, as the credit reminders need it. */
export interface EndingCampaign {
  id: string;
  comune_id: string;
  title: string;
  spending_until: string;
}

/** PUBLISHED or CLOSED campaigns whose spending window ends from `from` to `until` (days). */
export async function endingCampaigns(
  em: EntityManager,
  from: string,
  until: string,
): Promise<EndingCampaign[]> {
  return em.execute<EndingCampaign[]>(
    `select id, comune_id, title, to_char(spending_until, 'YYYY-MM-DD') as spending_until
       from ${S}."campaign"
      where status in ('PUBLISHED', 'CLOSED') and spending_until between ?::date and ?::date
      order by id`,
    [from, until],
  );
}

/** The holders (codice fiscale hash) of these cards, by card id. */
export async function cardHolders(
  em: EntityManager,
  cardIds: readonly string[],
): Promise<Map<string, string>> {
  if (cardIds.length === 0) return new Map();
  const rows = await em.execute<{ id: string; holder_fiscal_code_hash: string }[]>(
    `select id, holder_fiscal_code_hash from ${S}."card" where id = any(?::uuid[])`,
    [arrayLiteral(cardIds)],
  );
  return new Map(rows.map((r) => [r.id, r.holder_fiscal_code_hash]));
}

/** Of these outbox dedupe keys, those already written (the outbox's unique index answers). */
export async function writtenDedupeKeys(
  em: EntityManager,
  keys: readonly string[],
): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await em.execute<{ dedupe_key: string }[]>(
    `select dedupe_key from ${S}."message" where dedupe_key = any(?::text[])`,
    [arrayLiteral(keys)],
  );
  return new Set(rows.map((r) => r.dedupe_key));
}
