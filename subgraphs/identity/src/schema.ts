import 'reflect-metadata';
import type { SubgraphContext } from '@welfare/kit';
import { createAuditResolver } from '@welfare/kit/audit';
import { buildFederatedSchema } from '@welfare/kit/schema';
import type { GraphQLSchema } from 'graphql';
import { AuthResolver } from './modules/auth/auth.resolver.js';
import { MembershipResolver } from './modules/membership/membership.resolver.js';
import { OrganisationResolver } from './modules/organisation/organisation.resolver.js';
import { PersonResolver } from './modules/person/person.resolver.js';
import type { Services } from './services.js';

/**
 * The identity subgraph's federated schema. Resolvers get the services through a small
 * container; `Person` and `Organisation` resolve references for the other subgraphs.
 */
export async function buildIdentitySchema(services: Services): Promise<GraphQLSchema> {
  const resolvers = [
    AuthResolver,
    MembershipResolver,
    OrganisationResolver,
    PersonResolver,
  ] as const;
  const instances = new Map<unknown, unknown>(resolvers.map((R) => [R, new R(services)]));
  // The audit log's queries (`identityAuditEvents`, `identityAuditChain`), built by the kit.
  const AuditResolver = createAuditResolver('identity', 'identity', services.audit);
  instances.set(AuditResolver, new AuditResolver());
  return buildFederatedSchema(
    {
      resolvers: [...resolvers, AuditResolver],
      container: {
        get: (someClass: unknown) => {
          const instance = instances.get(someClass);
          if (!instance) throw new Error('Unknown resolver class');
          return instance;
        },
      },
    },
    {
      Person: {
        __resolveReference: (ref: { id: string }, ctx: SubgraphContext) =>
          services.persons.findReference(ctx.em, ref.id),
      },
      Organisation: {
        __resolveReference: (ref: { id: string }, ctx: SubgraphContext) =>
          services.organisations.findReference(ctx.em, ref.id),
      },
    },
  );
}
