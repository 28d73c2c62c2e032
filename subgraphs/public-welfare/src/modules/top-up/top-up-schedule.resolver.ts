import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import { RecurringTopUpInput, ScheduleTopUpInput } from './top-up.input.js';
import { PlannedTopUpType, ScheduledTopUpType, TopUpScheduleType } from './top-up.type.js';

/**
 * Top-ups by date: the schedule of a campaign, scheduling and cancelling a tranche. A resolver of
 * its own, registered after the reconciliation's, so that the schema's fields keep their order.
 */
@Resolver()
export class TopUpScheduleResolver {
  constructor(private readonly services: Services) {}

  @Query(() => TopUpScheduleType, {
    description:
      'Staff of the campaign’s Comune: its tranches scheduled by date and the unspent credit returned after the spending window. NOT_FOUND for anyone else.',
  })
  topUpSchedule(
    @Arg('campaignId', () => ID, { description: 'The campaign.' }) campaignId: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.topUpSchedule.list(ctx.em, ctx.caller, campaignId);
  }

  @Mutation(() => ScheduledTopUpType, {
    description:
      'Staff of the Comune schedule a tranche of a campaign’s top-up for a day of its spending window; the scheduler credits it on that day. BAD_USER_INPUT (fields number, percent, dueOn) for a number already scheduled or credited, a past day or one after the window; CONFLICT for a DRAFT campaign; NOT_FOUND for another Comune.',
  })
  scheduleTopUp(
    @Arg('input', () => ScheduleTopUpInput, { description: 'The tranche and its day.' })
    input: ScheduleTopUpInput,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.topUpSchedule.schedule(ctx.em, ctx.caller, input);
  }

  @Mutation(() => ScheduledTopUpType, {
    description:
      'Staff of the Comune cancel a PENDING scheduled tranche. CONFLICT when it is no longer PENDING; NOT_FOUND for another Comune or an unknown tranche.',
  })
  cancelScheduledTopUp(
    @Arg('campaignId', () => ID, { description: 'The campaign.' }) campaignId: string,
    @Arg('number', () => Int, { description: 'The tranche number.' }) number: number,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.topUpSchedule.cancel(ctx.em, ctx.caller, campaignId, number);
  }

  @Query(() => [PlannedTopUpType], {
    description:
      'Staff of the campaign’s Comune: the tranches `scheduleRecurringTopUps` would write for this input (numbers, percents adding up to 100, days), checked the same way, writing nothing. BAD_USER_INPUT (fields startMonth, dayOfMonth, months) as there.',
  })
  recurringTopUpPlan(
    @Arg('input', () => RecurringTopUpInput, { description: 'The recurrence.' })
    input: RecurringTopUpInput,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.topUpSchedule.planRecurring(ctx.em, ctx.caller, input);
  }

  @Mutation(() => [ScheduledTopUpType], {
    description:
      'Staff of the Comune schedule a tranche on one day of each month for some months, all at once (all or none): numbered after the tranches used, percents adding up to 100 (cumulative rounding), days 29 to 31 clamped to the month’s last day; each is then a scheduled tranche like the others (cancellable while PENDING). BAD_USER_INPUT (fields startMonth, dayOfMonth, months) for a past first day, a last day after the spending window or numbers beyond 20; CONFLICT for a DRAFT campaign; NOT_FOUND for another Comune.',
  })
  scheduleRecurringTopUps(
    @Arg('input', () => RecurringTopUpInput, { description: 'The recurrence.' })
    input: RecurringTopUpInput,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.topUpSchedule.scheduleRecurring(ctx.em, ctx.caller, input);
  }
}
