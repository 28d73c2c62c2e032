import 'reflect-metadata';
import { buildFederatedSchema } from '@welfare/kit/schema';
import type { GraphQLSchema } from 'graphql';
import { PlanResolver } from './modules/plan/plan.resolver.js';
import type { Services } from './services.js';
// cw-employee
import { FringeResolver } from './modules/fringe/fringe.resolver.js';
import { MyCreditResolver } from './modules/my-credit/my-credit.resolver.js';
import { DashboardResolver } from './modules/dashboard/dashboard.resolver.js';

/** The corporate-welfare subgraph's federated schema. Resolvers get the services through a container. */
export async function buildCorporateWelfareSchema(services: Services): Promise<GraphQLSchema> {
  const resolvers = [
    PlanResolver,
    // cw-employee
    FringeResolver,
    MyCreditResolver,
    DashboardResolver,
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
