import 'reflect-metadata';
import { buildFederatedSchema } from '@welfare/kit/schema';
import type { GraphQLSchema } from 'graphql';
import { CircuitResolver } from './modules/circuit/circuit.resolver.js';
import { EarningResolver } from './modules/earning/earning.resolver.js';
import { PaymentResolver } from './modules/payment/payment.resolver.js';
// ies-reserve
import { ConversionResolver } from './modules/conversion/conversion.resolver.js';
import { ReserveResolver } from './modules/reserve/reserve.resolver.js';
import { TransparencyResolver } from './modules/transparency/transparency.resolver.js';
// The catalogue: `Offer.acceptsIes` and donations to projects.
import { DonationResolver, ProjectResolver } from './modules/donation/donation.resolver.js';
import { OfferIesResolver } from './modules/offer/offer.resolver.js';
import { OfferIesRef } from './modules/offer/offer.type.js';
import type { Services } from './services.js';
// ies-members
import { MemberResolver } from './modules/member/member.resolver.js';
import { WalletResolver } from './modules/wallet/wallet.resolver.js';
// ies-fed: `Person.iesWallets` (identity's Person, extended by key).
import { PersonIesResolver } from './modules/person/person.resolver.js';
import { PersonIesRef } from './modules/person/person.type.js';
// ies-comune: the manual run of demurrage.
import { DemurrageResolver } from './modules/demurrage/demurrage.resolver.js';
// ies-debts: the card fallback's debts.
import { CardFallbackResolver } from './modules/card-fallback/card-fallback.resolver.js';

/** The ies-circuit subgraph's federated schema. Resolvers get the services through a container. */
export async function buildIesCircuitSchema(services: Services): Promise<GraphQLSchema> {
  const resolvers = [
    CircuitResolver,
    // ies-members
    MemberResolver,
    WalletResolver,
    EarningResolver,
    PaymentResolver,
    // ies-reserve
    ReserveResolver,
    ConversionResolver,
    TransparencyResolver,
    // The catalogue.
    OfferIesResolver,
    ProjectResolver,
    DonationResolver,
    // ies-fed
    PersonIesResolver,
    // ies-comune
    DemurrageResolver,
    // ies-debts
    CardFallbackResolver,
  ] as const;
  const instances = new Map<unknown, unknown>(resolvers.map((R) => [R, new R(services)]));
  return buildFederatedSchema(
    {
      resolvers,
      // `Offer` is third-sector's (referenced by key, extended with `acceptsIes`).
      // `Person` is identity's (referenced by key, extended with `iesWallets`).
      orphanedTypes: [OfferIesRef, PersonIesRef],
      container: {
        get: (someClass: unknown) => {
          const instance = instances.get(someClass);
          if (!instance) throw new Error('Unknown resolver class');
          return instance;
        },
      },
    },
    // Third-sector's offers, by reference: the gateway sends the fields `acceptsIes` requires.
    {
      Offer: { __resolveReference: (ref: OfferIesRef) => ref },
      // ies-fed: identity's persons, by reference (their id, matched to the caller).
      Person: { __resolveReference: (ref: PersonIesRef) => ref },
    },
  );
}
