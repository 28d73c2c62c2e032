import 'reflect-metadata';
import { buildFederatedSchema } from '@welfare/kit/schema';
import type { GraphQLSchema } from 'graphql';
import { PlanResolver } from './modules/plan/plan.resolver.js';
// cw-enrolment
import { EmployeeResolver } from './modules/employee/employee.resolver.js';
import { EnrolmentResolver } from './modules/enrolment/enrolment.resolver.js';
import type { Services } from './services.js';

/** The corporate-welfare subgraph's federated schema. Resolvers get the services through a container. */
export async function buildCorporateWelfareSchema(services: Services): Promise<GraphQLSchema> {
  const resolvers = [
    PlanResolver,
    // cw-enrolment
    EmployeeResolver,
    EnrolmentResolver,
  ] as const;
  const instances = new Map<unknown, unknown>(resolvers.map((R) => [R, new R(services)]));
  return buildFederatedSchema({
    resolvers,
    container: {
      get: (someClass: unknown) => {
        const instance = instances.get(someClass);
        if (!instance) throw new Error('Unknown resolver class');
        return instance;
      },
    },
  });
}
