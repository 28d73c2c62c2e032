import 'reflect-metadata';
import { buildFederatedSchema } from '@welfare/kit/schema';
import type { GraphQLSchema } from 'graphql';
import { BonusResolver } from './modules/bonus/bonus.resolver.js';
import { FundingResolver } from './modules/funding/funding.resolver.js';
import { PlanEndResolver } from './modules/plan-end/plan-end.resolver.js';
import { PlanResolver } from './modules/plan/plan.resolver.js';
import { ReportResolver } from './modules/report/report.resolver.js';
// Third-sector's `Offer`, extended with the caller's covering plans.
import { OfferCoverageResolver } from './modules/offer-coverage/offer-coverage.resolver.js';
import { OfferRef } from './modules/offer-coverage/offer-coverage.type.js';
import { ClaimResolver } from './modules/claim/claim.resolver.js';
import { PayrollResolver } from './modules/payroll/payroll.resolver.js';
import { EmployeeResolver } from './modules/employee/employee.resolver.js';
import { EnrolmentResolver } from './modules/enrolment/enrolment.resolver.js';
import type { Services } from './services.js';
import { FringeResolver } from './modules/fringe/fringe.resolver.js';
import { MyCreditResolver } from './modules/my-credit/my-credit.resolver.js';
import { DashboardResolver } from './modules/dashboard/dashboard.resolver.js';

/** The corporate-welfare subgraph's federated schema. Resolvers get the services through a container. */
export async function buildCorporateWelfareSchema(services: Services): Promise<GraphQLSchema> {
  const resolvers = [
    PlanResolver,
    BonusResolver,
    OfferCoverageResolver,
    ClaimResolver,
    PayrollResolver,
    FundingResolver,
    PlanEndResolver,
    EmployeeResolver,
    EnrolmentResolver,
    FringeResolver,
    MyCreditResolver,
    DashboardResolver,
    ReportResolver,
  ] as const;
  const instances = new Map<unknown, unknown>(resolvers.map((R) => [R, new R(services)]));
  return buildFederatedSchema(
    {
      resolvers,
      // `Offer` is third-sector's (referenced by key, extended with `coveredByMyPlan`).
      orphanedTypes: [OfferRef],
      container: {
        get: (someClass: unknown) => {
          const instance = instances.get(someClass);
          if (!instance) throw new Error('Unknown resolver class');
          return instance;
        },
      },
    },
    {
      // Third-sector's offers: the representation (id and the @requires fields) is the object.
      Offer: { __resolveReference: (ref: OfferRef) => ref },
    },
  );
}
