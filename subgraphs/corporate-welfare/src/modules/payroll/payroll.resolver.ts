import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import { PayrollMonthType } from './payroll.type.js';

@Resolver(() => PayrollMonthType)
export class PayrollResolver {
  constructor(private readonly services: Services) {}

  @Query(() => PayrollMonthType, {
    description:
      'The employer’s payroll export of a month (reimbursements paid, fringe benefits, taxable and non-taxable amounts per employee). Its HR only: FORBIDDEN otherwise; BAD_USER_INPUT for a malformed month.',
  })
  employerWelfarePayroll(
    @Arg('employerId', () => ID, { description: 'The employer (identity Organisation id).' })
    employerId: string,
    @Arg('month', () => String, { description: 'The month, YYYY-MM.' }) month: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<PayrollMonthType> {
    return this.services.payroll.month(ctx.em, ctx.caller, employerId, month);
  }
}
