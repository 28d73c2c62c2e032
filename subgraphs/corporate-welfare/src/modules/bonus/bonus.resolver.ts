import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import { Employee } from '../employee/employee.entity.js';
import { Plan } from '../plan/plan.entity.js';
import { PlanType } from '../plan/plan.type.js';
import type { BonusComparison } from './bonus-comparison.js';
import type { BonusConversion, BonusConversionStatus } from './bonus-conversion.entity.js';
import {
  BonusComparisonType,
  BonusConversionInput,
  BonusConversionStatusEnum,
  BonusConversionType,
} from './bonus.type.js';

@Resolver(() => BonusConversionType)
export class BonusResolver {
  constructor(private readonly services: Services) {}

  @Query(() => BonusComparisonType, {
    description:
      'Net cash against credit for converting a performance bonus in one of the caller’s plans (no effect). NOT_FOUND for a plan the caller is not an employee of; CONFLICT if the plan is not in force or does not allow conversion; BAD_USER_INPUT, field by field, for what the law does not relieve.',
  })
  bonusConversionQuote(
    @Arg('input', () => BonusConversionInput) input: BonusConversionInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<BonusComparison> {
    return this.services.bonuses.quote(ctx.em, ctx.caller, input);
  }

  @Query(() => [PlanType], {
    description:
      'The plans in which the caller, an employee in force today, may convert a performance bonus into credit (active, in force, allowing it), at every employer of theirs.',
  })
  myBonusConvertiblePlans(@Ctx() ctx: SubgraphContext): Promise<Plan[]> {
    return this.services.bonuses.convertiblePlans(ctx.em, ctx.caller);
  }

  @Query(() => [BonusConversionType], {
    description: 'The caller’s own conversion requests, at every employer, newest first.',
  })
  myBonusConversions(@Ctx() ctx: SubgraphContext): Promise<BonusConversion[]> {
    return this.services.bonuses.mine(ctx.em, ctx.caller);
  }

  @Query(() => [BonusConversionType], {
    description:
      'The employer’s conversion requests, newest first (at most 200). Its HR only: FORBIDDEN otherwise.',
  })
  employerBonusConversions(
    @Arg('employerId', () => ID, { description: 'The employer (identity Organisation id).' })
    employerId: string,
    @Arg('status', () => BonusConversionStatusEnum, {
      nullable: true,
      description: 'Only requests in this state.',
    })
    status: BonusConversionStatus | null | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<BonusConversion[]> {
    return this.services.bonuses.ofEmployer(ctx.em, ctx.caller, employerId, status ?? undefined);
  }

  @Mutation(() => BonusConversionType, {
    description:
      'Asks to convert a performance bonus into the plan’s credit, recording the comparison shown. The errors of bonusConversionQuote; CONFLICT while another request on the plan waits.',
  })
  requestBonusConversion(
    @Arg('input', () => BonusConversionInput) input: BonusConversionInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<BonusConversion> {
    return this.services.bonuses.request(ctx.em, ctx.caller, input);
  }

  @Mutation(() => BonusConversionType, {
    description:
      'HR confirms a request: the converted amount joins the employee’s credit, once. CONFLICT if already decided or the plan is not active.',
  })
  confirmBonusConversion(
    @Arg('id', () => ID, { description: 'The request.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<BonusConversion> {
    return this.services.bonuses.confirm(ctx.em, ctx.caller, id);
  }

  @Mutation(() => BonusConversionType, {
    description: 'HR rejects a request with a reason the employee reads. CONFLICT if decided.',
  })
  rejectBonusConversion(
    @Arg('id', () => ID, { description: 'The request.' }) id: string,
    @Arg('reason', () => String, { description: 'Why (3 to 500 characters).' }) reason: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<BonusConversion> {
    return this.services.bonuses.reject(ctx.em, ctx.caller, id, reason);
  }

  @FieldResolver(() => String, {
    description: 'The plan’s name (loaded with the list: no query per row).',
  })
  async planName(
    @Root() conversion: BonusConversion,
    @Ctx() ctx: SubgraphContext,
  ): Promise<string> {
    return (await ctx.em.findOneOrFail(Plan, conversion.planId)).name;
  }

  @FieldResolver(() => String, { description: 'The employee’s name, as enrolled.' })
  async employeeName(
    @Root() conversion: BonusConversion,
    @Ctx() ctx: SubgraphContext,
  ): Promise<string> {
    const employee = await ctx.em.findOneOrFail(Employee, conversion.employeeId);
    return `${employee.givenName} ${employee.familyName}`;
  }
}
