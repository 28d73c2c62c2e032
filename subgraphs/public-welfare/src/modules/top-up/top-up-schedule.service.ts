import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller } from '@welfare/kit';
import { MoneyRefusal, TransferCode, accountCodes, book } from '../ledger/ledger.js';
import { withRetry } from '@welfare/kit/sql';
import { isComuneStaff, isUuid } from '@welfare/kit/access';
import { isIsoDate, romeDay, formatDay } from '@welfare/kit/dates';
import { SCHEDULER_CALLER } from './scheduler-caller.js';
import {
  cancelPending,
  claimDueTranche,
  endedCampaigns,
  lastUsedTranche,
  markTrancheDone,
  markTrancheFailed,
  scheduleCampaign,
  scheduledStatus,
  scheduledTranches,
  trancheCredited,
  upsertScheduled,
  type DueTranche,
  type ScheduleCampaign,
  type ScheduledTopUp,
} from './top-up-schedule.repository.js';
import type { TopUpService } from './top-up.service.js';

/** A campaign's schedule, with what the automatic sweep returned. */
export interface TopUpScheduleView {
  campaignId: string;
  /** Today in Italy (the earliest day a tranche can be scheduled for). */
  today: string;
  /** The last day of the spending window (the latest day a tranche can be scheduled for). */
  spendingUntil: string;
  tranches: ScheduledTopUp[];
  /** Unspent credit returned to the campaign's fund after the window (SWEEP transfers), in cents. */
  returnedCents: number;
  /** When credit was last returned. */
  returnedAt: Date | null;
}

export interface ScheduleTopUpInput {
  campaignId: string;
  number: number;
  percent: number;
  dueOn: string;
}

/**
 * Recurring tranches: on day `dayOfMonth` of each month for `months` months, from `startMonth`
 * (YYYY-MM). A day the month lacks (29 to 31) is that month's last day.
 */
export interface RecurringTopUpInput {
  campaignId: string;
  startMonth: string;
  dayOfMonth: number;
  months: number;
}

/** One tranche of a recurring plan, not yet written. */
export interface PlannedTopUp {
  number: number;
  percent: number;
  dueOn: string;
}

/** The highest tranche number (`topUpCampaign` takes 1 to 20). */
const MAX_TRANCHE = 20;

/** The day `dayOfMonth` of month `month` (1-based) of `year`, clamped to its last day. */
export function monthDay(year: number, month: number, dayOfMonth: number): string {
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(dayOfMonth, last);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The percent of each of `n` tranches so that they add up to exactly 100: cumulative rounding,
 * tranche k takes round(100k/n) − round(100(k−1)/n) (6 months: 17, 16, 17, 17, 16, 17).
 */
export function recurringPercents(n: number): number[] {
  return Array.from(
    { length: n },
    (_, i) => Math.round((100 * (i + 1)) / n) - Math.round((100 * i) / n),
  );
}

/** What one pass of the scheduler did. */
export interface SchedulerPassResult {
  /** Due tranches this pass took (locked) and settled. */
  claimed: number;
  done: number;
  failed: number;
  /** Cents the DONE tranches credited. */
  creditedCents: number;
  /** Campaigns whose unspent credit was returned to the fund. */
  sweptCampaigns: number;
  returnedCents: number;
}

const notFound = () =>
  DomainError.notFound({ it: 'Campagna non trovata.', en: 'Campaign not found.' });

/** At most 500 characters a language: the refusal kept in `last_error`. */
const clip = (text: string) => (text.length > 500 ? `${text.slice(0, 499)}…` : text);

/**
 * Top-ups by date. Staff of the Comune schedule a tranche of a campaign (number, percent) for a
 * day of its spending window, list the schedule and cancel a PENDING tranche. The scheduler
 * (`TopUpScheduler`, in the subgraph's process) calls `applyDue` and `sweepEnded`: each due tranche
 * is credited through `TopUpService.topUpCampaign` as `SCHEDULER_CALLER`, in the transaction that
 * holds its row locked (`for update skip locked`) and marks it DONE (or FAILED with the refusal),
 * so that any number of schedulers apply it once; and every campaign whose spending window ended
 * with credit still on cards is swept (`TopUpService.sweepExpired`, idempotent).
 */
export class TopUpScheduleService {
  constructor(
    private readonly topUps: TopUpService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The campaign for staff of its Comune: UNAUTHENTICATED, or NOT_FOUND for anyone else. */
  private async campaignFor(
    em: EntityManager,
    caller: Caller,
    campaignId: string,
  ): Promise<ScheduleCampaign> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (typeof campaignId !== 'string' || !isUuid(campaignId)) throw notFound();
    const campaign = await scheduleCampaign(em, campaignId);
    if (!campaign || !isComuneStaff(caller, campaign.comune_id)) throw notFound();
    return campaign;
  }

  /** The campaign's schedule, by tranche number (staff of its Comune; NOT_FOUND otherwise). */
  async list(em: EntityManager, caller: Caller, campaignId: string): Promise<TopUpScheduleView> {
    const campaign = await this.campaignFor(em, caller, campaignId);
    const tranches = await scheduledTranches(em, campaign.id);
    // What sweeps returned to the campaign's FUND, and when last.
    const [returned] = await book.movementTotals(
      em,
      { codes: [accountCodes.fund(campaign.id)] },
      { codes: [TransferCode.SWEEP], by: 'set' },
    );
    return {
      campaignId: campaign.id,
      today: romeDay(this.now()),
      spendingUntil: campaign.spending_until,
      tranches,
      returnedCents: returned?.credits ?? 0,
      returnedAt: returned ? returned.lastAt : null,
    };
  }

  /**
   * Staff of the Comune schedule a tranche for a day: number 1..20 not already scheduled (a
   * CANCELLED or FAILED one may be scheduled again) nor applied by hand, percent 1..100, a day from
   * today to the end of the spending window. The campaign must be PUBLISHED or CLOSED. Bad input
   * writes nothing.
   */
  async schedule(
    em: EntityManager,
    caller: Caller,
    input: ScheduleTopUpInput,
  ): Promise<ScheduledTopUp> {
    const campaign = await this.campaignFor(em, caller, input.campaignId);
    const personId = caller.kind === 'person' ? caller.personId : '';
    await this.checkSchedule(em, campaign, input);
    if (campaign.status !== 'PUBLISHED' && campaign.status !== 'CLOSED') {
      throw new MoneyRefusal('CAMPAIGN_NOT_PUBLISHED', {
        it: 'La campagna non è pubblicata.',
        en: 'The campaign is not published.',
      });
    }
    // A CANCELLED or FAILED schedule of the same number is replaced; a PENDING or DONE one stays.
    const row = await upsertScheduled(em, campaign, input, personId);
    if (!row)
      new FieldErrors()
        .add(
          'number',
          'Questa rata è già programmata: annullala prima o scegli un altro numero.',
          'This tranche is already scheduled: cancel it first or choose another number.',
        )
        .throwIfAny();
    return row!;
  }

  /** The fields of a tranche to schedule (BAD_USER_INPUT, with fields, for all that is wrong). */
  private async checkSchedule(
    em: EntityManager,
    campaign: ScheduleCampaign,
    input: ScheduleTopUpInput,
  ): Promise<void> {
    const today = romeDay(this.now());
    const errors = new FieldErrors();
    const numberOk = Number.isInteger(input.number) && input.number >= 1 && input.number <= 20;
    if (!numberOk)
      errors.add('number', 'Un numero intero da 1 a 20.', 'A whole number from 1 to 20.');
    if (!Number.isInteger(input.percent) || input.percent < 1 || input.percent > 100)
      errors.add('percent', 'Un numero intero da 1 a 100.', 'A whole number from 1 to 100.');
    if (!isIsoDate(input.dueOn))
      errors.add('dueOn', 'Data non valida (AAAA-MM-GG).', 'Invalid date (YYYY-MM-DD).');
    else if (input.dueOn < today)
      errors.add(
        'dueOn',
        'La data non può essere passata: scegli oggi o un giorno successivo.',
        'The date cannot be in the past: choose today or a later day.',
      );
    else if (input.dueOn > campaign.spending_until)
      errors.add(
        'dueOn',
        `La data è oltre la fine del periodo di spesa (${formatDay(campaign.spending_until)}).`,
        `The date is after the end of the spending window (${campaign.spending_until}).`,
      );
    if (numberOk && (await trancheCredited(em, campaign.id, input.number)))
      errors.add(
        'number',
        'Questa rata è già stata accreditata: scegli un altro numero.',
        'This tranche has already been credited: choose another number.',
      );
    errors.throwIfAny();
  }

  /**
   * Staff of the Comune cancel a PENDING tranche. NOT_FOUND when the campaign has no such
   * schedule (or belongs to another Comune); CONFLICT when it is no longer PENDING (the scheduler
   * got there first).
   */
  async cancel(
    em: EntityManager,
    caller: Caller,
    campaignId: string,
    number: number,
  ): Promise<ScheduledTopUp> {
    const campaign = await this.campaignFor(em, caller, campaignId);
    const personId = caller.kind === 'person' ? caller.personId : '';
    if (!Number.isInteger(number) || number < 1 || number > 20)
      new FieldErrors()
        .add('number', 'Un numero intero da 1 a 20.', 'A whole number from 1 to 20.')
        .throwIfAny();
    // Waits for a scheduler holding the row, then sees its outcome.
    const row = await cancelPending(em, campaign.id, number, personId);
    if (row) return row;
    if (!(await scheduledStatus(em, campaign.id, number)))
      throw DomainError.notFound({
        it: 'Ricarica programmata non trovata.',
        en: 'Scheduled top-up not found.',
      });
    throw DomainError.conflict({
      it: 'Solo una ricarica programmata in attesa può essere annullata.',
      en: 'Only a pending scheduled top-up can be cancelled.',
    });
  }

  /**
   * The tranches a recurring schedule would write, checked as `scheduleRecurring` checks them,
   * writing nothing (the portal's confirmation shows them).
   */
  async planRecurring(
    em: EntityManager,
    caller: Caller,
    input: RecurringTopUpInput,
  ): Promise<PlannedTopUp[]> {
    const campaign = await this.campaignFor(em, caller, input.campaignId);
    return this.checkRecurring(em, campaign, input);
  }

  /**
   * Staff of the Comune schedule `months` tranches at once, one a month on `dayOfMonth` (29 to 31
   * clamped to the month's last day), numbered after the highest tranche the campaign used
   * (scheduled PENDING or DONE, or credited by hand), whose percents add up to exactly 100
   * (`recurringPercents`): the whole entitlement, capped by `topUpCampaign` at what is still due
   * when earlier tranches credited some. Every day must be from today to the end of the spending
   * window and every number at most 20, else a field error and nothing written; the tranches are
   * written in one transaction (all or none).
   */
  async scheduleRecurring(
    em: EntityManager,
    caller: Caller,
    input: RecurringTopUpInput,
  ): Promise<ScheduledTopUp[]> {
    const campaign = await this.campaignFor(em, caller, input.campaignId);
    const personId = caller.kind === 'person' ? caller.personId : '';
    return em.transactional(async (tx) => {
      const plan = await this.checkRecurring(tx, campaign, input);
      const rows: ScheduledTopUp[] = [];
      for (const tranche of plan) {
        const row = await upsertScheduled(tx, campaign, { ...tranche }, personId);
        // Another member of staff scheduled one of these numbers meanwhile: nothing is written.
        if (!row)
          new FieldErrors()
            .add(
              'startMonth',
              'Nel frattempo è stata programmata un’altra rata: ricarichi la pagina e riprovi.',
              'Another tranche was scheduled meanwhile: reload the page and try again.',
            )
            .throwIfAny();
        rows.push(row!);
      }
      return rows;
    });
  }

  /** The fields of a recurring schedule, and its tranches (BAD_USER_INPUT for all that is wrong). */
  private async checkRecurring(
    em: EntityManager,
    campaign: ScheduleCampaign,
    input: RecurringTopUpInput,
  ): Promise<PlannedTopUp[]> {
    const today = romeDay(this.now());
    const errors = new FieldErrors();
    const month =
      typeof input.startMonth === 'string' ? /^(\d{4})-(\d{2})$/.exec(input.startMonth) : null;
    const monthOk = month !== null && Number(month[2]) >= 1 && Number(month[2]) <= 12;
    if (!monthOk)
      errors.add('startMonth', 'Mese non valido (AAAA-MM).', 'Invalid month (YYYY-MM).');
    const dayOk =
      Number.isInteger(input.dayOfMonth) && input.dayOfMonth >= 1 && input.dayOfMonth <= 31;
    if (!dayOk)
      errors.add('dayOfMonth', 'Un numero intero da 1 a 31.', 'A whole number from 1 to 31.');
    const monthsOk =
      Number.isInteger(input.months) && input.months >= 2 && input.months <= MAX_TRANCHE;
    if (!monthsOk)
      errors.add('months', 'Un numero intero da 2 a 20.', 'A whole number from 2 to 20.');
    errors.throwIfAny();
    if (campaign.status !== 'PUBLISHED' && campaign.status !== 'CLOSED') {
      throw new MoneyRefusal('CAMPAIGN_NOT_PUBLISHED', {
        it: 'La campagna non è pubblicata.',
        en: 'The campaign is not published.',
      });
    }
    const year = Number(month![1]);
    const first = Number(month![2]);
    const days = Array.from({ length: input.months }, (_, i) =>
      monthDay(
        year + Math.floor((first - 1 + i) / 12),
        ((first - 1 + i) % 12) + 1,
        input.dayOfMonth,
      ),
    );
    const last = days[days.length - 1]!;
    if (days[0]! < today)
      errors.add(
        'startMonth',
        `La prima rata cadrebbe il ${formatDay(days[0]!)}, un giorno passato: scelga un mese o un giorno successivo.`,
        `The first tranche would fall on ${days[0]}, a past day: choose a later month or day.`,
      );
    if (last > campaign.spending_until)
      errors.add(
        'months',
        `L’ultima rata cadrebbe il ${formatDay(last)}, oltre la fine del periodo di spesa (${formatDay(campaign.spending_until)}).`,
        `The last tranche would fall on ${last}, after the end of the spending window (${campaign.spending_until}).`,
      );
    const from = (await lastUsedTranche(em, campaign.id)) + 1;
    if (from + input.months - 1 > MAX_TRANCHE)
      errors.add(
        'months',
        `Restano ${Math.max(0, MAX_TRANCHE - from + 1)} rate disponibili (numeri fino a 20).`,
        `${Math.max(0, MAX_TRANCHE - from + 1)} tranches are left (numbers up to 20).`,
      );
    errors.throwIfAny();
    const percents = recurringPercents(input.months);
    return days.map((dueOn, i) => ({ number: from + i, percent: percents[i]!, dueOn }));
  }

  // ---------------------------------------------------------------- the scheduler's side

  /**
   * Applies due PENDING tranches (`due_on` <= today in Italy), up to `limit`, one transaction
   * each: the row is claimed with `for update skip locked` (another scheduler skips it), the
   * tranche credited through `topUpCampaign` (a savepoint) and the row marked DONE with the
   * credited amount, or FAILED with the refusal (a domain error: e.g. the fund lacks the budget,
   * the window is over) when the book wrote nothing. Any other error leaves the row PENDING for a
   * later pass (and this pass goes on with the next rows).
   */
  async applyDue(
    em: EntityManager,
    limit = 20,
    onError: (err: unknown, row: { campaignId: string; number: number }) => void = () => {},
  ): Promise<Pick<SchedulerPassResult, 'claimed' | 'done' | 'failed' | 'creditedCents'>> {
    const today = romeDay(this.now());
    const result = { claimed: 0, done: 0, failed: 0, creditedCents: 0 };
    const skipped: string[] = [];
    for (let i = 0; i < limit; i++) {
      const claim: { due: DueTranche | null } = { due: null };
      try {
        const outcome = await withRetry(() =>
          em.fork().transactional((tx) => this.applyNextDue(tx, today, skipped, claim)),
        );
        if (!outcome) break;
        result.claimed++;
        if (outcome.done) result.done++;
        else result.failed++;
        result.creditedCents += outcome.creditedCents;
      } catch (err) {
        // Unexpected (the database, a bug): the row stays PENDING; try the others.
        const row = claim.due;
        if (!row) throw err;
        onError(err, { campaignId: row.campaignId, number: row.number });
        skipped.push(`${row.campaignId}:${row.number}`);
      }
    }
    return result;
  }

  /**
   * One due tranche, in the caller's transaction: claimed (`claim.due`), credited, marked DONE or
   * (for a refusal) FAILED. Null when no tranche is due.
   */
  private async applyNextDue(
    tx: EntityManager,
    today: string,
    skipped: readonly string[],
    claim: { due: DueTranche | null },
  ): Promise<{ done: boolean; creditedCents: number } | null> {
    claim.due = null;
    const due = await claimDueTranche(tx, today, skipped);
    if (!due) return null;
    claim.due = due;
    try {
      const done = await this.topUps.topUpCampaign(tx, SCHEDULER_CALLER, due.campaignId, {
        number: due.number,
        percent: due.percent,
      });
      await markTrancheDone(tx, due, done.creditedCents);
      return { done: true, creditedCents: done.creditedCents };
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const reason = { it: clip(err.localized.it), en: clip(err.localized.en) };
      await markTrancheFailed(tx, due, reason);
      return { done: false, creditedCents: 0 };
    }
  }

  /**
   * Returns unspent credit to the fund of every campaign whose spending window ended (the day
   * after `spending_until`, in Italy) and whose cards still hold some, through
   * `TopUpService.sweepExpired` (idempotent: a second sweep finds nothing). The ended campaigns
   * come from one query, which of them still have credit on their cards from one book total by
   * campaign (the card accounts' scope). A refusal for one campaign does not stop the others.
   */
  async sweepEnded(
    em: EntityManager,
    onError: (err: unknown, campaignId: string) => void = () => {},
  ): Promise<Pick<SchedulerPassResult, 'sweptCampaigns' | 'returnedCents'>> {
    const today = romeDay(this.now());
    const ended = await endedCampaigns(em.fork(), today);
    // Those whose card accounts (scoped by campaign) still hold credit.
    const withCredit = new Set(
      (
        await book.ownerTotals(
          em.fork(),
          { kind: 'card', scopeIds: ended, accountKind: 'HOLDER' },
          { by: 'scope' },
        )
      )
        .filter((t) => t.available > 0)
        .map((t) => t.scopeId),
    );
    const campaigns = ended.filter((id) => withCredit.has(id));
    const result = { sweptCampaigns: 0, returnedCents: 0 };
    for (const id of campaigns) {
      try {
        const swept = await withRetry(() =>
          this.topUps.sweepExpired(em.fork(), SCHEDULER_CALLER, id),
        );
        if (swept.returnedCents > 0) result.sweptCampaigns++;
        result.returnedCents += swept.returnedCents;
      } catch (err) {
        onError(err, id);
      }
    }
    return result;
  }
}
