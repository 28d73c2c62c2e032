import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller, type PersonCaller } from '@welfare/kit';
import { electronicFormatIBAN, isSEPACountry, isValidBIC, isValidIBAN } from 'ibantools';
import type { DeliveredLesson, Payee } from '@welfare/kit/contracts';
import { Campaign } from '../campaign/campaign.entity.js';
import {
  TransferCode,
  accountCodes,
  book,
  deterministicId,
  settlementAccount,
} from '../ledger/ledger.js';
import { withRetry } from '@welfare/kit/sql';
import { isComuneStaff, isProviderAdmin, isUuid, requireComuneManager } from '@welfare/kit/access';
import { isIsoDate, romeDay, formatDay } from '@welfare/kit/dates';
import { ShopAccreditation } from '../shop/shop.entity.js';
import { worksAt } from '../shop/shop.service.js';
import type { BatchStatus } from './reimbursement.enums.js';
import { campaignLegs, legsOfPayment, paymentTransfers, shopLegs } from './reimbursement-legs.js';
import {
  accreditationCampaignIds,
  approveBatch,
  batchLineCount,
  batchLines,
  batchPaymentForUpdate,
  batchRow,
  batchStatusForUpdate,
  comuneBatches,
  deleteFlag,
  discardBatch,
  excludedTransactions,
  flagEvents,
  flagStateForUpdate,
  insertBatch,
  insertFlag,
  lockCampaign,
  markBatchPaid,
  paidLineTransfers,
  paymentRow,
  paymentTransaction,
  pickBatchLegs,
  reimbursableTransactions,
  shopTotals,
  shopTransactions,
  type BatchLine,
  type BatchRow,
  type BookLegs,
  type NewBatchLine,
  type NewBatchPayment,
  type Period,
  type PickedLeg,
  type ShopTotals,
  type ShopTransaction,
} from './reimbursement.repository.js';
import { renderPain001, sepaId, sepaText } from './sepa.js';
import { InsufficientFunds } from '@welfare/kit/book';
import { OutcomeUnknown, ServiceRefusal } from '@welfare/kit/service';
import { noPeers, type DeliveredHoursSource, type PayeeDirectory } from './reimbursement-peers.js';
import { providerAccountsOf, providerRows } from './reimbursement-providers.js';
import {
  batchHeldBack,
  batchPayeeLines,
  insertPayeeRows,
  lockComuneTutoring,
  providerPayeeLines,
  releaseBatchLessons,
  type HeldBack,
  type PayeeLine,
} from './reimbursement.repository.js';

export interface ShopDashboard {
  accreditation: ShopAccreditation;
  period: Period;
  totals: ShopTotals;
  transactions: ShopTransaction[];
  /** Transactions in the period (for paging). */
  total: number;
}

export interface BatchDetail {
  batch: BatchRow;
  lines: BatchLine[];
  /**
   * Flagged payments of the campaign up to the cut-off: left out of every batch (none for a
   * DISCARDED batch, which pays nothing).
   */
  excluded: ShopTransaction[];
  /** Its lines paying third-sector providers (voucher-funded services, tutoring statements). */
  payeeLines: PayeeLine[];
  /** What it could not pay providers (no IBAN, no tariff, unknown provider): left for later. */
  heldBack: HeldBack[];
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

/** A payment as the flags need it: its Comune and the campaigns whose batches may take its legs. */
interface FlaggablePayment {
  id: string;
  comuneId: string;
  status: string;
  campaignIds: string[];
}

/** A line's legs in one shop account, and what the line says it pays. */
interface LineLeg {
  lineId: string;
  accountId: string;
  amount: number;
  lineAmount: number;
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
 *
 * The statements are in `reimbursement.repository.ts`, the book's legs in `reimbursement-legs.ts`.
 */
export class ReimbursementService {
  constructor(
    private readonly now: () => Date = () => new Date(),
    private readonly peers: { payees: PayeeDirectory; hours: DeliveredHoursSource } = noPeers,
  ) {}

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
    const legs = known ?? (await shopLegs(em, [accreditationId]));
    return shopTotals(em, legs, accreditationId, period);
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
    const page = { offset, limit };
    const { rows, total } = await shopTransactions(em, known, shop.id, period, page);
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
    const { rows, total } = await shopTransactions(em, known, shop.id, period, null);
    return { accreditation: shop, period, totals, transactions: rows.reverse(), total };
  }

  // ---------------------------------------------------------------- misuse flags

  /**
   * The payment, its Comune and the campaigns whose batches may take its legs (of the accreditations
   * its legs credited, and of the till's), for the Comune's staff (NOT_FOUND for anyone else).
   */
  private async paymentForStaff(
    em: EntityManager,
    caller: Caller,
    paymentId: string,
  ): Promise<FlaggablePayment> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (!isUuid(paymentId)) throw notFound.payment();
    const row = await paymentRow(em, paymentId);
    if (!row || !isComuneStaff(caller, row.comune_id)) throw notFound.payment();
    // The accreditations its PAYMENT transfers credited (the book), and the till's.
    const credited = (await paymentTransfers(em, row.transfer_ids))
      .filter((t) => t.code === TransferCode.PAYMENT && isUuid(t.shop))
      .map((t) => t.shop);
    return {
      id: row.id,
      comuneId: row.comune_id,
      status: row.status,
      campaignIds: await accreditationCampaignIds(em, [row.accreditation_id, ...credited]),
    };
  }

  /** Locks the campaigns of a payment's legs, in id order (the same order for every caller). */
  private async lockCampaigns(tx: EntityManager, campaignIds: string[]): Promise<void> {
    for (const id of [...campaignIds].sort()) await lockCampaign(tx, id);
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
        await this.lockCampaigns(tx, payment.campaignIds);
        checkFlaggable(await flagStateForUpdate(tx, payment.id));
        await insertFlag(tx, payment, text, personId);
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
        await this.lockCampaigns(tx, payment.campaignIds);
        if (!(await deleteFlag(tx, payment, text, personId)))
          throw DomainError.conflict({
            it: 'Il pagamento non è segnalato.',
            en: 'The payment is not flagged.',
          });
      }),
    );
    return this.transaction(em.fork(), payment.id);
  }

  /** A payment's flag history, oldest first (staff of its Comune). */
  async flagHistory(em: EntityManager, caller: Caller, paymentId: string) {
    const payment = await this.paymentForStaff(em, caller, paymentId);
    return flagEvents(em, payment.id);
  }

  /**
   * A payment as a shop's transaction: its legs into the till's accreditation when it has some,
   * otherwise into the first accreditation its legs credited.
   */
  private async transaction(em: EntityManager, paymentId: string): Promise<ShopTransaction> {
    return paymentTransaction(em, await legsOfPayment(em, paymentId), paymentId);
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
    return reimbursableTransactions(em, await campaignLegs(em, campaign.id), campaign.id, cutOff);
  }

  /** The batches of a Comune, newest first (its staff; FORBIDDEN for anyone else). */
  async list(em: EntityManager, caller: Caller, comuneId: string): Promise<BatchRow[]> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (!isUuid(comuneId) || !isComuneStaff(caller, comuneId)) throw DomainError.forbidden();
    return comuneBatches(em, comuneId.toLowerCase());
  }

  private async batchForStaff(em: EntityManager, caller: Caller, id: string): Promise<BatchRow> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    const batch = isUuid(id) ? await batchRow(em, id.toLowerCase()) : null;
    if (!batch || !isComuneStaff(caller, batch.comuneId)) throw notFound.batch();
    return batch;
  }

  async lines(em: EntityManager, batchId: string): Promise<BatchLine[]> {
    return batchLines(em, batchId);
  }

  /**
   * A batch with its lines and the flagged payments it left out (their legs into the campaign's
   * shop accounts; staff of its Comune). A DISCARDED batch keeps its lines (what was proposed) and
   * leaves nothing out.
   */
  async detail(em: EntityManager, caller: Caller, id: string): Promise<BatchDetail> {
    const batch = await this.batchForStaff(em, caller, id);
    const lines = await this.lines(em, batch.id);
    const payeeLines = await batchPayeeLines(em, batch.id);
    const heldBack = await batchHeldBack(em, batch.id);
    if (batch.status === 'DISCARDED') return { batch, lines, excluded: [], payeeLines, heldBack };
    const legs = await campaignLegs(em, batch.campaignId);
    const excluded = await excludedTransactions(em, legs, batch.campaignId, batch.cutOff);
    return { batch, lines, excluded, payeeLines, heldBack };
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
    const debtor = this.checkBatchInput(input, errors);
    const campaign = await this.campaignForStaff(em, caller, input.campaignId);
    errors.throwIfAny();
    const { payees, lessons } = await this.askPeers(em, campaign, input.cutOff);
    const batchId = await withRetry(() =>
      em.fork().transactional(async (tx) => {
        await lockCampaign(tx, campaign.id);
        await lockComuneTutoring(tx, campaign.comuneId);
        const legs = await campaignLegs(tx, campaign.id);
        const picked = await pickBatchLegs(tx, legs, campaign.id, input.cutOff);
        const providers = await providerRows(tx, {
          campaignId: campaign.id,
          today: romeDay(this.now()),
          payees,
          lessons,
        });
        if (picked.length === 0 && providers.lines.length === 0)
          new FieldErrors()
            .add(
              'cutOff',
              'Nessun pagamento da rimborsare fino a questa data.',
              'No payment to reimburse up to this date.',
            )
            .throwIfAny();
        const { lines, payments } = batchLinesOf(picked);
        const id = randomUUID();
        const batch = {
          id,
          comuneId: campaign.comuneId,
          campaignId: campaign.id,
          cutOff: input.cutOff,
          ...debtor,
          totalCents:
            payments.reduce((s, p) => s + p.amount_cents, 0) +
            providers.lines.reduce((s, l) => s + l.amountCents, 0),
          paymentCount: new Set(payments.map((p) => p.payment_id)).size,
          lineCount: lines.length + providers.lines.length,
          createdBy: caller.personId,
        };
        await insertBatch(tx, batch, lines, payments);
        await insertPayeeRows(tx, id, providers);
        return id;
      }),
    );
    return this.detail(em.fork(), caller, batchId);
  }

  /**
   * What a new batch needs from the other subgraphs, asked before its transaction (no network
   * call holds a lock): the tutoring lessons held in the Comune's programmes up to the cut-off
   * (third-sector), and the names and IBANs of the providers of those and of the campaign's
   * provider accounts (identity). A peer that cannot answer refuses the batch (CONFLICT, nothing
   * written): a batch never leaves providers out silently.
   */
  private async askPeers(
    em: EntityManager,
    campaign: Campaign,
    cutOff: string,
  ): Promise<{ payees: Map<string, Payee>; lessons: DeliveredLesson[] }> {
    try {
      const lessons = await this.peers.hours.deliveredLessons(campaign.comuneId, cutOff);
      const providerIds = [
        ...(await providerAccountsOf(em, campaign.id)).map((a) => a.owner!.id),
        ...lessons.map((l) => l.providerId),
      ];
      const payees = providerIds.length
        ? await this.peers.payees.payees([...new Set(providerIds)])
        : [];
      return { payees: new Map(payees.map((p) => [p.organisationId, p])), lessons };
    } catch (err) {
      if (err instanceof OutcomeUnknown || err instanceof ServiceRefusal)
        throw DomainError.conflict({
          it: 'Non è stato possibile leggere gli enti del terzo settore da pagare (IBAN o ore svolte): riprova tra poco.',
          en: 'The third-sector providers to pay (IBANs or delivered hours) could not be read: try again shortly.',
        });
      throw err;
    }
  }

  /**
   * A new batch's cut-off (a past day) and treasury account (name, SEPA IBAN, optional BIC), their
   * errors added to `errors`; the debtor normalised.
   */
  private checkBatchInput(
    input: CreateBatchInput,
    errors: FieldErrors,
  ): { debtorName: string; debtorIban: string; debtorBic: string | null } {
    const today = romeDay(this.now());
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
    return { debtorName: name, debtorIban: iban, debtorBic: bic };
  }

  /** A MANAGER of the Comune approves a DRAFT batch (idempotent; CONFLICT once PAID or DISCARDED). */
  async approve(em: EntityManager, caller: Caller, id: string): Promise<BatchRow> {
    const batch = await this.batchForStaff(em, caller, id);
    const manager = requireComuneManager(caller, batch.comuneId);
    await em.fork().transactional(async (tx) => {
      const status = await batchStatusForUpdate(tx, batch.id);
      if (status === 'APPROVED') return;
      if (status === 'PAID')
        throw DomainError.conflict({
          it: 'Il lotto è già pagato.',
          en: 'The batch has already been paid.',
        });
      if (status === 'DISCARDED') throw discardedConflict();
      await approveBatch(tx, batch.id, manager.personId);
    });
    return (await batchRow(em.fork(), batch.id))!;
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
    const bank = this.checkBankConfirmation(input);
    if (batch.status === 'PAID') {
      paidAlready(batch, bank);
      return batch;
    }
    await withRetry(() =>
      em.fork().transactional(async (tx) => {
        const row = await batchPaymentForUpdate(tx, batch.id);
        if (row.status === 'PAID') {
          paidAlready({ bankDate: row.bank_date, bankReference: row.bank_reference }, bank);
          return;
        }
        if (row.status === 'DISCARDED') throw discardedConflict();
        if (row.status !== 'APPROVED')
          throw DomainError.conflict({
            it: 'Il lotto va approvato prima di segnarlo come pagato.',
            en: 'The batch must be approved before it is marked paid.',
          });
        await this.payBatch(tx, batch, manager, bank);
      }),
    );
    return (await batchRow(em.fork(), batch.id))!;
  }

  /** The bank's value date (not in the future) and reference (normalised), or BAD_USER_INPUT. */
  private checkBankConfirmation(input: MarkPaidInput): MarkPaidInput {
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
    else if (input.bankDate > romeDay(this.now()))
      errors.add(
        'bankDate',
        'La data del pagamento non può essere futura.',
        'The payment date cannot be in the future.',
      );
    errors.throwIfAny();
    return { bankDate: input.bankDate, bankReference: reference };
  }

  /**
   * Pays an APPROVED batch under its row lock: each line's legs move from the line's shop account
   * to the Comune's settlement account (CONFLICT, writing nothing, when the book's legs are not
   * what the lines pay), then the batch becomes PAID.
   */
  private async payBatch(
    tx: EntityManager,
    batch: BatchRow,
    manager: PersonCaller,
    bank: MarkPaidInput,
  ): Promise<void> {
    const settlement = await settlementAccount(tx, batch.comuneId);
    const legs = await lineLegs(tx, batch.id);
    // The book must move what the SEPA file paid, line by line (always so for batches built from
    // legs; a batch drafted before that may not be).
    if (
      legs.length !== (await batchLineCount(tx, batch.id)) ||
      legs.some((leg) => leg.amount !== leg.lineAmount)
    )
      throw DomainError.conflict({
        it: 'Gli importi del lotto non corrispondono ai pagamenti registrati nei conti dei negozi: il lotto non si può segnare come pagato.',
        en: 'The batch amounts do not match the payments recorded in the shops’ accounts: the batch cannot be marked paid.',
      });
    for (const leg of legs) {
      await book.transfer(tx, {
        id: deterministicId('reimbursement', batch.id, leg.lineId, leg.accountId),
        debit: leg.accountId,
        credit: settlement.id,
        amount: leg.amount,
        code: TransferCode.REIMBURSEMENT,
        reference: `reimbursement:${batch.id}`,
      });
    }
    // Voucher-funded services: each provider line's amount leaves its provider account.
    for (const line of await batchPayeeLines(tx, batch.id)) {
      if (line.kind !== 'PROVIDER_SERVICES' || !line.accountId) continue;
      try {
        await book.transfer(tx, {
          id: deterministicId('reimbursement', batch.id, line.id, line.accountId),
          debit: line.accountId,
          credit: settlement.id,
          amount: line.amountCents,
          code: TransferCode.REIMBURSEMENT,
          reference: `reimbursement:${batch.id}`,
        });
      } catch (err) {
        if (!(err instanceof InsufficientFunds)) throw err;
        throw DomainError.conflict({
          it: `Il conto dell’ente ${line.providerName} non ha più l’importo del lotto (un rimborso al cittadino successivo?): il lotto non si può segnare come pagato.`,
          en: `The account of provider ${line.providerName} no longer holds the batch’s amount (a later refund to the citizen?): the batch cannot be marked paid.`,
        });
      }
    }
    await markBatchPaid(tx, batch.id, manager.personId, bank);
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
        await lockCampaign(tx, batch.campaignId);
        const status = await batchStatusForUpdate(tx, batch.id);
        if (status === 'DISCARDED') return;
        if (status !== 'DRAFT') throw notDiscardable(status);
        await releaseBatchLessons(tx, batch.id);
        await discardBatch(tx, batch.id, personId, text);
      }),
    );
    return (await batchRow(em.fork(), batch.id))!;
  }

  /**
   * What a provider is paid by the Comunes' batches: its lines (voucher-funded services and
   * tutoring statements) in batches not discarded, newest first, with their batch's status (PAID:
   * the bank paid it). The provider's ADMINs only; NOT_FOUND for anyone else.
   */
  async providerReimbursements(
    em: EntityManager,
    caller: Caller,
    providerId: string,
  ): Promise<(PayeeLine & { batch: BatchRow })[]> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (!isUuid(providerId) || !isProviderAdmin(caller, providerId.toLowerCase()))
      throw DomainError.notFound({ it: 'Ente non trovato.', en: 'Provider not found.' });
    return providerPayeeLines(em, providerId.toLowerCase());
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
    const payeeLines = await batchPayeeLines(em, batch.id);
    const hex = batch.id.replace(/-/g, '');
    const today = romeDay(this.now());
    const xml = renderPain001({
      messageId: `WT${hex}`,
      paymentInfoId: `WT${hex.slice(0, 30)}P1`,
      createdAt: this.now(),
      executionDate: batch.bankDate ?? today,
      debtorName: batch.debtorName,
      debtorIban: batch.debtorIban,
      debtorBic: batch.debtorBic,
      transfers: lines
        .map((l) => ({
          endToEndId: sepaId(l.id.replace(/-/g, '')),
          amountCents: l.amountCents,
          creditorName: l.businessName,
          creditorIban: l.iban,
          remittance: `Rimborso ${batch.campaignTitle} lotto ${hex.slice(0, 8)} periodo ${formatDay(l.periodFrom)}-${formatDay(l.periodTo)}`,
        }))
        .concat(
          payeeLines.map((l) => ({
            endToEndId: sepaId(l.id.replace(/-/g, '')),
            amountCents: l.amountCents,
            creditorName: l.providerName,
            creditorIban: l.iban,
            remittance:
              l.kind === 'TUTORING'
                ? `Tutoraggio ${l.programmeTitle} ore ${formatHours(l.minutes ?? 0)} periodo ${formatDay(l.periodFrom ?? l.periodTo)}-${formatDay(l.periodTo)} lotto ${hex.slice(0, 8)}`
                : `Servizi ${batch.campaignTitle} fino al ${formatDay(l.periodTo)} lotto ${hex.slice(0, 8)}`,
          })),
        ),
    });
    return { fileName: `rimborso-${hex.slice(0, 8)}-pain001.xml`, xml, batch };
  }
}

/** A payment can be flagged: AUTHORISED, not flagged, not reimbursed, no leg in a batch. */
function checkFlaggable(state: {
  status: string;
  flagged: boolean;
  reimbursed: boolean;
  batched: boolean;
}): void {
  if (state.status !== 'AUTHORISED')
    throw DomainError.conflict({
      it: 'Il pagamento è stato annullato: non c’è nulla da segnalare.',
      en: 'The payment was voided: there is nothing to flag.',
    });
  if (state.flagged)
    throw DomainError.conflict({
      it: 'Il pagamento è già segnalato come uso improprio.',
      en: 'The payment is already flagged as misuse.',
    });
  if (state.reimbursed)
    throw DomainError.conflict({
      it: 'Il pagamento è già stato rimborsato.',
      en: 'The payment has already been reimbursed.',
    });
  if (state.batched)
    throw DomainError.conflict({
      it: 'Il pagamento è in un lotto di rimborso non ancora pagato: non si può più segnalare.',
      en: 'The payment is in a reimbursement batch not yet paid: it can no longer be flagged.',
    });
}

/** A PAID batch answers a replay of its bank confirmation; another one is a CONFLICT. */
function paidAlready(
  paid: { bankDate: string | null; bankReference: string | null },
  bank: MarkPaidInput,
): void {
  if (paid.bankDate === bank.bankDate && paid.bankReference === bank.bankReference) return;
  throw DomainError.conflict({
    it: `Il lotto è già stato pagato con un’altra data o un altro riferimento della banca (${paid.bankDate}, ${paid.bankReference}).`,
    en: `The batch has already been paid with another bank date or reference (${paid.bankDate}, ${paid.bankReference}).`,
  });
}

/** Why a batch that is neither DRAFT nor DISCARDED cannot be discarded. */
function notDiscardable(status: BatchStatus): DomainError {
  return DomainError.conflict(
    status === 'PAID'
      ? {
          it: 'Il lotto è già pagato: non si può più annullare.',
          en: 'The batch has already been paid: it can no longer be discarded.',
        }
      : {
          it: 'Il lotto è già approvato: non si può più annullare, perché il suo file SEPA potrebbe essere già in banca.',
          en: 'The batch has already been approved: it can no longer be discarded, as its SEPA file may already be at the bank.',
        },
  );
}

/**
 * A new batch's lines (one per accreditation: its shop's name and IBAN, the sum and count of its
 * legs, the first and last day) and its legs (one per leg taken, in its line), from the picked legs.
 */
function batchLinesOf(picked: readonly PickedLeg[]): {
  lines: NewBatchLine[];
  payments: NewBatchPayment[];
} {
  const lines = new Map<string, NewBatchLine>();
  const payments: NewBatchPayment[] = [];
  for (const p of picked) {
    let line = lines.get(p.accreditation_id);
    if (!line) {
      line = {
        id: randomUUID(),
        accreditation_id: p.accreditation_id,
        business_name: p.business_name,
        iban: p.iban,
        amount_cents: 0,
        payment_count: 0,
        period_from: p.day,
        period_to: p.day,
      };
      lines.set(p.accreditation_id, line);
    }
    const amount = Number(p.amount_cents);
    line.amount_cents += amount;
    line.payment_count += 1;
    if (p.day < line.period_from) line.period_from = p.day;
    if (p.day > line.period_to) line.period_to = p.day;
    payments.push({
      payment_id: p.id,
      accreditation_id: p.accreditation_id,
      line_id: line.id,
      amount_cents: amount,
    });
  }
  return { lines: [...lines.values()], payments };
}

/**
 * Where each line's money is: the legs of its payments into the line's shop account, summed by
 * line and account (account id, then line id order). The lines and their payments' transfer ids
 * (domain), then those transfers and the shop accounts (the book).
 */
async function lineLegs(tx: EntityManager, batchId: string): Promise<LineLeg[]> {
  const paid = await paidLineTransfers(tx, batchId);
  const shopAccounts = new Map(
    (
      await book.accounts(tx, {
        codes: [...new Set(paid.map((r) => accountCodes.shop(r.accreditation_id)))],
      })
    ).map((a) => [a.code, a.id]),
  );
  const transfers = new Map(
    (await book.transfersById(tx, [...new Set(paid.flatMap((r) => r.transfer_ids))])).map((t) => [
      t.id,
      t,
    ]),
  );
  const byLine = new Map<string, LineLeg>();
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
        lineId: r.line_id,
        accountId,
        amount: 0,
        lineAmount: Number(r.line_amount),
      };
      leg.amount += t.amount;
      byLine.set(key, leg);
    }
  }
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...byLine.values()].sort(
    (a, b) => order(a.accountId, b.accountId) || order(a.lineId, b.lineId),
  );
}

/** Minutes as hours with a decimal comma ("7,5"), for a remittance text. */
function formatHours(minutes: number): string {
  return (Math.round((minutes / 60) * 100) / 100).toString().replace('.', ',');
}
