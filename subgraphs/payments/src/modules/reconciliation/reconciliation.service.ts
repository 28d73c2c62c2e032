import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '@welfare/kit';
import { DomainError } from '@welfare/kit/errors';
import { sql } from '@welfare/kit/sql';
import type { CardPaymentRepository } from '../card-payment/card-payment.repository.js';
import type { ProviderAccountRepository } from '../provider-account/provider-account.repository.js';
import { requireReconciliationReader, stripeFailure } from '../shared/access.js';
import type { BalanceEntry, StripeGateway } from '../stripe/stripe.gateway.js';
import type { ReconciliationMismatch, ReconciliationRun } from './reconciliation.entity.js';
import type { ReconciliationRepository } from './reconciliation.repository.js';

/** Balance transactions of a card payment (Stripe's `type`). */
const CHARGE_TYPES = new Set(['charge', 'payment']);
/** Balance transactions of a refund. */
const REFUND_TYPES = new Set(['refund', 'payment_refund']);
/** Runs listed at most. */
const MAX_RUNS = 50;

type Mismatch = Omit<ReconciliationMismatch, 'id' | 'runId'>;

/** A run with its mismatches, as the report shows it. */
export interface ReconciliationReport {
  run: ReconciliationRun;
  mismatches: ReconciliationMismatch[];
}

/**
 * Compares, account by account, Stripe's balance transactions (one per charge and per refund)
 * with our captured card payments and succeeded refunds over a window, and stores a report of
 * every mismatch: a transaction we have nothing for, a payment or refund Stripe has no
 * transaction for, an amount that differs. Payouts, fees and other types are not ours to match.
 */
export class ReconciliationService {
  constructor(
    private readonly repository: ReconciliationRepository,
    private readonly accounts: ProviderAccountRepository,
    private readonly cardPayments: CardPaymentRepository,
    private readonly gateway: StripeGateway | undefined,
    private readonly windowDays: number,
  ) {}

  /** Runs one reconciliation now and stores its report. */
  async reconcile(em: EntityManager, now = new Date()): Promise<ReconciliationReport> {
    if (!this.gateway) throw new Error('Stripe is not configured');
    const windowStart = new Date(now.getTime() - this.windowDays * 86_400_000);
    const mismatches: Mismatch[] = [];
    let balanceTransactions = 0;
    let cardPayments = 0;
    for (const account of await this.accounts.all(em)) {
      const accountId = account.stripeAccountId;
      let entries: BalanceEntry[];
      try {
        entries = await this.gateway.balanceTransactions(accountId, windowStart);
      } catch (err) {
        return stripeFailure(err);
      }
      balanceTransactions += entries.length;
      const charges = entries.filter((e) => CHARGE_TYPES.has(e.type));
      const refunds = entries.filter((e) => REFUND_TYPES.has(e.type));
      const ours = await this.cardPayments.capturedOf(
        em,
        accountId,
        windowStart,
        charges.map((e) => e.sourceId).filter((id): id is string => id !== null),
      );
      const ourRefunds = await this.cardPayments.refundsOf(
        em,
        accountId,
        windowStart,
        refunds.map((e) => e.sourceId).filter((id): id is string => id !== null),
      );
      cardPayments += ours.length;
      const byCharge = new Map(ours.filter((p) => p.chargeId).map((p) => [p.chargeId!, p]));
      const byRefund = new Map(
        ourRefunds.filter((r) => r.stripeRefundId).map((r) => [r.stripeRefundId!, r]),
      );
      const seenPayments = new Set<string>();
      const seenRefunds = new Set<string>();
      const base = {
        stripeAccountId: accountId,
        balanceTransactionId: null,
        sourceId: null,
        cardPaymentId: null,
        cardRefundId: null,
        stripeAmount: null,
        ourAmount: null,
      };
      for (const entry of charges) {
        const payment = entry.sourceId ? byCharge.get(entry.sourceId) : undefined;
        const stripeSide = {
          balanceTransactionId: entry.id,
          sourceId: entry.sourceId,
          stripeAmount: entry.amount,
        };
        if (!payment) {
          mismatches.push({ ...base, ...stripeSide, kind: 'MISSING_HERE' });
          continue;
        }
        seenPayments.add(payment.id);
        if (payment.capturedAmount !== entry.amount)
          mismatches.push({
            ...base,
            ...stripeSide,
            kind: 'AMOUNT_DIFFERS',
            cardPaymentId: payment.id,
            ourAmount: payment.capturedAmount,
          });
      }
      for (const entry of refunds) {
        const refund = entry.sourceId ? byRefund.get(entry.sourceId) : undefined;
        const stripeSide = {
          balanceTransactionId: entry.id,
          sourceId: entry.sourceId,
          stripeAmount: -entry.amount,
        };
        if (!refund) {
          mismatches.push({ ...base, ...stripeSide, kind: 'MISSING_HERE' });
          continue;
        }
        seenRefunds.add(refund.id);
        if (refund.amount !== -entry.amount)
          mismatches.push({
            ...base,
            ...stripeSide,
            kind: 'AMOUNT_DIFFERS',
            cardRefundId: refund.id,
            ourAmount: refund.amount,
          });
      }
      for (const payment of ours) {
        if (seenPayments.has(payment.id)) continue;
        mismatches.push({
          ...base,
          kind: 'MISSING_AT_STRIPE',
          sourceId: payment.chargeId,
          cardPaymentId: payment.id,
          ourAmount: payment.capturedAmount,
        });
      }
      for (const refund of ourRefunds) {
        if (seenRefunds.has(refund.id)) continue;
        mismatches.push({
          ...base,
          kind: 'MISSING_AT_STRIPE',
          sourceId: refund.stripeRefundId,
          cardRefundId: refund.id,
          ourAmount: refund.amount,
        });
      }
    }
    const run = await this.repository.record(
      em,
      { startedAt: now, windowStart, balanceTransactions, cardPayments },
      mismatches,
    );
    return { run, mismatches: await this.repository.mismatchesOf(em, [run.id]) };
  }

  /**
   * One pass of the nightly job: runs a reconciliation unless one finished less than `intervalMs`
   * ago, under a transaction-scoped advisory lock (one process at a time). Answers the wait
   * until the next one is due.
   */
  async runIfDue(em: EntityManager, intervalMs: number): Promise<number> {
    if (!this.gateway) return intervalMs;
    return em.transactional(async (tx) => {
      const [lock] = await sql<{ locked: boolean }>(
        tx,
        `select pg_try_advisory_xact_lock(hashtext('payments.reconciliation')) as locked`,
      );
      if (!lock?.locked) return intervalMs;
      const last = await this.repository.latestFinished(tx);
      const due = last ? last.startedAt.getTime() + intervalMs - Date.now() : 0;
      if (due > 0) return due;
      await this.reconcile(tx);
      return intervalMs;
    });
  }

  /** The latest reports, newest first: platform admins only. */
  async reports(em: EntityManager, caller: Caller, limit: number): Promise<ReconciliationReport[]> {
    requireReconciliationReader(caller);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RUNS)
      throw DomainError.badInput([
        {
          field: 'limit',
          message: { it: `Da 1 a ${MAX_RUNS}.`, en: `From 1 to ${MAX_RUNS}.` },
        },
      ]);
    const runs = await this.repository.latest(em, limit);
    const mismatches = await this.repository.mismatchesOf(
      em,
      runs.map((r) => r.id),
    );
    return runs.map((run) => ({
      run,
      mismatches: mismatches.filter((m) => m.runId === run.id),
    }));
  }
}
