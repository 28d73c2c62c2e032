import 'reflect-metadata';
import { createAuditResolver } from '@welfare/kit/audit';
import { buildFederatedSchema } from '@welfare/kit/schema';
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
// The order of these imports is the order of the schema's queries and mutations (type-graphql
// registers them as the modules load): keep it.
import { TopUpResolver } from './modules/top-up/top-up.resolver.js';
import { ShopResolver } from './modules/shop/shop.resolver.js';
import { PaymentResolver } from './modules/payment/payment.resolver.js';
import { CreditResolver } from './modules/credit/credit.resolver.js';
import { ReconciliationResolver } from './modules/reconciliation/reconciliation.resolver.js';
import { TopUpScheduleResolver } from './modules/top-up/top-up-schedule.resolver.js';
import { ReimbursementResolver } from './modules/reimbursement/reimbursement.resolver.js';
import { MonitoringResolver } from './modules/monitoring/monitoring.resolver.js';
import { OfferCoverageResolver } from './modules/offer-coverage/offer-coverage.resolver.js';
import { WorklistResolver } from './modules/worklist/worklist.resolver.js';
import { DirectListResolver } from './modules/direct-list/direct-list.resolver.js';
import { FundingResolver } from './modules/funding/funding.resolver.js';
import { OfferRef } from './modules/offer-coverage/offer-coverage.type.js';
import type { Services } from './services.js';
import {
  HouseholdFileResolver,
  HouseholdNoteResolver,
  HouseholdAttachmentResolver,
} from './modules/household/household-file.resolver.js';
import { DecisionPolicyResolver } from './modules/decision-policy/decision-policy.resolver.js';
import { RevocationResolver } from './modules/revocation/revocation.resolver.js';

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
    TopUpResolver,
    ShopResolver,
    PaymentResolver,
    CreditResolver,
    ReconciliationResolver,
    TopUpScheduleResolver,
    ReimbursementResolver,
    MonitoringResolver,
    OfferCoverageResolver,
    HouseholdFileResolver,
    HouseholdNoteResolver,
    WorklistResolver,
    HouseholdAttachmentResolver,
    DirectListResolver,
    FundingResolver,
    DecisionPolicyResolver,
    RevocationResolver,
  ] as const;
  const instances = new Map<unknown, unknown>(resolvers.map((R) => [R, new R(services)]));
  // The audit log's queries (`publicWelfareAuditEvents`, `publicWelfareAuditChain`), built by the kit.
  const AuditResolver = createAuditResolver('publicWelfare', 'public-welfare', services.audit);
  instances.set(AuditResolver, new AuditResolver());
  return buildFederatedSchema(
    {
      resolvers: [...resolvers, AuditResolver],
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
