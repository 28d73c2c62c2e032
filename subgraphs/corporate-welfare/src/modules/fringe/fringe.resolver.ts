import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import type { FringeBenefit } from './fringe.entity.js';
import type { FringeBenefitChange, FringeBenefitStatus } from './fringe.service.js';
import {
  DeclareFringeBenefitInput,
  EmployeeFringeBenefitStatusType,
  FringeBenefitChangeType,
  FringeBenefitStatusType,
  FringeBenefitType,
  GrantFringeBenefitInput,
} from './fringe.type.js';

const yearArg = { description: 'The tax year (2000-2100).' } as const;

/** The fringe-benefit cap: where employees stand, HR's declarations and grants. */
@Resolver(() => FringeBenefitStatusType)
export class FringeResolver {
  constructor(private readonly services: Services) {}

  @Query(() => FringeBenefitStatusType, {
    description:
      'An employee’s fringe benefits of a tax year against their cap: the employer’s HR, or the employee (logged in with SPID/CIE, same codice fiscale). UNAUTHENTICATED, BAD_USER_INPUT, NOT_FOUND, FORBIDDEN otherwise.',
  })
  fringeBenefitStatus(
    @Arg('employeeId', () => ID, { description: 'The employee.' }) employeeId: string,
    @Arg('year', () => Int, yearArg) year: number,
    @Ctx() ctx: SubgraphContext,
  ): Promise<FringeBenefitStatus> {
    return this.services.fringe.status(ctx.em, ctx.caller, employeeId, year);
  }

  @Query(() => [EmployeeFringeBenefitStatusType], {
    description:
      'Every employee of the employer (at most 500, by name) with their fringe benefits of a tax year against the cap. Its HR only: FORBIDDEN otherwise.',
  })
  async employerFringeBenefits(
    @Arg('employerId', () => ID, { description: 'The employer (identity Organisation id).' })
    employerId: string,
    @Arg('year', () => Int, yearArg) year: number,
    @Ctx() ctx: SubgraphContext,
  ): Promise<EmployeeFringeBenefitStatusType[]> {
    const rows = await this.services.fringe.employerStatuses(ctx.em, ctx.caller, employerId, year);
    return rows.map(({ employee, status }) => ({
      employeeId: employee.id,
      givenName: employee.givenName,
      familyName: employee.familyName,
      categoryCode: employee.categoryCode,
      dependentChildren: employee.dependentChildren,
      status,
    }));
  }

  @Mutation(() => FringeBenefitChangeType, {
    description:
      'The employer’s HR declares a fringe benefit given outside the platform. Recorded even past the cap (it was given): the status then says EXCEEDED.',
  })
  declareFringeBenefit(
    @Arg('input', () => DeclareFringeBenefitInput, { description: 'The benefit.' })
    input: DeclareFringeBenefitInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<FringeBenefitChange> {
    return this.services.fringe.declare(ctx.em, ctx.caller, input);
  }

  @Mutation(() => FringeBenefitChangeType, {
    description:
      'The employer’s HR grants a fringe benefit from an employee’s credit in a plan (to payroll). Refused (BAD_USER_INPUT on amountCents) when it would take the year’s total past the cap, which would make the whole amount taxable; the status says WARNING near it. Once per requestId.',
  })
  grantFringeBenefit(
    @Arg('input', () => GrantFringeBenefitInput, { description: 'The grant.' })
    input: GrantFringeBenefitInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<FringeBenefitChange> {
    return this.services.fringe.grant(ctx.em, ctx.caller, input);
  }

  @FieldResolver(() => [FringeBenefitType], {
    description: 'The year’s fringe benefits, newest first.',
  })
  benefits(
    @Root() status: FringeBenefitStatus,
    @Ctx() ctx: SubgraphContext,
  ): Promise<FringeBenefit[]> {
    return this.services.fringe.benefits(ctx.em, status.employeeId, status.year);
  }
}
