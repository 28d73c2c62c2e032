import 'reflect-metadata';
import { buildFederatedSchema } from '@welfare/kit';
import type { GraphQLSchema } from 'graphql';
import {
  HouseholdMemberResolver,
  HouseholdResolver,
  IncomeDeclarationResolver,
} from './modules/household/household.resolver.js';
import { ImportResolver } from './modules/imports/import.resolver.js';
import { MessageResolver } from './modules/messages/message.resolver.js';
import { SegmentResolver } from './modules/segment/segment.resolver.js';
import { CampaignResolver } from './modules/campaign/campaign.resolver.js';
import { ApplicationResolver } from './modules/application/application.resolver.js';
import { CardResolver } from './modules/card/card.resolver.js';
import { MoneyResolver, PaymentResolver } from './modules/money/money.resolver.js';
import { ReconciliationResolver } from './modules/money/reconciliation.resolver.js';
import { TopUpScheduleResolver } from './modules/money/schedule/topup-schedule.resolver.js';
import { ReimbursementResolver } from './modules/reimbursement/reimbursement.resolver.js';
import { MonitoringResolver } from './modules/monitoring/monitoring.resolver.js';
import { OfferCoverageResolver } from './modules/offer-coverage/coverage.resolver.js';
import { OfferRef } from './modules/offer-coverage/offer.type.js';
import type { Services } from './services.js';

/**
 * The public-welfare subgraph's federated schema. Resolvers get the services through a small
 * container; `Organisation` and `Person` are identity's entities, referenced by key only;
 * `Offer` is third-sector's, extended with `coveredByCampaigns`.
 */
export async function buildPublicWelfareSchema(services: Services): Promise<GraphQLSchema> {
  const resolvers = [
    HouseholdResolver,
    HouseholdMemberResolver,
    IncomeDeclarationResolver,
    ImportResolver,
    SegmentResolver,
    MessageResolver,
    CampaignResolver,
    ApplicationResolver,
    CardResolver,
    MoneyResolver,
    PaymentResolver,
    ReconciliationResolver,
    TopUpScheduleResolver,
    ReimbursementResolver,
    MonitoringResolver,
    OfferCoverageResolver,
  ] as const;
  const instances = new Map<unknown, unknown>(resolvers.map((R) => [R, new R(services)]));
  return buildFederatedSchema(
    {
      resolvers,
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
