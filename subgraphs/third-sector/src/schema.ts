import 'reflect-metadata';
import { buildFederatedSchema, type SubgraphContext } from '@welfare/kit';
import type { GraphQLSchema } from 'graphql';
import {
  AccreditationRequirementResolver,
  AccreditationResolver,
  AccreditedProviderResolver,
} from './modules/accreditation/accreditation.resolver.js';
import { CatalogueResolver } from './modules/catalogue/catalogue.resolver.js';
import { OfferResolver } from './modules/offer/offer.resolver.js';
import { OfferBookingResolver } from './modules/offer-booking/offer-booking.resolver.js';
import {
  TutoringFamilyResolver,
  TutoringLessonResolver,
  TutoringProgrammeResolver,
  TutoringRoomResolver,
} from './modules/tutoring/tutoring.resolver.js';
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
    OfferResolver,
    OfferBookingResolver,
    CatalogueResolver,
    TutoringProgrammeResolver,
    TutoringRoomResolver,
    TutoringLessonResolver,
    TutoringFamilyResolver,
  ] as const;
  const instances = new Map<unknown, unknown>(resolvers.map((R) => [R, new R(services)]));
  return buildFederatedSchema(
    {
      resolvers,
      container: {
        get: (someClass: unknown) => {
          const instance = instances.get(someClass);
          if (!instance) throw new Error('Unknown resolver class');
          return instance;
        },
      },
    },
    {
      // `Offer` is this subgraph's entity: other subgraphs add fields to it through the gateway.
      Offer: {
        __resolveReference: (ref: { id: string }, ctx: SubgraphContext) =>
          services.offers.get(ctx.em, ctx.caller, ref.id),
      },
    },
  );
}
