import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import type { EarningRule } from './earning.entity.js';
import type { RewardRow } from './earning.repository.js';
import type { RewardOutcome } from './earning.service.js';
import {
  AttendanceSyncType,
  EarningRuleInputType,
  EarningRuleType,
  MyEarningsType,
  RewardType,
  ShareInitiativeInputType,
  ShareInitiativeType,
  ShareLinkType,
  ShareVisitType,
  VolunteerShiftInputType,
  VolunteerShiftResultType,
} from './earning.type.js';

const rewardOut = (r: RewardRow): RewardType => ({ ...r, capped: r.paidCents < r.requestedCents });

/** Earning by taking part: rules (circuit staff), rewards, shifts, shared links. */
@Resolver()
export class EarningResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [EarningRuleType], {
    description: 'Every earning rule of the circuit (its staff). FORBIDDEN for anyone else.',
  })
  iesEarningRules(
    @Arg('circuitId', () => ID, { description: 'The circuit.' }) circuitId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<EarningRule[]> {
    return this.services.earning.rules(ctx.em, ctx.caller, circuitId);
  }

  @Query(() => [RewardType], {
    description: 'The rewards paid in the circuit, newest first (its staff).',
  })
  async iesRewards(
    @Arg('circuitId', () => ID, { description: 'The circuit.' }) circuitId: string,
    @Arg('limit', () => Int, { defaultValue: 100, description: 'At most this many (1–500).' })
    limit: number,
    @Ctx() ctx: SubgraphContext,
  ): Promise<RewardType[]> {
    return (await this.services.earning.circuitRewards(ctx.em, ctx.caller, circuitId, limit)).map(
      rewardOut,
    );
  }

  @Query(() => [ShareInitiativeType], {
    description: 'The initiatives of the circuit citizens may share (its staff).',
  })
  async iesShareInitiatives(
    @Arg('circuitId', () => ID, { description: 'The circuit.' }) circuitId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ShareInitiativeType[]> {
    return this.services.earning.staffInitiatives(ctx.em, ctx.caller, circuitId);
  }

  @Query(() => MyEarningsType, {
    description:
      'The calling citizen’s earning in the circuit: rules in force with the cap left this period, rewards, links. FORBIDDEN for a non-member.',
  })
  async myIesEarnings(
    @Arg('code', { description: 'The circuit’s public code.' }) code: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<MyEarningsType> {
    const mine = await this.services.earning.mine(ctx.em, ctx.caller, code);
    return {
      rules: mine.rules,
      rewards: mine.rewards.map(rewardOut),
      initiatives: mine.initiatives,
      links: mine.links,
    };
  }

  @Mutation(() => EarningRuleType, {
    description: 'Creates an earning rule (the circuit’s staff). Audited.',
  })
  createIesEarningRule(
    @Arg('circuitId', () => ID, { description: 'The circuit.' }) circuitId: string,
    @Arg('input', () => EarningRuleInputType, { description: 'The rule.' })
    input: EarningRuleInputType,
    @Ctx() ctx: SubgraphContext,
  ): Promise<EarningRule> {
    return this.services.earning.createRule(ctx.em, ctx.caller, circuitId, input);
  }

  @Mutation(() => EarningRuleType, {
    description: 'Changes an earning rule (not its kind). The rewards paid stay. Audited.',
  })
  updateIesEarningRule(
    @Arg('ruleId', () => ID, { description: 'The rule.' }) ruleId: string,
    @Arg('input', () => EarningRuleInputType, { description: 'The rule.' })
    input: EarningRuleInputType,
    @Ctx() ctx: SubgraphContext,
  ): Promise<EarningRule> {
    return this.services.earning.updateRule(ctx.em, ctx.caller, ruleId, input);
  }

  @Mutation(() => EarningRuleType, {
    description: 'Deactivates an earning rule: it pays no more. Idempotent. Audited.',
  })
  deactivateIesEarningRule(
    @Arg('ruleId', () => ID, { description: 'The rule.' }) ruleId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<EarningRule> {
    return this.services.earning.deactivateRule(ctx.em, ctx.caller, ruleId);
  }

  @Mutation(() => ShareInitiativeType, {
    description: 'Adds an initiative citizens may share (the circuit’s staff). Audited.',
  })
  createIesShareInitiative(
    @Arg('circuitId', () => ID, { description: 'The circuit.' }) circuitId: string,
    @Arg('input', () => ShareInitiativeInputType, { description: 'The initiative.' })
    input: ShareInitiativeInputType,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ShareInitiativeType> {
    return this.services.earning.createInitiative(ctx.em, ctx.caller, circuitId, input);
  }

  @Mutation(() => ShareLinkType, {
    description: 'The calling citizen’s personal link to an initiative (made on first asking).',
  })
  iesShareLink(
    @Arg('code', { description: 'The circuit’s public code.' }) code: string,
    @Arg('initiativeId', () => ID, { description: 'The initiative.' }) initiativeId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ShareLinkType> {
    return this.services.earning.shareLink(ctx.em, ctx.caller, code, initiativeId);
  }

  @Mutation(() => ShareVisitType, {
    description:
      'Counts a visit of a shared link (the portal’s public landing; once per visitor, link and day; the link owner’s own visits never count) and answers where to go. Public. NOT_FOUND for an unknown link.',
  })
  recordIesShareVisit(
    @Arg('token', { description: 'The link’s token.' }) token: string,
    @Arg('visitorKey', {
      description:
        'The portal’s visitor cookie: the visitor when the request carries no client address (the client’s address, signed by the gateway, comes first). Hashed, never stored in clear.',
    })
    visitorKey: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ShareVisitType> {
    return this.services.earning.recordVisit(ctx.em, token, visitorKey, {
      caller: ctx.caller,
      ...(ctx.clientAddress === undefined ? {} : { clientAddress: ctx.clientAddress }),
    });
  }

  @Mutation(() => VolunteerShiftResultType, {
    description:
      'An association or cooperative of the circuit (its ADMIN) confirms a member citizen’s volunteering shift, once per volunteer and day, and the rule in force rewards it. CONFLICT when already confirmed or when the rewards fund cannot pay (nothing written).',
  })
  async confirmIesVolunteerShift(
    @Arg('input', () => VolunteerShiftInputType, { description: 'The shift.' })
    input: VolunteerShiftInputType,
    @Ctx() ctx: SubgraphContext,
  ): Promise<VolunteerShiftResultType> {
    const result = await this.services.earning.confirmShift(ctx.em, ctx.caller, input);
    return {
      shiftId: result.shiftId!,
      outcome: result.status,
      reward: rewardOf(result),
    };
  }

  @Mutation(() => AttendanceSyncType, {
    description:
      'Reads third-sector’s attendance feed now (the circuit’s staff) instead of waiting for the scheduled pass.',
  })
  async syncIesAttendance(
    @Arg('circuitId', () => ID, { description: 'The circuit.' }) circuitId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<AttendanceSyncType> {
    return this.services.attendanceFeed.sync(ctx.em, ctx.caller, circuitId);
  }
}

function rewardOf(outcome: RewardOutcome): RewardType | null {
  if (outcome.status === 'PAID') return rewardOut(outcome.reward);
  if (outcome.status === 'ALREADY_EARNED' && outcome.reward) return rewardOut(outcome.reward);
  return null;
}
