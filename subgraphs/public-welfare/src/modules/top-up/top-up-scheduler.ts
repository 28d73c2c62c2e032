import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { PollingLoop } from '@welfare/kit/polling';
import { DomainError, type Logger } from '@welfare/kit';
import { book } from '../ledger/ledger.js';
import type { SchedulerPassResult, TopUpScheduleService } from './top-up-schedule.service.js';
import type { CreditReminderService } from './credit-reminder.service.js';

/** How the top-up scheduler paces itself (`TOPUP_SCHEDULER_*` settings). */
export interface TopUpSchedulerSettings {
  /** Wait between two passes, in ms. */
  intervalMs: number;
  /** Due tranches applied per pass at most (each in its own transaction). */
  batchSize: number;
  /** Wait between two runs of the money reconciliation, in ms (the first runs at the first pass). */
  reconciliationIntervalMs?: number;
}

/**
 * The money reconciliation as the scheduler runs it (`ReconciliationService`, wired by the
 * subgraph's entry point): a stored run for every Comune with money, answering the failed ones.
 */
export interface ScheduledReconciliation {
  runAll(
    em: EntityManager,
  ): Promise<{ comuneId: string; problems: readonly { check: string }[] }[]>;
}

/** A short, safe description of an unexpected error for the logs (no SQL parameters). */
function describe(err: unknown): string {
  if (err instanceof DomainError) return `${err.code}: ${err.localized.en}`;
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? `${err.name} (${code})` : err.name;
  }
  return 'unknown error';
}

/**
 * Runs in the subgraph's process, like the message dispatcher: every `intervalMs` one pass
 * applies the due scheduled tranches (`TopUpScheduleService.applyDue`) and returns the unspent
 * credit of campaigns whose spending window ended (`sweepEnded`). Any number of schedulers (one
 * per replica) may run at once: a tranche is locked by one pass at a time and marked DONE in the
 * transaction that credits it, and the book's transfer ids are deterministic anyway. Every
 * `reconciliationIntervalMs` a pass also runs the money reconciliation for every Comune with
 * money (`ReconciliationService.runAll`): its stored runs are the alert the Comune's managers and
 * the platform admins see, and a failed one is logged as an error. Every pass also folds the hot
 * accounts (the shops', credited by every payment) with `book.fold`: their pending credits move
 * into their rows, so that they stay few to read; no balance changes, and payments never wait.
 * And it expires the lapsed holds of the fund contract (`book.expire`): a checkout leg not captured
 * in time gives its credit back to the card.
 */
export class TopUpScheduler {
  private readonly loop: PollingLoop;

  constructor(
    private readonly orm: MikroORM,
    private readonly schedule: TopUpScheduleService,
    private readonly settings: TopUpSchedulerSettings,
    private readonly logger: Logger,
    private readonly reconciliation?: ScheduledReconciliation,
    private readonly reminders?: Pick<CreditReminderService, 'remind'>,
  ) {
    this.loop = new PollingLoop(
      async () => {
        await this.runOnce();
        return { nextPassInMs: this.settings.intervalMs };
      },
      this.settings.intervalMs,
      (err) => this.logger.error({ err: describe(err) }, 'top-up scheduler pass failed'),
    );
  }

  private lastReconciliation = 0;

  /** Starts the passes (the first at once); returns at once. */
  start(): void {
    this.loop.start();
  }

  /** Stops the passes and waits for the one under way to commit. */
  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /**
   * One pass: the due tranches, the sweep of ended spending windows, then the reminders to holders
   * whose credit expires soon (`CreditReminderService`, once per card and campaign).
   */
  async runOnce(): Promise<SchedulerPassResult & { reminded: number }> {
    const applied = await this.schedule.applyDue(
      this.orm.em.fork(),
      this.settings.batchSize,
      (err, row) =>
        this.logger.error(
          { err: describe(err), campaignId: row.campaignId, tranche: row.number },
          'scheduled top-up not applied: retried at the next pass',
        ),
    );
    const swept = await this.schedule.sweepEnded(this.orm.em.fork(), (err, campaignId) =>
      this.logger.error({ err: describe(err), campaignId }, 'automatic sweep failed'),
    );
    const reminded = await this.remindExpiring();
    await this.reconcileIfDue();
    await this.foldHotAccounts();
    await this.expireHolds();
    const result = { ...applied, ...swept, reminded };
    if (result.claimed > 0 || result.sweptCampaigns > 0 || reminded > 0) {
      this.logger.info(result, 'top-up scheduler pass');
    }
    return result;
  }

  /** The reminders of credit that expires soon: the messages written (0 when none are wired). */
  private async remindExpiring(): Promise<number> {
    if (!this.reminders) return 0;
    try {
      return (await this.reminders.remind(this.orm.em.fork())).reminded;
    } catch (err) {
      this.logger.error({ err: describe(err) }, 'credit expiry reminders failed');
      return 0;
    }
  }

  /** The pending credits of the book's hot accounts (the shops'), folded into their rows. */
  private async foldHotAccounts(): Promise<void> {
    try {
      await book.fold(this.orm.em.fork());
    } catch (err) {
      this.logger.error({ err: describe(err) }, 'folding the hot accounts failed');
    }
  }

  /** The lapsed holds of checkout legs, expired: their credit is the holders' again. */
  private async expireHolds(): Promise<void> {
    try {
      await book.expire(this.orm.em.fork());
    } catch (err) {
      this.logger.error({ err: describe(err) }, 'expiring the lapsed holds failed');
    }
  }

  /** The money reconciliation, when its interval has passed since the last run. */
  private async reconcileIfDue(): Promise<void> {
    const every = this.settings.reconciliationIntervalMs;
    if (!this.reconciliation || every === undefined) return;
    if (Date.now() - this.lastReconciliation < every) return;
    this.lastReconciliation = Date.now();
    try {
      const failed = await this.reconciliation.runAll(this.orm.em.fork());
      for (const report of failed) {
        this.logger.error(
          {
            comuneId: report.comuneId,
            problems: report.problems.length,
            checks: [...new Set(report.problems.map((p) => p.check))],
          },
          'money reconciliation found problems',
        );
      }
    } catch (err) {
      this.logger.error({ err: describe(err) }, 'money reconciliation failed to run');
    }
  }
}
