import 'reflect-metadata';
import { buildFederatedSchema } from '@welfare/kit/schema';
import type { GraphQLSchema } from 'graphql';
import { CheckoutResolver } from './modules/checkout/checkout.resolver.js';
import { PagopaResolver } from './modules/pagopa/pagopa.resolver.js';
import { ProviderAccountResolver } from './modules/provider-account/provider-account.resolver.js';
import { ReconciliationResolver } from './modules/reconciliation/reconciliation.resolver.js';
import type { Services } from './services.js';

/** The payments subgraph's federated schema. Resolvers get the services through a container. */
export async function buildPaymentsSchema(services: Services): Promise<GraphQLSchema> {
  const resolvers = [
    CheckoutResolver,
    PagopaResolver,
    ProviderAccountResolver,
    ReconciliationResolver,
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
