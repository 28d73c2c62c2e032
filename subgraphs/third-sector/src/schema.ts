import 'reflect-metadata';
import { buildFederatedSchema } from '@welfare/kit';
import type { GraphQLSchema } from 'graphql';
import {
  AccreditationRequirementResolver,
  AccreditationResolver,
  AccreditedProviderResolver,
} from './modules/accreditation/accreditation.resolver.js';
import type { Services } from './services.js';

/**
 * The third-sector subgraph's federated schema. Resolvers get the services through a small
 * container; `Organisation` is identity's entity, referenced by key only.
 */
export async function buildThirdSectorSchema(services: Services): Promise<GraphQLSchema> {
  const resolvers = [
    AccreditationRequirementResolver,
    AccreditationResolver,
    AccreditedProviderResolver,
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
