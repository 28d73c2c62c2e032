import 'reflect-metadata';
import { buildFederatedSchema } from '@welfare/kit/schema';
import type { GraphQLSchema } from 'graphql';
import { PlanResolver } from './modules/plan/plan.resolver.js';
// cw-claims
import { ClaimResolver } from './modules/claim/claim.resolver.js';
import { PayrollResolver } from './modules/payroll/payroll.resolver.js';
import type { Services } from './services.js';

/** The corporate-welfare subgraph's federated schema. Resolvers get the services through a container. */
export async function buildCorporateWelfareSchema(services: Services): Promise<GraphQLSchema> {
  const resolvers = [
    PlanResolver,
    // cw-claims
    ClaimResolver,
    PayrollResolver,
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
