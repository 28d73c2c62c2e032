import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller } from '@welfare/kit';
import { electronicFormatIBAN, isSEPACountry, isValidBIC, isValidIBAN } from 'ibantools';
import { Campaign } from '../campaign/campaign.entity.js';
import { arrayLiteral } from '@welfare/kit/book';
import {
  TransferCode,
  accountCodes,
  book,
  deterministicId,
  settlementAccount,
  withRetry,
} from '../ledger/ledger.js';
import { isComuneStaff, isUuid, requireComuneManager } from '../shared/access.js';
import { isIsoDate, italianDate, italianText } from '../shared/dates.js';
import { ShopAccreditation } from '../shop/shop.entity.js';
import { worksAt } from '../shop/shop.service.js';
import { renderPain001, sepaId, sepaText } from './sepa.js';

const S = '"public_welfare"';

export const BATCH_STATUSES = ['DRAFT', 'APPROVED', 'PAID', 'DISCARDED'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** Where a payment is, for reimbursement. */
export const REIMBURSEMENT_STATES = [
  'VOIDED',
  'FLAGGED',
  'TO_BE_REIMBURSED',
  'IN_BATCH',
  'REIMBURSED',
] as const;
export type ReimbursementState = (typeof REIMBURSEMENT_STATES)[number];

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

export interface ShopDashboard {
  accreditation: ShopAccreditation;
  period: Period;
  totals: ShopTotals;
  transactions: ShopTransaction[];
  /** Transactions in the period (for paging). */
  total: number;
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

export interface BatchDetail {
  batch: BatchRow;
  lines: BatchLine[];
  /**
   * Flagged payments of the campaign up to the cut-off: left out of every batch (none for a
   * DISCARDED batch, which pays nothing).
   */
  excluded: ShopTransaction[];
}

export interface CreateBatchInput {
  campaignId: string;
  cutOff: string;
  debtorName: string;
  debtorIban: string;
  debtorBic?: string | null;
}

export interface MarkPaidInput {
  bankDate: string;
  bankReference: string;
}

const notFound = {
  shop: () =>
    DomainError.notFound({ it: 'Accreditamento non trovato.', en: 'Accreditation not found.' }),
  payment: () => DomainError.notFound({ it: 'Pagamento non trovato.', en: 'Payment not found.' }),
  batch: () =>
    DomainError.notFound({
      it: 'Lotto di rimborso non trovato.',
      en: 'Reimbursement batch not found.',
    }),
  campaign: () => DomainError.notFound({ it: 'Misura non trovata.', en: 'Campaign not found.' }),
};

/** An operation on a DISCARDED batch. */
const discardedConflict = () =>
  DomainError.conflict({
    it: 'Il lotto è stato annullato: non paga nulla. Crea un nuovo lotto.',
    en: 'The batch was discarded: it pays nothing. Create a new batch.',
  });

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

/**
 * PAYMENT transfers into shop accounts, read from the book: one per transfer, with the accreditation
 * whose shop account it credited (the account's owner), the payment its `payment:<id>` reference
 * names, and its amount. Passed to `legs` as arrays.
 */
interface BookLegs {
  transferIds: string[];
  paymentIds: string[];
  accreditationIds: string[];
  amounts: number[];
}

/** A payment id from a transfer's reference (`payment:<id>`), or null. */
function paymentOf(reference: string | null): string | null {
  const m = reference === null ? null : /^payment:([0-9a-f-]{36})$/.exec(reference);
  return m && isUuid(m[1]!) ? m[1]! : null;
}

function bookLegs(
  rows: readonly { transferId: string; reference: string | null; shop: string; amount: number }[],
): BookLegs {
  const legs: BookLegs = { transferIds: [], paymentIds: [], accreditationIds: [], amounts: [] };
  for (const r of rows) {
    const paymentId = paymentOf(r.reference);
    if (!paymentId || !isUuid(r.shop)) continue;
    legs.transferIds.push(r.transferId);
    legs.paymentIds.push(paymentId);
    legs.accreditationIds.push(r.shop);
    legs.amounts.push(r.amount);
  }
  return legs;
}

/**
 * Every posted PAYMENT transfer into the shop accounts of these accreditations (by the accounts'
 * owner: one indexed read of the book, whatever the period: a payment's day is its own
 * `created_at`, which need not be its transfers').
 */
async function shopLegs(em: EntityManager, accreditationIds: readonly string[]): Promise<BookLegs> {
  if (!accreditationIds.length) return bookLegs([]);
  const groups = await book.movementGroups(
    em,
    { owner: { kind: 'shop', ids: accreditationIds } },
    { by: ['owner', 'reference', 'transfer'], codes: [TransferCode.PAYMENT] },
  );
  return bookLegs(
    groups
      .filter((g) => g.credits > 0)
      .map((g) => ({
        transferId: g.transferId!,
        reference: g.reference,
        shop: g.ownerId!,
        amount: g.credits,
      })),
  );
}

/** A payment's transfers (of its `transfer_ids`) that credited a shop account, from the book. */
async function paymentTransfers(em: EntityManager, transferIds: readonly string[]) {
  const transfers = transferIds.length ? await book.transfersById(em, transferIds) : [];
  const accounts = transfers.length
    ? await book.accounts(em, { ids: [...new Set(transfers.map((t) => t.creditAccountId))] })
    : [];
  const shops = new Map(
    accounts.filter((a) => a.owner?.kind === 'shop').map((a) => [a.id, a.owner!.id]),
  );
  return transfers.flatMap((t) => {
    const shop = shops.get(t.creditAccountId);
    return shop ? [{ ...t, shop }] : [];
  });
}

/** The posted PAYMENT legs of one payment into shop accounts. */
async function legsOfPayment(em: EntityManager, paymentId: string): Promise<BookLegs> {
  const [row] = await em.execute<{ transfer_ids: string[] }[]>(
    `select transfer_ids from ${S}."payment" where id = ?`,
    [paymentId],
  );
  const transfers = await paymentTransfers(em, row?.transfer_ids ?? []);
  return bookLegs(
    transfers
      .filter((t) => t.code === TransferCode.PAYMENT && t.status === 'POSTED')
      .map((t) => ({ transferId: t.id, reference: t.reference, shop: t.shop, amount: t.amount })),
  );
}

/** The parameters of `legs` (they come first in the query). */
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
function legs(where: string): string {
  return `(select p.id as payment_id, a.id as accreditation_id, sum(x.amount) as amount_cents
       from unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::bigint[])
         as x(transfer_id, payment_id, accreditation_id, amount)
       join ${S}."shop_accreditation" a on a.id = x.accreditation_id
       join ${S}."payment" p
         on p.id = x.payment_id and p.transfer_ids @> jsonb_build_array(x.transfer_id::text)
      where ${where}
      group by p.id, a.id) l`;
}

/** Restricts `legs` to the ones of one payment. */
const OF_PAYMENT = `p.id = ?`;

/**
 * A shop's transaction is a payment's legs into that shop's account: the amount is theirs, and the
 * reimbursement state is the one of that payment and accreditation (`reimbursement_payment` has
 * one row per payment and accreditation, so the join adds no row).
 */
const TX_COLUMNS = `p.id, l.accreditation_id, p.created_at, l.amount_cents::text as amount_cents, p.category,
  p.status, m.reason as flag_reason, m.flagged_at, r.batch_id, b.status as batch_status`;
const TX_JOINS = (where: string) => `from ${legs(where)}
  join ${S}."payment" p on p.id = l.payment_id
  left join ${S}."payment_misuse" m on m.payment_id = p.id
  left join ${S}."reimbursement_payment" r
    on r.payment_id = l.payment_id and r.accreditation_id = l.accreditation_id
  left join ${S}."reimbursement_batch" b on b.id = r.batch_id`;
/** The legs into one shop's account of payments made in the period (days in Italy). */
const SHOP_PERIOD = `a.id = ? and (?::date is null or ${DAY} >= ?::date) and (?::date is null or ${DAY} <= ?::date)`;

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

/**
 * Reimbursements of shops. Misuse flags (Comune staff; history append-only), the shop's dashboard
 * and statement (the merchant's OWNERs and CASHIERs, and the Comune's staff), reimbursement batches
 * of a campaign (staff create, MANAGER approve and mark paid) and their SEPA file.
 *
 * Batches are built from the book's payment legs, not from `payment.accreditation_id`. A payment
 * spends the card's credit of the campaign(s) ending first, and each leg (a PAYMENT transfer) goes
 * to the shop account `shop:<accreditationId>` of the merchant's accreditation for THAT campaign,
 * whichever till (the payment's `accreditation_id`) took it. So a batch of campaign C takes every
 * PAYMENT leg that credited the shop account of an accreditation of C, of payments AUTHORISED, not
 * flagged, made up to the cut-off (a past day: today's payments may still be voided), whose leg is
 * not in a batch yet: one line per accreditation of C (its IBAN), for the sum of those legs. A
 * payment split across two campaigns is in both campaigns' batches, once per accreditation, each
 * for its leg; marking a batch paid moves each line's legs out of that line's shop account. The
 * shop's dashboard, statement, the preview and the excluded payments are leg-based too: a payment
 * shows under each accreditation it credited, with that leg's amount and that leg's reimbursement.
 *
 * Batches of one campaign are created one at a time (a transaction-level advisory lock), and the
 * primary key (payment, accreditation) of `reimbursement_payment` keeps a leg in one batch whatever
 * happens. A flag is on the whole payment (all its legs). Flagging a payment with a leg already in
 * a batch is refused (CONFLICT): the flag must come before the batch, or the DRAFT batch is
 * discarded first (its payments become free again), then flagged, then drafted again.
 */
export class ReimbursementService {
  constructor(private readonly now: () => Date = () => new Date()) {}

  // ---------------------------------------------------------------- access

  /** The accreditation for its merchant's people or its Comune's staff (NOT_FOUND otherwise). */
  private async shopFor(
    em: EntityManager,
    caller: Caller,
    accreditationId: string,
  ): Promise<ShopAccreditation> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    const shop = isUuid(accreditationId)
      ? await em.findOne(ShopAccreditation, { id: accreditationId.toLowerCase() })
      : null;
    if (!shop || !(worksAt(caller, shop.merchantId) || isComuneStaff(caller, shop.comuneId)))
      throw notFound.shop();
    return shop;
  }

  private checkPeriod(
    from: string | null | undefined,
    to: string | null | undefined,
    errors = new FieldErrors(),
  ): Period {
    const f = from || null;
    const t = to || null;
    if (f !== null && !isIsoDate(f))
      errors.add('from', 'Data non valida (AAAA-MM-GG).', 'Invalid date (YYYY-MM-DD).');
    if (t !== null && !isIsoDate(t))
      errors.add('to', 'Data non valida (AAAA-MM-GG).', 'Invalid date (YYYY-MM-DD).');
    if (f !== null && t !== null && isIsoDate(f) && isIsoDate(t) && f > t)
      errors.add(
        'to',
        'La fine del periodo precede l’inizio.',
        'The end of the period is before its start.',
      );
    errors.throwIfAny();
    return { from: f, to: t };
  }

  // ---------------------------------------------------------------- shop side

  /**
   * Totals of a shop's payments in the period (both dates included, days in Italy): of their legs
   * into the shop's account.
   */
  async totals(
    em: EntityManager,
    accreditationId: string,
    period: Period,
    known?: BookLegs,
  ): Promise<ShopTotals> {
    const bookRows = known ?? (await shopLegs(em, [accreditationId]));
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
      [...legParams(bookRows), accreditationId, period.from, period.from, period.to, period.to],
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

  private async transactions(
    em: EntityManager,
    accreditationId: string,
    period: Period,
    page: { offset: number; limit: number } | null,
    known: BookLegs,
  ): Promise<{ rows: ShopTransaction[]; total: number }> {
    const params = [
      ...legParams(known),
      accreditationId,
      period.from,
      period.from,
      period.to,
      period.to,
    ];
    const rows = await em.execute<TxRow[]>(
      `select ${TX_COLUMNS} ${TX_JOINS(SHOP_PERIOD)} order by p.created_at desc, p.id${page ? ' limit ? offset ?' : ''}`,
      page ? [...params, page.limit, page.offset] : params,
    );
    const [count] = await em.execute<{ n: string }[]>(
      `select count(*)::text as n from ${legs(SHOP_PERIOD)}`,
      params,
    );
    return { rows: rows.map(toTransaction), total: Number(count?.n ?? 0) };
  }

  /**
   * A shop's dashboard: its payments in the period, newest first (paged), and their totals. The
   * merchant's OWNERs and CASHIERs and the staff of its Comune; NOT_FOUND for anyone else.
   */
  async dashboard(
    em: EntityManager,
    caller: Caller,
    accreditationId: string,
    options: { from?: string | null; to?: string | null; offset?: number; limit?: number } = {},
  ): Promise<ShopDashboard> {
    const shop = await this.shopFor(em, caller, accreditationId);
    const offset = options.offset ?? 0;
    const limit = options.limit ?? 50;
    const errors = new FieldErrors();
    if (!Number.isInteger(offset) || offset < 0 || offset > 1_000_000)
      errors.add('offset', 'Un intero da 0 in su.', 'A whole number from 0.');
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      errors.add('limit', 'Un intero da 1 a 500.', 'A whole number from 1 to 500.');
    const period = this.checkPeriod(options.from, options.to, errors);
    const known = await shopLegs(em, [shop.id]);
    const totals = await this.totals(em, shop.id, period, known);
    const { rows, total } = await this.transactions(em, shop.id, period, { offset, limit }, known);
    return { accreditation: shop, period, totals, transactions: rows, total };
  }

  /** A shop's statement for a period: every payment in it (oldest first) and the totals. */
  async statement(
    em: EntityManager,
    caller: Caller,
    accreditationId: string,
    from: string | null | undefined,
    to: string | null | undefined,
  ): Promise<ShopDashboard> {
    const shop = await this.shopFor(em, caller, accreditationId);
    const period = this.checkPeriod(from, to);
    const known = await shopLegs(em, [shop.id]);
    const totals = await this.totals(em, shop.id, period, known);
    const { rows, total } = await this.transactions(em, shop.id, period, null, known);
    return { accreditation: shop, period, totals, transactions: rows.reverse(), total };
  }

  // ---------------------------------------------------------------- misuse flags

  /**
   * The payment, its Comune and the campaigns whose batches may take its legs (of the accreditations
   * its legs credited, and of the till's), for the Comune's staff (NOT_FOUND for anyone else).
   */
  private async paymentForStaff(em: EntityManager, caller: Caller, paymentId: string) {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (!isUuid(paymentId)) throw notFound.payment();
    const [row] = await em.execute<
      {
        id: string;
        comune_id: string;
        status: string;
        accreditation_id: string;
        transfer_ids: string[];
      }[]
    >(
      `select id, comune_id, status, accreditation_id, transfer_ids from ${S}."payment" where id = ?`,
      [paymentId.toLowerCase()],
    );
    if (!row || !isComuneStaff(caller, row.comune_id)) throw notFound.payment();
    // The accreditations its PAYMENT transfers credited (the book), and the till's.
    const credited = (await paymentTransfers(em, row.transfer_ids))
      .filter((t) => t.code === TransferCode.PAYMENT && isUuid(t.shop))
      .map((t) => t.shop);
    const campaigns = await em.execute<{ campaign_id: string }[]>(
      `select distinct campaign_id from ${S}."shop_accreditation"
        where id = any(?::uuid[]) order by campaign_id`,
      [arrayLiteral([row.accreditation_id, ...credited])],
    );
    return {
      id: row.id,
      comune_id: row.comune_id,
      status: row.status,
      campaign_ids: campaigns.map((c) => c.campaign_id),
    };
  }

  /** Locks the campaigns of a payment's legs, in id order (the same order for every caller). */
  private async lockCampaigns(tx: EntityManager, campaignIds: string[]): Promise<void> {
    for (const id of [...campaignIds].sort()) await this.lockCampaign(tx, id);
  }

  private checkReason(reason: unknown): string {
    const text = typeof reason === 'string' ? reason.replace(/\s+/g, ' ').trim() : '';
    if (text.length < 3 || text.length > 500)
      new FieldErrors()
        .add(
          'reason',
          'Scrivi il motivo (da 3 a 500 caratteri).',
          'Write the reason (3 to 500 characters).',
        )
        .throwIfAny();
    return text;
  }

  /**
   * Staff of the Comune flag a payment as misuse, with a reason (all its legs). CONFLICT when it is
   * voided, already flagged, or a leg of it is already in a batch (flag before batching; a PAID one
   * was reimbursed). Under the locks of every campaign whose batches may take one of its legs.
   */
  async flag(
    em: EntityManager,
    caller: Caller,
    paymentId: string,
    reason: string,
  ): Promise<ShopTransaction> {
    const payment = await this.paymentForStaff(em, caller, paymentId);
    const text = this.checkReason(reason);
    const personId = caller.kind === 'person' ? caller.personId : '';
    await withRetry(() =>
      em.fork().transactional(async (tx) => {
        await this.lockCampaigns(tx, payment.campaign_ids);
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
          [payment.id],
        );
        if (state!.status !== 'AUTHORISED')
          throw DomainError.conflict({
            it: 'Il pagamento è stato annullato: non c’è nulla da segnalare.',
            en: 'The payment was voided: there is nothing to flag.',
          });
        if (state!.flagged)
          throw DomainError.conflict({
            it: 'Il pagamento è già segnalato come uso improprio.',
            en: 'The payment is already flagged as misuse.',
          });
        if (state!.reimbursed)
          throw DomainError.conflict({
            it: 'Il pagamento è già stato rimborsato.',
            en: 'The payment has already been reimbursed.',
          });
        if (state!.batched)
          throw DomainError.conflict({
            it: 'Il pagamento è in un lotto di rimborso non ancora pagato: non si può più segnalare.',
            en: 'The payment is in a reimbursement batch not yet paid: it can no longer be flagged.',
          });
        await tx.execute(
          `insert into ${S}."payment_misuse" (payment_id, comune_id, reason, flagged_by) values (?, ?, ?, ?)`,
          [payment.id, payment.comune_id, text, personId],
        );
        await tx.execute(
          `insert into ${S}."payment_misuse_event" (id, payment_id, comune_id, action, reason, actor_id) values (?, ?, ?, 'FLAG', ?, ?)`,
          [randomUUID(), payment.id, payment.comune_id, text, personId],
        );
      }),
    );
    return this.transaction(em.fork(), payment.id);
  }

  /** Staff of the Comune clear a flag, with a reason (the flag stays in the history). */
  async clearFlag(
    em: EntityManager,
    caller: Caller,
    paymentId: string,
    reason: string,
  ): Promise<ShopTransaction> {
    const payment = await this.paymentForStaff(em, caller, paymentId);
    const text = this.checkReason(reason);
    const personId = caller.kind === 'person' ? caller.personId : '';
    await withRetry(() =>
      em.fork().transactional(async (tx) => {
        await this.lockCampaigns(tx, payment.campaign_ids);
        const removed = await tx.execute<{ payment_id: string }[]>(
          `delete from ${S}."payment_misuse" where payment_id = ? returning payment_id`,
          [payment.id],
        );
        if (removed.length === 0)
          throw DomainError.conflict({
            it: 'Il pagamento non è segnalato.',
            en: 'The payment is not flagged.',
          });
        await tx.execute(
          `insert into ${S}."payment_misuse_event" (id, payment_id, comune_id, action, reason, actor_id) values (?, ?, ?, 'CLEAR', ?, ?)`,
          [randomUUID(), payment.id, payment.comune_id, text, personId],
        );
      }),
    );
    return this.transaction(em.fork(), payment.id);
  }

  /** A payment's flag history, oldest first (staff of its Comune). */
  async flagHistory(em: EntityManager, caller: Caller, paymentId: string) {
    const payment = await this.paymentForStaff(em, caller, paymentId);
    const rows = await em.execute<
      { id: string; action: 'FLAG' | 'CLEAR'; reason: string; actor_id: string; at: Date }[]
    >(
      `select id, action, reason, actor_id, at from ${S}."payment_misuse_event" where payment_id = ? order by seq`,
      [payment.id],
    );
    return rows.map((r) => ({
      id: r.id,
      action: r.action,
      reason: r.reason,
      actorId: r.actor_id,
      at: new Date(r.at),
    }));
  }

  /**
   * A payment as a shop's transaction: its legs into the till's accreditation when it has some,
   * otherwise into the first accreditation its legs credited.
   */
  private async transaction(em: EntityManager, paymentId: string): Promise<ShopTransaction> {
    const [row] = await em.execute<TxRow[]>(
      `select ${TX_COLUMNS} ${TX_JOINS(OF_PAYMENT)}
        order by (l.accreditation_id = p.accreditation_id) desc, l.accreditation_id limit 1`,
      [...legParams(await legsOfPayment(em, paymentId)), paymentId],
    );
    return toTransaction(row!);
  }

  /** Serialises batch creation and flags of one campaign (until the transaction ends). */
  private async lockCampaign(tx: EntityManager, campaignId: string): Promise<void> {
    await tx.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [
      `reimbursement:${campaignId}`,
    ]);
  }

  // ---------------------------------------------------------------- the Comune's side

  private async campaignForStaff(em: EntityManager, caller: Caller, campaignId: string) {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    const campaign = isUuid(campaignId)
      ? await em.findOne(Campaign, { id: campaignId.toLowerCase() })
      : null;
    if (!campaign || !isComuneStaff(caller, campaign.comuneId)) throw notFound.campaign();
    return campaign;
  }

  /** The PAYMENT legs into the shop accounts of the campaign's accreditations (from the book). */
  private async campaignLegs(em: EntityManager, campaignId: string): Promise<BookLegs> {
    const shops = await em.execute<{ id: string }[]>(
      `select id from ${S}."shop_accreditation" where campaign_id = ?`,
      [campaignId],
    );
    return shopLegs(
      em,
      shops.map((a) => a.id),
    );
  }

  /**
   * What a batch of the campaign would take up to the cut-off (staff of its Comune): the legs into
   * its accreditations' shop accounts to be reimbursed (to flag a payment before batching) and the
   * flagged ones left out.
   */
  async preview(em: EntityManager, caller: Caller, campaignId: string, cutOff: string) {
    const campaign = await this.campaignForStaff(em, caller, campaignId);
    if (!isIsoDate(cutOff))
      new FieldErrors()
        .add('cutOff', 'Data non valida (AAAA-MM-GG).', 'Invalid date (YYYY-MM-DD).')
        .throwIfAny();
    const rows = await em.execute<(TxRow & { business_name: string })[]>(
      `select ${TX_COLUMNS}, s.business_name
         ${TX_JOINS(`a.campaign_id = ? and p.status = 'AUTHORISED' and ${DAY} <= ?::date`)}
         join ${S}."shop_accreditation" s on s.id = l.accreditation_id
        where r.payment_id is null
        order by s.business_name, l.accreditation_id, p.created_at, p.id limit 2000`,
      [...legParams(await this.campaignLegs(em, campaign.id)), campaign.id, cutOff],
    );
    return rows.map((r) => ({ ...toTransaction(r), businessName: r.business_name }));
  }

  /** The batches of a Comune, newest first (its staff; FORBIDDEN for anyone else). */
  async list(em: EntityManager, caller: Caller, comuneId: string): Promise<BatchRow[]> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (!isUuid(comuneId) || !isComuneStaff(caller, comuneId)) throw DomainError.forbidden();
    const rows = await em.execute<BatchDbRow[]>(
      `select ${BATCH_COLUMNS} from ${S}."reimbursement_batch" b join ${S}."campaign" c on c.id = b.campaign_id
        where b.comune_id = ? order by b.created_at desc, b.id limit 500`,
      [comuneId.toLowerCase()],
    );
    return rows.map(toBatch);
  }

  private async batchRow(em: EntityManager, id: string): Promise<BatchRow | null> {
    const [row] = await em.execute<BatchDbRow[]>(
      `select ${BATCH_COLUMNS} from ${S}."reimbursement_batch" b join ${S}."campaign" c on c.id = b.campaign_id where b.id = ?`,
      [id],
    );
    return row ? toBatch(row) : null;
  }

  private async batchForStaff(em: EntityManager, caller: Caller, id: string): Promise<BatchRow> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    const batch = isUuid(id) ? await this.batchRow(em, id.toLowerCase()) : null;
    if (!batch || !isComuneStaff(caller, batch.comuneId)) throw notFound.batch();
    return batch;
  }

  async lines(em: EntityManager, batchId: string): Promise<BatchLine[]> {
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

  /**
   * A batch with its lines and the flagged payments it left out (their legs into the campaign's
   * shop accounts; staff of its Comune). A DISCARDED batch keeps its lines (what was proposed) and
   * leaves nothing out.
   */
  async detail(em: EntityManager, caller: Caller, id: string): Promise<BatchDetail> {
    const batch = await this.batchForStaff(em, caller, id);
    const lines = await this.lines(em, batch.id);
    if (batch.status === 'DISCARDED') return { batch, lines, excluded: [] };
    const excluded = await em.execute<TxRow[]>(
      `select ${TX_COLUMNS}
         ${TX_JOINS(`a.campaign_id = ? and p.status = 'AUTHORISED' and ${DAY} <= ?::date`)}
        where m.payment_id is not null and r.payment_id is null
        order by p.created_at, p.id, l.accreditation_id limit 1000`,
      [...legParams(await this.campaignLegs(em, batch.campaignId)), batch.campaignId, batch.cutOff],
    );
    return { batch, lines, excluded: excluded.map(toTransaction) };
  }

  /**
   * Staff of the campaign's Comune create a DRAFT batch up to the cut-off (a past day): every leg
   * into the shop account of an accreditation of the campaign, of AUTHORISED, unflagged payments up
   * to that day, not yet in a batch; one line per accreditation, for the sum of its legs (a payment
   * split across campaigns is reimbursed in each campaign's batch for its own leg). BAD_USER_INPUT
   * when nothing is to be reimbursed; nothing is written on any error.
   */
  async create(em: EntityManager, caller: Caller, input: CreateBatchInput): Promise<BatchDetail> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    const errors = new FieldErrors();
    const today = italianDate(this.now());
    if (!isIsoDate(input.cutOff))
      errors.add('cutOff', 'Data non valida (AAAA-MM-GG).', 'Invalid date (YYYY-MM-DD).');
    else if (input.cutOff >= today)
      errors.add(
        'cutOff',
        'La data limite deve essere un giorno passato (al più ieri): i pagamenti di oggi si possono ancora annullare.',
        'The cut-off must be a past day (yesterday at the latest): today’s payments may still be voided.',
      );
    const name = sepaText(input.debtorName ?? '', 70);
    if (name.length < 2)
      errors.add(
        'debtorName',
        'Scrivi l’intestatario del conto di tesoreria (da 2 a 70 caratteri).',
        'Write the treasury account holder (2 to 70 characters).',
      );
    const iban = electronicFormatIBAN((input.debtorIban ?? '').slice(0, 64)) ?? '';
    if (!isValidIBAN(iban) || !isSEPACountry(iban.slice(0, 2)))
      errors.add(
        'debtorIban',
        'IBAN di tesoreria non valido (area SEPA, cifre di controllo).',
        'Invalid treasury IBAN (SEPA area, check digits).',
      );
    const bic = (input.debtorBic ?? '').replace(/\s+/g, '').toUpperCase() || null;
    if (bic !== null && !isValidBIC(bic))
      errors.add('debtorBic', 'BIC non valido.', 'Invalid BIC.');
    const campaign = await this.campaignForStaff(em, caller, input.campaignId);
    errors.throwIfAny();
    const personId = caller.personId;

    const batchId = await withRetry(() =>
      em.fork().transactional(async (tx) => {
        await this.lockCampaign(tx, campaign.id);
        const picked = await tx.execute<
          {
            id: string;
            accreditation_id: string;
            amount_cents: string;
            day: string;
            business_name: string;
            iban: string;
          }[]
        >(
          `select p.id, l.accreditation_id, l.amount_cents::text as amount_cents,
                  to_char(${DAY}, 'YYYY-MM-DD') as day, s.business_name, s.iban
             from ${legs(
               `a.campaign_id = ? and p.status = 'AUTHORISED' and ${DAY} <= ?::date
                and not exists (select 1 from ${S}."payment_misuse" m where m.payment_id = p.id)
                and not exists (select 1 from ${S}."reimbursement_payment" r
                                 where r.payment_id = p.id and r.accreditation_id = a.id)`,
             )}
             join ${S}."payment" p on p.id = l.payment_id
             join ${S}."shop_accreditation" s on s.id = l.accreditation_id
            order by l.accreditation_id, p.created_at, p.id
            for update of p`,
          [...legParams(await this.campaignLegs(tx, campaign.id)), campaign.id, input.cutOff],
        );
        if (picked.length === 0)
          new FieldErrors()
            .add(
              'cutOff',
              'Nessun pagamento da rimborsare fino a questa data.',
              'No payment to reimburse up to this date.',
            )
            .throwIfAny();
        const lines = new Map<
          string,
          {
            id: string;
            name: string;
            iban: string;
            amount: number;
            count: number;
            from: string;
            to: string;
          }
        >();
        // One row per leg taken: the payment, the accreditation (its line) and the leg's amount.
        const paymentIds: string[] = [];
        const paymentAccreditations: string[] = [];
        const paymentLines: string[] = [];
        const paymentAmounts: number[] = [];
        for (const p of picked) {
          let line = lines.get(p.accreditation_id);
          if (!line) {
            line = {
              id: randomUUID(),
              name: p.business_name,
              iban: p.iban,
              amount: 0,
              count: 0,
              from: p.day,
              to: p.day,
            };
            lines.set(p.accreditation_id, line);
          }
          const amount = Number(p.amount_cents);
          line.amount += amount;
          line.count += 1;
          if (p.day < line.from) line.from = p.day;
          if (p.day > line.to) line.to = p.day;
          paymentIds.push(p.id);
          paymentAccreditations.push(p.accreditation_id);
          paymentLines.push(line.id);
          paymentAmounts.push(amount);
        }
        const id = randomUUID();
        const total = paymentAmounts.reduce((s, a) => s + a, 0);
        await tx.execute(
          `insert into ${S}."reimbursement_batch" (id, comune_id, campaign_id, cut_off, debtor_name, debtor_iban,
             debtor_bic, total_cents, payment_count, line_count, created_by)
           values (?, ?, ?, ?::date, ?, ?, ?, ?, ?, ?, ?)`,
          [
            id,
            campaign.comuneId,
            campaign.id,
            input.cutOff,
            name,
            iban,
            bic,
            total,
            new Set(paymentIds).size,
            lines.size,
            personId,
          ],
        );
        const lineRows = [...lines.entries()].map(([accreditationId, l]) => ({
          id: l.id,
          accreditation_id: accreditationId,
          business_name: l.name,
          iban: l.iban,
          amount_cents: l.amount,
          payment_count: l.count,
          period_from: l.from,
          period_to: l.to,
        }));
        await tx.execute(
          `insert into ${S}."reimbursement_line" (id, batch_id, accreditation_id, business_name, iban, amount_cents,
             payment_count, period_from, period_to)
           select l.id, ?, l.accreditation_id, l.business_name, l.iban, l.amount_cents, l.payment_count, l.period_from, l.period_to
             from jsonb_to_recordset(?::jsonb) as l(id uuid, accreditation_id uuid, business_name text, iban text,
               amount_cents bigint, payment_count int, period_from date, period_to date)`,
          [id, JSON.stringify(lineRows)],
        );
        await tx.execute(
          `insert into ${S}."reimbursement_payment" (payment_id, accreditation_id, batch_id, line_id, amount_cents)
           select x.payment_id, x.accreditation_id, ?, x.line_id, x.amount_cents
             from jsonb_to_recordset(?::jsonb) as x(payment_id uuid, accreditation_id uuid, line_id uuid,
               amount_cents bigint)`,
          [
            id,
            JSON.stringify(
              paymentIds.map((paymentId, i) => ({
                payment_id: paymentId,
                accreditation_id: paymentAccreditations[i],
                line_id: paymentLines[i],
                amount_cents: paymentAmounts[i],
              })),
            ),
          ],
        );
        return id;
      }),
    );
    return this.detail(em.fork(), caller, batchId);
  }

  /** A MANAGER of the Comune approves a DRAFT batch (idempotent; CONFLICT once PAID or DISCARDED). */
  async approve(em: EntityManager, caller: Caller, id: string): Promise<BatchRow> {
    const batch = await this.batchForStaff(em, caller, id);
    const manager = requireComuneManager(caller, batch.comuneId);
    await em.fork().transactional(async (tx) => {
      const [row] = await tx.execute<{ status: BatchStatus }[]>(
        `select status from ${S}."reimbursement_batch" where id = ? for update`,
        [batch.id],
      );
      if (row!.status === 'APPROVED') return;
      if (row!.status === 'PAID')
        throw DomainError.conflict({
          it: 'Il lotto è già pagato.',
          en: 'The batch has already been paid.',
        });
      if (row!.status === 'DISCARDED') throw discardedConflict();
      await tx.execute(
        `update ${S}."reimbursement_batch" set status = 'APPROVED', approved_by = ?, approved_at = now() where id = ?`,
        [manager.personId, batch.id],
      );
    });
    return (await this.batchRow(em.fork(), batch.id))!;
  }

  /**
   * A MANAGER marks an APPROVED batch paid with the bank's value date and reference: each line's
   * legs leave that line's shop account (`shop:<the line's accreditation>`) for the Comune's
   * settlement account, one transfer per line and account (ids derived from the batch, the line
   * and the account: a replay moves nothing). Once PAID, the same date and reference (after the
   * same normalisation) answer the batch unchanged; different ones are refused (CONFLICT), writing
   * nothing, also when two managers mark it at once (checked again under the batch's row lock).
   */
  async markPaid(
    em: EntityManager,
    caller: Caller,
    id: string,
    input: MarkPaidInput,
  ): Promise<BatchRow> {
    const batch = await this.batchForStaff(em, caller, id);
    const manager = requireComuneManager(caller, batch.comuneId);
    const errors = new FieldErrors();
    const reference = (input.bankReference ?? '').replace(/\s+/g, ' ').trim();
    if (reference.length < 1 || reference.length > 100)
      errors.add(
        'bankReference',
        'Scrivi il riferimento della banca (da 1 a 100 caratteri).',
        'Write the bank’s reference (1 to 100 characters).',
      );
    if (!isIsoDate(input.bankDate))
      errors.add('bankDate', 'Data non valida (AAAA-MM-GG).', 'Invalid date (YYYY-MM-DD).');
    else if (input.bankDate > italianDate(this.now()))
      errors.add(
        'bankDate',
        'La data del pagamento non può essere futura.',
        'The payment date cannot be in the future.',
      );
    errors.throwIfAny();
    const paidAlready = (paid: { bankDate: string | null; bankReference: string | null }) => {
      if (paid.bankDate === input.bankDate && paid.bankReference === reference) return;
      throw DomainError.conflict({
        it: `Il lotto è già stato pagato con un’altra data o un altro riferimento della banca (${paid.bankDate}, ${paid.bankReference}).`,
        en: `The batch has already been paid with another bank date or reference (${paid.bankDate}, ${paid.bankReference}).`,
      });
    };
    if (batch.status === 'PAID') {
      paidAlready(batch);
      return batch;
    }
    await withRetry(() =>
      em.fork().transactional(async (tx) => {
        const [row] = await tx.execute<
          { status: BatchStatus; bank_date: string | null; bank_reference: string | null }[]
        >(
          `select status, to_char(bank_date, 'YYYY-MM-DD') as bank_date, bank_reference
             from ${S}."reimbursement_batch" where id = ? for update`,
          [batch.id],
        );
        if (row!.status === 'PAID') {
          paidAlready({ bankDate: row!.bank_date, bankReference: row!.bank_reference });
          return;
        }
        if (row!.status === 'DISCARDED') throw discardedConflict();
        if (row!.status !== 'APPROVED')
          throw DomainError.conflict({
            it: 'Il lotto va approvato prima di segnarlo come pagato.',
            en: 'The batch must be approved before it is marked paid.',
          });
        const settlement = await settlementAccount(tx, batch.comuneId);
        // Where each line's money is: the legs of its payments into the line's shop account. The
        // lines and their payments' transfer ids (domain), then those transfers and the shop
        // accounts (the book).
        const paid = await tx.execute<
          {
            line_id: string;
            accreditation_id: string;
            line_amount: string;
            transfer_ids: string[];
          }[]
        >(
          `select l.id as line_id, l.accreditation_id, l.amount_cents::text as line_amount, p.transfer_ids
             from ${S}."reimbursement_line" l
             join ${S}."reimbursement_payment" r on r.line_id = l.id and r.batch_id = l.batch_id
             join ${S}."payment" p on p.id = r.payment_id
            where l.batch_id = ?`,
          [batch.id],
        );
        const shopAccounts = new Map(
          (
            await book.accounts(tx, {
              codes: [...new Set(paid.map((r) => accountCodes.shop(r.accreditation_id)))],
            })
          ).map((a) => [a.code, a.id]),
        );
        const transfers = new Map(
          (await book.transfersById(tx, [...new Set(paid.flatMap((r) => r.transfer_ids))])).map(
            (t) => [t.id, t],
          ),
        );
        const byLine = new Map<
          string,
          { line_id: string; account_id: string; amount: number; line_amount: number }
        >();
        for (const r of paid) {
          const accountId = shopAccounts.get(accountCodes.shop(r.accreditation_id));
          if (!accountId) continue;
          for (const transferId of r.transfer_ids) {
            const t = transfers.get(transferId);
            if (
              !t ||
              t.code !== TransferCode.PAYMENT ||
              t.status !== 'POSTED' ||
              t.creditAccountId !== accountId
            )
              continue;
            const key = `${r.line_id}/${accountId}`;
            const leg = byLine.get(key) ?? {
              line_id: r.line_id,
              account_id: accountId,
              amount: 0,
              line_amount: Number(r.line_amount),
            };
            leg.amount += t.amount;
            byLine.set(key, leg);
          }
        }
        const legs = [...byLine.values()].sort((a, b) =>
          a.account_id !== b.account_id
            ? a.account_id < b.account_id
              ? -1
              : 1
            : a.line_id < b.line_id
              ? -1
              : a.line_id > b.line_id
                ? 1
                : 0,
        );
        const lineCount = await tx.execute<{ n: number }[]>(
          `select count(*)::int as n from ${S}."reimbursement_line" where batch_id = ?`,
          [batch.id],
        );
        // The book must move what the SEPA file paid, line by line (always so for batches built
        // from legs; a batch drafted before that may not be).
        if (
          legs.length !== Number(lineCount[0]?.n ?? 0) ||
          legs.some((leg) => leg.amount !== leg.line_amount)
        )
          throw DomainError.conflict({
            it: 'Gli importi del lotto non corrispondono ai pagamenti registrati nei conti dei negozi: il lotto non si può segnare come pagato.',
            en: 'The batch amounts do not match the payments recorded in the shops’ accounts: the batch cannot be marked paid.',
          });
        for (const leg of legs) {
          await book.transfer(tx, {
            id: deterministicId('reimbursement', batch.id, leg.line_id, leg.account_id),
            debit: leg.account_id,
            credit: settlement.id,
            amount: leg.amount,
            code: TransferCode.REIMBURSEMENT,
            reference: `reimbursement:${batch.id}`,
          });
        }
        await tx.execute(
          `update ${S}."reimbursement_batch" set status = 'PAID', paid_by = ?, paid_at = now(),
             bank_date = ?::date, bank_reference = ? where id = ?`,
          [manager.personId, input.bankDate, reference, batch.id],
        );
      }),
    );
    return (await this.batchRow(em.fork(), batch.id))!;
  }

  /**
   * Staff of the batch's Comune (as for creating one) discard a DRAFT batch, with a reason, so that
   * misuse found after drafting can still be excluded. In one transaction, under the campaign's
   * lock: its payments leave it (free again for a flag and for a new batch), its lines stay as the
   * record of what was proposed, and the batch becomes DISCARDED with who, when and why. Moves no
   * money. CONFLICT once APPROVED or PAID (its SEPA file may already be at the bank); idempotent
   * once DISCARDED (the first reason stays). NOT_FOUND for anyone else; nothing written on errors.
   */
  async discard(em: EntityManager, caller: Caller, id: string, reason: string): Promise<BatchRow> {
    const batch = await this.batchForStaff(em, caller, id);
    const text = this.checkReason(reason);
    const personId = caller.kind === 'person' ? caller.personId : '';
    await withRetry(() =>
      em.fork().transactional(async (tx) => {
        await this.lockCampaign(tx, batch.campaignId);
        const [row] = await tx.execute<{ status: BatchStatus }[]>(
          `select status from ${S}."reimbursement_batch" where id = ? for update`,
          [batch.id],
        );
        if (row!.status === 'DISCARDED') return;
        if (row!.status !== 'DRAFT')
          throw DomainError.conflict(
            row!.status === 'PAID'
              ? {
                  it: 'Il lotto è già pagato: non si può più annullare.',
                  en: 'The batch has already been paid: it can no longer be discarded.',
                }
              : {
                  it: 'Il lotto è già approvato: non si può più annullare, perché il suo file SEPA potrebbe essere già in banca.',
                  en: 'The batch has already been approved: it can no longer be discarded, as its SEPA file may already be at the bank.',
                },
          );
        await tx.execute(`delete from ${S}."reimbursement_payment" where batch_id = ?`, [batch.id]);
        await tx.execute(
          `update ${S}."reimbursement_batch" set status = 'DISCARDED', discarded_by = ?, discarded_at = now(),
             discard_reason = ? where id = ?`,
          [personId, text, batch.id],
        );
      }),
    );
    return (await this.batchRow(em.fork(), batch.id))!;
  }

  /** The SEPA pain.001.001.03 file of an APPROVED or PAID batch (staff of its Comune). */
  async sepaFile(
    em: EntityManager,
    caller: Caller,
    id: string,
  ): Promise<{ fileName: string; xml: string; batch: BatchRow }> {
    const batch = await this.batchForStaff(em, caller, id);
    if (batch.status === 'DRAFT')
      throw DomainError.conflict({
        it: 'Il file SEPA si scarica dopo l’approvazione del lotto.',
        en: 'The SEPA file can be downloaded once the batch is approved.',
      });
    if (batch.status === 'DISCARDED') throw discardedConflict();
    const lines = await this.lines(em, batch.id);
    const hex = batch.id.replace(/-/g, '');
    const today = italianDate(this.now());
    const xml = renderPain001({
      messageId: `WT${hex}`,
      paymentInfoId: `WT${hex.slice(0, 30)}P1`,
      createdAt: this.now(),
      executionDate: batch.bankDate ?? today,
      debtorName: batch.debtorName,
      debtorIban: batch.debtorIban,
      debtorBic: batch.debtorBic,
      transfers: lines.map((l) => ({
        endToEndId: sepaId(l.id.replace(/-/g, '')),
        amountCents: l.amountCents,
        creditorName: l.businessName,
        creditorIban: l.iban,
        remittance: `Rimborso ${batch.campaignTitle} lotto ${hex.slice(0, 8)} periodo ${italianText(l.periodFrom)}-${italianText(l.periodTo)}`,
      })),
    });
    return { fileName: `rimborso-${hex.slice(0, 8)}-pain001.xml`, xml, batch };
  }
}
