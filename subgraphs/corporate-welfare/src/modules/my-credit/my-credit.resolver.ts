import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import type { CreditMovementPage, MyWelfarePlan } from './my-credit.service.js';
import { CreditMovementPageType, MyWelfarePlanType } from './my-credit.type.js';

/** A plan of the employee as the API shows it, keeping the service's record for its movements. */
type MyWelfarePlanRow = MyWelfarePlanType & { source: MyWelfarePlan };

/**
 * The employee's view. A query of the caller's own (`myWelfarePlans`, like `myCards`) rather than
 * a field on identity's `Person` (`Person.welfareCredits` in the architecture): the plans are found
 * by the caller's codice fiscale, never by a person id a client could name.
 */
@Resolver(() => MyWelfarePlanType)
export class MyCreditResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [MyWelfarePlanType], {
    description:
      'The welfare plans the logged-in employee is in, at every employer (by their codice fiscale: SPID/CIE), with their credit; [] for a person without a codice fiscale. UNAUTHENTICATED when anonymous.',
  })
  async myWelfarePlans(@Ctx() ctx: SubgraphContext): Promise<MyWelfarePlanRow[]> {
    const plans = await this.services.myCredit.mine(ctx.em, ctx.caller);
    return plans.map((p) => ({
      source: p,
      employeeId: p.employeeId,
      employer: { id: p.employerId },
      planId: p.plan.id,
      name: p.plan.name,
      year: p.plan.year,
      validFrom: p.plan.validFrom,
      validUntil: p.plan.validUntil,
      status: p.plan.status,
      categoryCode: p.categoryCode,
      categoryName: p.categoryName,
      purposes: p.plan.purposes,
      endRule: p.plan.endRule,
      grantedCents: p.grantedCents,
      balanceCents: p.balanceCents,
      pendingCents: p.pendingCents,
      availableCents: p.availableCents,
      fringeBenefit: p.fringeBenefit,
    }));
  }

  @FieldResolver(() => CreditMovementPageType, {
    description:
      'The movements of the employee’s credit in the plan that moved money, newest first, each with the balance after it.',
  })
  movements(
    @Root() row: MyWelfarePlanRow,
    @Arg('first', () => Int, { defaultValue: 20, description: 'Page size, 1 to 100.' })
    first: number,
    @Arg('after', () => String, {
      nullable: true,
      description: 'The previous page’s `endCursor`.',
    })
    after: string | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<CreditMovementPage> {
    return this.services.myCredit.movements(ctx.em, row.source, first, after);
  }
}
