import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral } from '@welfare/kit/book';
import type {
  BatchStatus,
  HeldBackReason,
  PayeeKind,
  ReimbursementState,
} from './reimbursement.enums.js';

/*
 * The reimbursements' statements, by name: a shop's transactions and totals, misuse flags,
 * batches and their lines. The SQL stays hand-written (set-based, one statement per read); the
 * book's side (the payments' legs into the shops' accounts) comes in as `BookLegs` arrays.
 */

const S = '"public_welfare"';

export interface ShopTotals {
  authorisedCents: number;
  authorisedCount: number;
  voidedCents: number;
  voidedCount: number;
  flaggedCents: number;
  flaggedCount: number;
  inBatchCents: number;
  reimbursedCents: number;
  toBeReimbursedCents: number;
}

export interface ShopTransaction {
  id: string;
  accreditationId: string;
  createdAt: Date;
  amountCents: number;
  category: string;
  status: string;
  state: ReimbursementState;
  flagReason: string | null;
  flaggedAt: Date | null;
  batchId: string | null;
}

export interface Period {
  from: string | null;
  to: string | null;
}

export interface BatchRow {
  id: string;
  comuneId: string;
  campaignId: string;
  campaignTitle: string;
  cutOff: string;
  status: BatchStatus;
  debtorName: string;
  debtorIban: string;
  debtorBic: string | null;
  totalCents: number;
  paymentCount: number;
  lineCount: number;
  createdBy: string;
  createdAt: Date;
  approvedBy: string | null;
  approvedAt: Date | null;
  paidBy: string | null;
  paidAt: Date | null;
  bankDate: string | null;
  bankReference: string | null;
  discardedBy: string | null;
  discardedAt: Date | null;
  discardReason: string | null;
}

export interface BatchLine {
  id: string;
  accreditationId: string;
  businessName: string;
  iban: string;
  amountCents: number;
  paymentCount: number;
  periodFrom: string;
  periodTo: string;
}

/**
 * PAYMENT transfers into shop accounts, read from the book: one per transfer, with the accreditation
 * whose shop account it credited (the account's owner), the payment its `payment:<id>` reference
 * names, and its amount. Passed to `legRows` as arrays.
 */
export interface BookLegs {
  transferIds: string[];
  paymentIds: string[];
  accreditationIds: string[];
  amounts: number[];
}

interface TxRow {
  id: string;
  accreditation_id: string;
  created_at: Date;
  amount_cents: string;
  category: string;
  status: string;
  flag_reason: string | null;
  flagged_at: Date | null;
  batch_id: string | null;
  batch_status: BatchStatus | null;
}

function stateOf(r: TxRow): ReimbursementState {
  if (r.status === 'VOIDED') return 'VOIDED';
  if (r.batch_status === 'PAID') return 'REIMBURSED';
  if (r.batch_id) return 'IN_BATCH';
  if (r.flag_reason !== null) return 'FLAGGED';
  return 'TO_BE_REIMBURSED';
}

function toTransaction(r: TxRow): ShopTransaction {
  return {
    id: r.id,
    accreditationId: r.accreditation_id,
    createdAt: new Date(r.created_at),
    amountCents: Number(r.amount_cents),
    category: r.category,
    status: r.status,
    state: stateOf(r),
    flagReason: r.flag_reason,
    flaggedAt: r.flagged_at ? new Date(r.flagged_at) : null,
    batchId: r.batch_id,
  };
}

/** The payment's day in Italy. */
const DAY = `(p.created_at at time zone 'Europe/Rome')::date`;

/** The parameters of `legRows` (they come first in the query). */
const legParams = (l: BookLegs) => [
  arrayLiteral(l.transferIds),
  arrayLiteral(l.paymentIds),
  arrayLiteral(l.accreditationIds),
  arrayLiteral(l.amounts),
];

/**
 * The payments' legs by shop: one row per payment and accreditation whose shop account
 * (`shop:<accreditationId>`) its PAYMENT transfers credited, with `l.payment_id`,
 * `l.accreditation_id` and `l.amount_cents`, the sum of those legs (not the payment's amount). The
 * legs are read from the book first (`BookLegs`, passed as arrays: `legParams`); a leg counts when
 * its reference's payment exists and lists it in its `transfer_ids`. `where` filters `a` (the
 * accreditation credited) and `p` (the payment) before the legs are summed; its `?` come after
 * `legParams`.
 */
function legRows(where: string): string {
  return `(select p.id as payment_id, a.id as accreditation_id, sum(x.amount) as amount_cents
       from unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::bigint[])
         as x(transfer_id, payment_id, accreditation_id, amount)
       join ${S}."shop_accreditation" a on a.id = x.accreditation_id
       join ${S}."payment" p
         on p.id = x.payment_id and p.transfer_ids @> jsonb_build_array(x.transfer_id::text)
      where ${where}
      group by p.id, a.id) l`;
}

/** Restricts `legRows` to the ones of one payment. */
const OF_PAYMENT = `p.id = ?`;

/**
 * A shop's transaction is a payment's legs into that shop's account: the amount is theirs, and the
 * reimbursement state is the one of that payment and accreditation (`reimbursement_payment` has
 * one row per payment and accreditation, so the join adds no row).
 */
const TX_COLUMNS = `p.id, l.accreditation_id, p.created_at, l.amount_cents::text as amount_cents, p.category,
  p.status, m.reason as flag_reason, m.flagged_at, r.batch_id, b.status as batch_status`;
const TX_JOINS = (where: string) => `from ${legRows(where)}
  join ${S}."payment" p on p.id = l.payment_id
  left join ${S}."payment_misuse" m on m.payment_id = p.id
  left join ${S}."reimbursement_payment" r
    on r.payment_id = l.payment_id and r.accreditation_id = l.accreditation_id
  left join ${S}."reimbursement_batch" b on b.id = r.batch_id`;
/** The legs into one shop's account of payments made in the period (days in Italy). */
const SHOP_PERIOD = `a.id = ? and (?::date is null or ${DAY} >= ?::date) and (?::date is null or ${DAY} <= ?::date)`;
/** The legs into a campaign's shop accounts of AUTHORISED payments up to a cut-off day. */
const CAMPAIGN_UP_TO = `a.campaign_id = ? and p.status = 'AUTHORISED' and ${DAY} <= ?::date`;

const BATCH_COLUMNS = `b.id, b.comune_id, b.campaign_id, c.title as campaign_title,
  to_char(b.cut_off, 'YYYY-MM-DD') as cut_off, b.status, b.debtor_name, b.debtor_iban, b.debtor_bic,
  b.total_cents::text as total_cents, b.payment_count, b.line_count, b.created_by, b.created_at,
  b.approved_by, b.approved_at, b.paid_by, b.paid_at, to_char(b.bank_date, 'YYYY-MM-DD') as bank_date,
  b.bank_reference, b.discarded_by, b.discarded_at, b.discard_reason`;

interface BatchDbRow {
  id: string;
  comune_id: string;
  campaign_id: string;
  campaign_title: string;
  cut_off: string;
  status: BatchStatus;
  debtor_name: string;
  debtor_iban: string;
  debtor_bic: string | null;
  total_cents: string;
  payment_count: number;
  line_count: number;
  created_by: string;
  created_at: Date;
  approved_by: string | null;
  approved_at: Date | null;
  paid_by: string | null;
  paid_at: Date | null;
  bank_date: string | null;
  bank_reference: string | null;
  discarded_by: string | null;
  discarded_at: Date | null;
  discard_reason: string | null;
}

function toBatch(r: BatchDbRow): BatchRow {
  return {
    id: r.id,
    comuneId: r.comune_id,
    campaignId: r.campaign_id,
    campaignTitle: r.campaign_title,
    cutOff: r.cut_off,
    status: r.status,
    debtorName: r.debtor_name,
    debtorIban: r.debtor_iban,
    debtorBic: r.debtor_bic,
    totalCents: Number(r.total_cents),
    paymentCount: Number(r.payment_count),
    lineCount: Number(r.line_count),
    createdBy: r.created_by,
    createdAt: new Date(r.created_at),
    approvedBy: r.approved_by,
    approvedAt: r.approved_at ? new Date(r.approved_at) : null,
    paidBy: r.paid_by,
    paidAt: r.paid_at ? new Date(r.paid_at) : null,
    bankDate: r.bank_date,
    bankReference: r.bank_reference,
    discardedBy: r.discarded_by,
    discardedAt: r.discarded_at ? new Date(r.discarded_at) : null,
    discardReason: r.discard_reason,
  };
}

// ---------------------------------------------------------------- the shop's transactions

/** The parameters of `SHOP_PERIOD` after the legs'. */
const shopPeriodParams = (legs: BookLegs, accreditationId: string, period: Period) => [
  ...legParams(legs),
  accreditationId,
  period.from,
  period.from,
  period.to,
  period.to,
];

/** Totals of a shop's legs (`legs`: the shop's, from the book) of payments in the period. */
export async function shopTotals(
  em: EntityManager,
  legs: BookLegs,
  accreditationId: string,
  period: Period,
): Promise<ShopTotals> {
  const [row] = await em.execute<Record<string, string>[]>(
    `select
       coalesce(sum(l.amount_cents) filter (where p.status = 'AUTHORISED'), 0)::text as authorised,
       count(*) filter (where p.status = 'AUTHORISED')::text as authorised_count,
       coalesce(sum(l.amount_cents) filter (where p.status = 'VOIDED'), 0)::text as voided,
       count(*) filter (where p.status = 'VOIDED')::text as voided_count,
       coalesce(sum(l.amount_cents) filter (where p.status = 'AUTHORISED' and m.payment_id is not null), 0)::text as flagged,
       count(*) filter (where p.status = 'AUTHORISED' and m.payment_id is not null)::text as flagged_count,
       coalesce(sum(l.amount_cents) filter (where b.status in ('DRAFT', 'APPROVED')), 0)::text as in_batch,
       coalesce(sum(l.amount_cents) filter (where b.status = 'PAID'), 0)::text as reimbursed,
       coalesce(sum(l.amount_cents) filter (where p.status = 'AUTHORISED' and m.payment_id is null and r.payment_id is null), 0)::text as to_be
     ${TX_JOINS(SHOP_PERIOD)}`,
    shopPeriodParams(legs, accreditationId, period),
  );
  return {
    authorisedCents: Number(row!.authorised),
    authorisedCount: Number(row!.authorised_count),
    voidedCents: Number(row!.voided),
    voidedCount: Number(row!.voided_count),
    flaggedCents: Number(row!.flagged),
    flaggedCount: Number(row!.flagged_count),
    inBatchCents: Number(row!.in_batch),
    reimbursedCents: Number(row!.reimbursed),
    toBeReimbursedCents: Number(row!.to_be),
  };
}

/** A shop's transactions in the period, newest first (a page of them, or all), and their count. */
export async function shopTransactions(
  em: EntityManager,
  legs: BookLegs,
  accreditationId: string,
  period: Period,
  page: { offset: number; limit: number } | null,
): Promise<{ rows: ShopTransaction[]; total: number }> {
  const params = shopPeriodParams(legs, accreditationId, period);
  const rows = await em.execute<TxRow[]>(
    `select ${TX_COLUMNS} ${TX_JOINS(SHOP_PERIOD)} order by p.created_at desc, p.id${page ? ' limit ? offset ?' : ''}`,
    page ? [...params, page.limit, page.offset] : params,
  );
  const [count] = await em.execute<{ n: string }[]>(
    `select count(*)::text as n from ${legRows(SHOP_PERIOD)}`,
    params,
  );
  return { rows: rows.map(toTransaction), total: Number(count?.n ?? 0) };
}

/**
 * A payment as a shop's transaction: its legs (`legs`, the payment's) into the till's
 * accreditation when it has some, otherwise into the first accreditation its legs credited.
 */
export async function paymentTransaction(
  em: EntityManager,
  legs: BookLegs,
  paymentId: string,
): Promise<ShopTransaction> {
  const [row] = await em.execute<TxRow[]>(
    `select ${TX_COLUMNS} ${TX_JOINS(OF_PAYMENT)}
      order by (l.accreditation_id = p.accreditation_id) desc, l.accreditation_id limit 1`,
    [...legParams(legs), paymentId],
  );
  return toTransaction(row!);
}

/** The transfer ids a payment lists (none when there is no such payment). */
export async function paymentTransferIds(em: EntityManager, paymentId: string): Promise<string[]> {
  const [row] = await em.execute<{ transfer_ids: string[] }[]>(
    `select transfer_ids from ${S}."payment" where id = ?`,
    [paymentId],
  );
  return row?.transfer_ids ?? [];
}

/** The accreditations of a campaign, by id. */
export async function campaignAccreditationIds(
  em: EntityManager,
  campaignId: string,
): Promise<string[]> {
  const shops = await em.execute<{ id: string }[]>(
    `select id from ${S}."shop_accreditation" where campaign_id = ?`,
    [campaignId],
  );
  return shops.map((a) => a.id);
}

// ---------------------------------------------------------------- misuse flags

/** A payment as the flags need it. */
export interface FlaggedPaymentRow {
  id: string;
  comune_id: string;
  status: string;
  accreditation_id: string;
  transfer_ids: string[];
}

/** The payment of this id (lower case), or undefined. */
export async function paymentRow(
  em: EntityManager,
  paymentId: string,
): Promise<FlaggedPaymentRow | undefined> {
  const [row] = await em.execute<FlaggedPaymentRow[]>(
    `select id, comune_id, status, accreditation_id, transfer_ids from ${S}."payment" where id = ?`,
    [paymentId.toLowerCase()],
  );
  return row;
}

/** The campaigns of these accreditations, by id. */
export async function accreditationCampaignIds(
  em: EntityManager,
  accreditationIds: readonly string[],
): Promise<string[]> {
  const campaigns = await em.execute<{ campaign_id: string }[]>(
    `select distinct campaign_id from ${S}."shop_accreditation"
      where id = any(?::uuid[]) order by campaign_id`,
    [arrayLiteral(accreditationIds)],
  );
  return campaigns.map((c) => c.campaign_id);
}

/** Serialises batch creation and flags of one campaign (until the transaction ends). */
export async function lockCampaign(tx: EntityManager, campaignId: string): Promise<void> {
  await tx.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [
    `reimbursement:${campaignId}`,
  ]);
}

/** Where a payment is for a flag, its row locked until the transaction ends. */
export async function flagStateForUpdate(tx: EntityManager, paymentId: string) {
  const [state] = await tx.execute<
    { status: string; flagged: boolean; reimbursed: boolean; batched: boolean }[]
  >(
    `select p.status,
            exists (select 1 from ${S}."payment_misuse" m where m.payment_id = p.id) as flagged,
            exists (select 1 from ${S}."reimbursement_payment" r
                      join ${S}."reimbursement_batch" b on b.id = r.batch_id
                     where r.payment_id = p.id and b.status = 'PAID') as reimbursed,
            exists (select 1 from ${S}."reimbursement_payment" r where r.payment_id = p.id) as batched
       from ${S}."payment" p
      where p.id = ? for update of p`,
    [paymentId],
  );
  return state!;
}

/** Flags a payment (the flag and its FLAG event). */
export async function insertFlag(
  tx: EntityManager,
  payment: { id: string; comuneId: string },
  reason: string,
  personId: string,
): Promise<void> {
  await tx.execute(
    `insert into ${S}."payment_misuse" (payment_id, comune_id, reason, flagged_by) values (?, ?, ?, ?)`,
    [payment.id, payment.comuneId, reason, personId],
  );
  await insertFlagEvent(tx, payment, 'FLAG', reason, personId);
}

/** Clears a payment's flag and records the CLEAR event; false when it was not flagged. */
export async function deleteFlag(
  tx: EntityManager,
  payment: { id: string; comuneId: string },
  reason: string,
  personId: string,
): Promise<boolean> {
  const removed = await tx.execute<{ payment_id: string }[]>(
    `delete from ${S}."payment_misuse" where payment_id = ? returning payment_id`,
    [payment.id],
  );
  if (removed.length === 0) return false;
  await insertFlagEvent(tx, payment, 'CLEAR', reason, personId);
  return true;
}

async function insertFlagEvent(
  tx: EntityManager,
  payment: { id: string; comuneId: string },
  action: 'FLAG' | 'CLEAR',
  reason: string,
  personId: string,
): Promise<void> {
  await tx.execute(
    `insert into ${S}."payment_misuse_event" (id, payment_id, comune_id, action, reason, actor_id) values (?, ?, ?, ?, ?, ?)`,
    [randomUUID(), payment.id, payment.comuneId, action, reason, personId],
  );
}

/** A payment's flag history, oldest first. */
export async function flagEvents(em: EntityManager, paymentId: string) {
  const rows = await em.execute<
    { id: string; action: 'FLAG' | 'CLEAR'; reason: string; actor_id: string; at: Date }[]
  >(
    `select id, action, reason, actor_id, at from ${S}."payment_misuse_event" where payment_id = ? order by seq`,
    [paymentId],
  );
  return rows.map((r) => ({
    id: r.id,
    action: r.action,
    reason: r.reason,
    actorId: r.actor_id,
    at: new Date(r.at),
  }));
}

// ---------------------------------------------------------------- batches

/**
 * The legs into the campaign's shop accounts (`legs`, from the book) of AUTHORISED payments up to
 * the cut-off not yet in a batch (flagged ones included), with the shop's business name.
 */
export async function reimbursableTransactions(
  em: EntityManager,
  legs: BookLegs,
  campaignId: string,
  cutOff: string,
): Promise<(ShopTransaction & { businessName: string })[]> {
  const rows = await em.execute<(TxRow & { business_name: string })[]>(
    `select ${TX_COLUMNS}, s.business_name
       ${TX_JOINS(CAMPAIGN_UP_TO)}
       join ${S}."shop_accreditation" s on s.id = l.accreditation_id
      where r.payment_id is null
      order by s.business_name, l.accreditation_id, p.created_at, p.id limit 2000`,
    [...legParams(legs), campaignId, cutOff],
  );
  return rows.map((r) => ({ ...toTransaction(r), businessName: r.business_name }));
}

/** The flagged legs of a campaign's batch (`legs`: its shops') left out up to the cut-off. */
export async function excludedTransactions(
  em: EntityManager,
  legs: BookLegs,
  campaignId: string,
  cutOff: string,
): Promise<ShopTransaction[]> {
  const excluded = await em.execute<TxRow[]>(
    `select ${TX_COLUMNS}
       ${TX_JOINS(CAMPAIGN_UP_TO)}
      where m.payment_id is not null and r.payment_id is null
      order by p.created_at, p.id, l.accreditation_id limit 1000`,
    [...legParams(legs), campaignId, cutOff],
  );
  return excluded.map(toTransaction);
}

/** A Comune's batches, newest first (500 at most). */
export async function comuneBatches(em: EntityManager, comuneId: string): Promise<BatchRow[]> {
  const rows = await em.execute<BatchDbRow[]>(
    `select ${BATCH_COLUMNS} from ${S}."reimbursement_batch" b join ${S}."campaign" c on c.id = b.campaign_id
      where b.comune_id = ? order by b.created_at desc, b.id limit 500`,
    [comuneId],
  );
  return rows.map(toBatch);
}

/** The batch of this id, or null. */
export async function batchRow(em: EntityManager, id: string): Promise<BatchRow | null> {
  const [row] = await em.execute<BatchDbRow[]>(
    `select ${BATCH_COLUMNS} from ${S}."reimbursement_batch" b join ${S}."campaign" c on c.id = b.campaign_id where b.id = ?`,
    [id],
  );
  return row ? toBatch(row) : null;
}

/** A batch's lines, by business name. */
export async function batchLines(em: EntityManager, batchId: string): Promise<BatchLine[]> {
  const rows = await em.execute<
    {
      id: string;
      accreditation_id: string;
      business_name: string;
      iban: string;
      amount_cents: string;
      payment_count: number;
      period_from: string;
      period_to: string;
    }[]
  >(
    `select id, accreditation_id, business_name, iban, amount_cents::text as amount_cents, payment_count,
            to_char(period_from, 'YYYY-MM-DD') as period_from, to_char(period_to, 'YYYY-MM-DD') as period_to
       from ${S}."reimbursement_line" where batch_id = ? order by business_name, id`,
    [batchId],
  );
  return rows.map((r) => ({
    id: r.id,
    accreditationId: r.accreditation_id,
    businessName: r.business_name,
    iban: r.iban,
    amountCents: Number(r.amount_cents),
    paymentCount: Number(r.payment_count),
    periodFrom: r.period_from,
    periodTo: r.period_to,
  }));
}

/** A leg a new batch takes: the payment, the accreditation credited, the cents, the day, the shop. */
export interface PickedLeg {
  id: string;
  accreditation_id: string;
  amount_cents: string;
  day: string;
  business_name: string;
  iban: string;
}

/**
 * The legs a new batch of the campaign takes up to the cut-off (`legs`: the campaign's shops',
 * from the book): of AUTHORISED, unflagged payments, not yet in a batch for that accreditation;
 * the payments locked until the transaction ends.
 */
export function pickBatchLegs(
  tx: EntityManager,
  legs: BookLegs,
  campaignId: string,
  cutOff: string,
): Promise<PickedLeg[]> {
  return tx.execute<PickedLeg[]>(
    `select p.id, l.accreditation_id, l.amount_cents::text as amount_cents,
            to_char(${DAY}, 'YYYY-MM-DD') as day, s.business_name, s.iban
       from ${legRows(
         `${CAMPAIGN_UP_TO}
          and not exists (select 1 from ${S}."payment_misuse" m where m.payment_id = p.id)
          and not exists (select 1 from ${S}."reimbursement_payment" r
                           where r.payment_id = p.id and r.accreditation_id = a.id)`,
       )}
       join ${S}."payment" p on p.id = l.payment_id
       join ${S}."shop_accreditation" s on s.id = l.accreditation_id
      order by l.accreditation_id, p.created_at, p.id
      for update of p`,
    [...legParams(legs), campaignId, cutOff],
  );
}

/** A new batch's row. */
export interface NewBatch {
  id: string;
  comuneId: string;
  campaignId: string;
  cutOff: string;
  debtorName: string;
  debtorIban: string;
  debtorBic: string | null;
  totalCents: number;
  paymentCount: number;
  lineCount: number;
  createdBy: string;
}

/** A new batch's line (one per accreditation). */
export interface NewBatchLine {
  id: string;
  accreditation_id: string;
  business_name: string;
  iban: string;
  amount_cents: number;
  payment_count: number;
  period_from: string;
  period_to: string;
}

/** A leg a new batch takes, in its line. */
export interface NewBatchPayment {
  payment_id: string;
  accreditation_id: string;
  line_id: string;
  amount_cents: number;
}

/** Inserts a DRAFT batch, its lines and its legs (`reimbursement_payment`). */
export async function insertBatch(
  tx: EntityManager,
  batch: NewBatch,
  lines: readonly NewBatchLine[],
  payments: readonly NewBatchPayment[],
): Promise<void> {
  await tx.execute(
    `insert into ${S}."reimbursement_batch" (id, comune_id, campaign_id, cut_off, debtor_name, debtor_iban,
       debtor_bic, total_cents, payment_count, line_count, created_by)
     values (?, ?, ?, ?::date, ?, ?, ?, ?, ?, ?, ?)`,
    [
      batch.id,
      batch.comuneId,
      batch.campaignId,
      batch.cutOff,
      batch.debtorName,
      batch.debtorIban,
      batch.debtorBic,
      batch.totalCents,
      batch.paymentCount,
      batch.lineCount,
      batch.createdBy,
    ],
  );
  await tx.execute(
    `insert into ${S}."reimbursement_line" (id, batch_id, accreditation_id, business_name, iban, amount_cents,
       payment_count, period_from, period_to)
     select l.id, ?, l.accreditation_id, l.business_name, l.iban, l.amount_cents, l.payment_count, l.period_from, l.period_to
       from jsonb_to_recordset(?::jsonb) as l(id uuid, accreditation_id uuid, business_name text, iban text,
         amount_cents bigint, payment_count int, period_from date, period_to date)`,
    [batch.id, JSON.stringify(lines)],
  );
  await tx.execute(
    `insert into ${S}."reimbursement_payment" (payment_id, accreditation_id, batch_id, line_id, amount_cents)
     select x.payment_id, x.accreditation_id, ?, x.line_id, x.amount_cents
       from jsonb_to_recordset(?::jsonb) as x(payment_id uuid, accreditation_id uuid, line_id uuid,
         amount_cents bigint)`,
    [batch.id, JSON.stringify(payments)],
  );
}

/** A batch's status, its row locked until the transaction ends. */
export async function batchStatusForUpdate(tx: EntityManager, id: string): Promise<BatchStatus> {
  const [row] = await tx.execute<{ status: BatchStatus }[]>(
    `select status from ${S}."reimbursement_batch" where id = ? for update`,
    [id],
  );
  return row!.status;
}

/** A batch's status and bank confirmation, its row locked until the transaction ends. */
export async function batchPaymentForUpdate(tx: EntityManager, id: string) {
  const [row] = await tx.execute<
    { status: BatchStatus; bank_date: string | null; bank_reference: string | null }[]
  >(
    `select status, to_char(bank_date, 'YYYY-MM-DD') as bank_date, bank_reference
       from ${S}."reimbursement_batch" where id = ? for update`,
    [id],
  );
  return row!;
}

/** Marks a batch APPROVED by a manager. */
export async function approveBatch(tx: EntityManager, id: string, personId: string) {
  await tx.execute(
    `update ${S}."reimbursement_batch" set status = 'APPROVED', approved_by = ?, approved_at = now() where id = ?`,
    [personId, id],
  );
}

/** Each line of a batch with its payments' transfer ids (one row per line and payment). */
export function paidLineTransfers(tx: EntityManager, batchId: string) {
  return tx.execute<
    { line_id: string; accreditation_id: string; line_amount: string; transfer_ids: string[] }[]
  >(
    `select l.id as line_id, l.accreditation_id, l.amount_cents::text as line_amount, p.transfer_ids
       from ${S}."reimbursement_line" l
       join ${S}."reimbursement_payment" r on r.line_id = l.id and r.batch_id = l.batch_id
       join ${S}."payment" p on p.id = r.payment_id
      where l.batch_id = ?`,
    [batchId],
  );
}

/** How many lines a batch has. */
export async function batchLineCount(tx: EntityManager, batchId: string): Promise<number> {
  const lineCount = await tx.execute<{ n: number }[]>(
    `select count(*)::int as n from ${S}."reimbursement_line" where batch_id = ?`,
    [batchId],
  );
  return Number(lineCount[0]?.n ?? 0);
}

/** Marks a batch PAID with the bank's value date and reference. */
export async function markBatchPaid(
  tx: EntityManager,
  id: string,
  personId: string,
  bank: { bankDate: string; bankReference: string },
): Promise<void> {
  await tx.execute(
    `update ${S}."reimbursement_batch" set status = 'PAID', paid_by = ?, paid_at = now(),
       bank_date = ?::date, bank_reference = ? where id = ?`,
    [personId, bank.bankDate, bank.bankReference, id],
  );
}

/** Discards a DRAFT batch: its payments leave it (its lines stay), with who and why. */
export async function discardBatch(
  tx: EntityManager,
  id: string,
  personId: string,
  reason: string,
): Promise<void> {
  await tx.execute(`delete from ${S}."reimbursement_payment" where batch_id = ?`, [id]);
  await tx.execute(
    `update ${S}."reimbursement_batch" set status = 'DISCARDED', discarded_by = ?, discarded_at = now(),
       discard_reason = ? where id = ?`,
    [personId, reason, id],
  );
}

// ---------------------------------------------------------------- providers (payee lines)

/** A batch's credit transfer to a third-sector provider: its services' balance, or tutoring. */
export interface PayeeLine {
  id: string;
  batchId: string;
  kind: PayeeKind;
  providerId: string;
  providerName: string;
  iban: string;
  amountCents: number;
  /** The provider's book account for the batch's campaign (PROVIDER_SERVICES). */
  accountId: string | null;
  programmeId: string | null;
  programmeTitle: string | null;
  minutes: number | null;
  hourlyTariffCents: number | null;
  lessonCount: number | null;
  periodFrom: string | null;
  periodTo: string;
}

/** What a batch could not pay, and why. */
export interface HeldBack {
  id: string;
  kind: PayeeKind;
  providerId: string;
  providerName: string | null;
  programmeId: string | null;
  programmeTitle: string | null;
  amountCents: number | null;
  minutes: number | null;
  reason: HeldBackReason;
}

const PAYEE_COLUMNS = `l.id, l.batch_id, l.kind, l.provider_id, l.provider_name, l.iban,
  l.amount_cents::text as amount_cents, l.account_id, l.programme_id, l.programme_title, l.minutes,
  l.hourly_tariff_cents, l.lesson_count, to_char(l.period_from, 'YYYY-MM-DD') as period_from,
  to_char(l.period_to, 'YYYY-MM-DD') as period_to`;

interface PayeeDbRow {
  id: string;
  batch_id: string;
  kind: PayeeKind;
  provider_id: string;
  provider_name: string;
  iban: string;
  amount_cents: string;
  account_id: string | null;
  programme_id: string | null;
  programme_title: string | null;
  minutes: number | null;
  hourly_tariff_cents: number | null;
  lesson_count: number | null;
  period_from: string | null;
  period_to: string;
}

const num = (v: number | string | null) => (v === null ? null : Number(v));

function toPayeeLine(r: PayeeDbRow): PayeeLine {
  return {
    id: r.id,
    batchId: r.batch_id,
    kind: r.kind,
    providerId: r.provider_id,
    providerName: r.provider_name,
    iban: r.iban,
    amountCents: Number(r.amount_cents),
    accountId: r.account_id,
    programmeId: r.programme_id,
    programmeTitle: r.programme_title,
    minutes: num(r.minutes),
    hourlyTariffCents: num(r.hourly_tariff_cents),
    lessonCount: num(r.lesson_count),
    periodFrom: r.period_from,
    periodTo: r.period_to,
  };
}

/** A batch's provider lines, by kind and name. */
export async function batchPayeeLines(em: EntityManager, batchId: string): Promise<PayeeLine[]> {
  const rows = await em.execute<PayeeDbRow[]>(
    `select ${PAYEE_COLUMNS} from ${S}."reimbursement_payee_line" l where l.batch_id = ?
      order by l.kind, l.provider_name, l.programme_title nulls first, l.id`,
    [batchId],
  );
  return rows.map(toPayeeLine);
}

/** A batch's held-back provider amounts and hours. */
export async function batchHeldBack(em: EntityManager, batchId: string): Promise<HeldBack[]> {
  const rows = await em.execute<
    {
      id: string;
      kind: PayeeKind;
      provider_id: string;
      provider_name: string | null;
      programme_id: string | null;
      programme_title: string | null;
      amount_cents: string | null;
      minutes: number | null;
      reason: HeldBackReason;
    }[]
  >(
    `select id, kind, provider_id, provider_name, programme_id, programme_title,
            amount_cents::text as amount_cents, minutes, reason
       from ${S}."reimbursement_held_back" where batch_id = ?
      order by kind, provider_name nulls last, programme_title nulls first, id`,
    [batchId],
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    providerId: r.provider_id,
    providerName: r.provider_name,
    programmeId: r.programme_id,
    programmeTitle: r.programme_title,
    amountCents: num(r.amount_cents),
    minutes: num(r.minutes),
    reason: r.reason,
  }));
}

/**
 * What DRAFT and APPROVED batches will take from each of these provider accounts (a PAID batch
 * already took its lines out of the account; a DISCARDED one takes nothing).
 */
export async function unpaidByAccount(
  tx: EntityManager,
  accountIds: readonly string[],
): Promise<Map<string, number>> {
  const rows = accountIds.length
    ? await tx.execute<{ account_id: string; unpaid: string }[]>(
        `select l.account_id, sum(l.amount_cents)::text as unpaid
           from ${S}."reimbursement_payee_line" l
           join ${S}."reimbursement_batch" b on b.id = l.batch_id
          where l.account_id = any(?::uuid[]) and b.status in ('DRAFT', 'APPROVED')
          group by l.account_id`,
        [arrayLiteral(accountIds)],
      )
    : [];
  return new Map(rows.map((r) => [r.account_id, Number(r.unpaid)]));
}

/** Of these lessons, the ones a batch already took. */
export async function takenLessons(tx: EntityManager, lessonIds: readonly string[]) {
  if (!lessonIds.length) return new Set<string>();
  const rows = await tx.execute<{ lesson_id: string }[]>(
    `select lesson_id from ${S}."reimbursement_tutoring_lesson" where lesson_id = any(?::uuid[])`,
    [arrayLiteral(lessonIds)],
  );
  return new Set(rows.map((r) => r.lesson_id));
}

/** Serialises the tutoring statements of one Comune (until the transaction ends). */
export async function lockComuneTutoring(tx: EntityManager, comuneId: string): Promise<void> {
  await tx.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [
    `reimbursement-tutoring:${comuneId}`,
  ]);
}

/** A new batch's provider lines, the lessons they pay, and what it held back. */
export interface NewPayeeRows {
  lines: (Omit<PayeeLine, 'batchId'> & { lessons: { lessonId: string; minutes: number }[] })[];
  heldBack: Omit<HeldBack, 'id'>[];
}

/** Inserts a new batch's provider lines, their lessons and what it held back. */
export async function insertPayeeRows(
  tx: EntityManager,
  batchId: string,
  rows: NewPayeeRows,
): Promise<void> {
  if (rows.lines.length) {
    await tx.execute(
      `insert into ${S}."reimbursement_payee_line" (id, batch_id, kind, provider_id, provider_name, iban,
         amount_cents, account_id, programme_id, programme_title, minutes, hourly_tariff_cents,
         lesson_count, period_from, period_to)
       select l."id", ?, l."kind", l."providerId", l."providerName", l."iban", l."amountCents",
         l."accountId", l."programmeId", l."programmeTitle", l."minutes", l."hourlyTariffCents",
         l."lessonCount", l."periodFrom", l."periodTo"
         from jsonb_to_recordset(?::jsonb) as l("id" uuid, "kind" text, "providerId" uuid,
           "providerName" text, "iban" text, "amountCents" bigint, "accountId" uuid,
           "programmeId" uuid, "programmeTitle" text, "minutes" int, "hourlyTariffCents" int,
           "lessonCount" int, "periodFrom" date, "periodTo" date)`,
      [batchId, JSON.stringify(rows.lines)],
    );
    const lessons = rows.lines.flatMap((l) =>
      l.lessons.map((x) => ({ lesson_id: x.lessonId, line_id: l.id, minutes: x.minutes })),
    );
    if (lessons.length)
      await tx.execute(
        `insert into ${S}."reimbursement_tutoring_lesson" (lesson_id, batch_id, line_id, minutes)
         select x.lesson_id, ?, x.line_id, x.minutes
           from jsonb_to_recordset(?::jsonb) as x(lesson_id uuid, line_id uuid, minutes int)`,
        [batchId, JSON.stringify(lessons)],
      );
  }
  if (rows.heldBack.length)
    await tx.execute(
      `insert into ${S}."reimbursement_held_back" (id, batch_id, kind, provider_id, provider_name,
         programme_id, programme_title, amount_cents, minutes, reason)
       select gen_random_uuid(), ?, h."kind", h."providerId", h."providerName", h."programmeId",
         h."programmeTitle", h."amountCents", h."minutes", h."reason"
         from jsonb_to_recordset(?::jsonb) as h("kind" text, "providerId" uuid, "providerName" text,
           "programmeId" uuid, "programmeTitle" text, "amountCents" bigint, "minutes" int,
           "reason" text)`,
      [batchId, JSON.stringify(rows.heldBack)],
    );
}

/** Frees the lessons of a discarded batch (its lines stay as the record). */
export async function releaseBatchLessons(tx: EntityManager, batchId: string): Promise<void> {
  await tx.execute(`delete from ${S}."reimbursement_tutoring_lesson" where batch_id = ?`, [
    batchId,
  ]);
}

/** A provider's lines in batches (not discarded), newest first, with their batch (500 at most). */
export async function providerPayeeLines(
  em: EntityManager,
  providerId: string,
): Promise<(PayeeLine & { batch: BatchRow })[]> {
  const rows = await em.execute<(PayeeDbRow & { b_id: string })[]>(
    `select ${PAYEE_COLUMNS}, b.id as b_id from ${S}."reimbursement_payee_line" l
       join ${S}."reimbursement_batch" b on b.id = l.batch_id
      where l.provider_id = ? and b.status <> 'DISCARDED'
      order by b.created_at desc, l.kind, l.id limit 500`,
    [providerId],
  );
  const batches = new Map<string, BatchRow>();
  for (const id of new Set(rows.map((r) => r.b_id))) {
    const batch = await batchRow(em, id);
    if (batch) batches.set(id, batch);
  }
  return rows.map((r) => ({ ...toPayeeLine(r), batch: batches.get(r.b_id)! }));
}
