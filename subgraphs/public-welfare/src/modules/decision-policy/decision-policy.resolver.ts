import type { SubgraphContext } from '@welfare/kit';
import { isComuneStaff } from '@welfare/kit/access';
import { GraphQLSafeInt } from 'graphql-scalars';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import type { Application } from '../application/application.entity.js';
import {
  ApplicationStatus,
  type ApplicationStatus as ApplicationStatusValue,
} from '../application/application.enums.js';
import { ApplicationType } from '../application/application.type.js';
import type { DecisionPolicy } from './decision-policy.repository.js';
import { DecisionPolicyType, PendingDecisionType } from './decision-policy.type.js';

const idArg = { description: 'The application’s id.' };

function toType(policy: DecisionPolicy): DecisionPolicyType {
  return {
    comuneId: policy.comuneId,
    secondApproval: policy.secondApproval,
    amountLimitCents: policy.amountLimitCents,
    updatedBy: policy.updatedBy ? { id: policy.updatedBy } : null,
    updatedAt: policy.updatedAt,
  };
}

/** The second approval: a Comune's decision policy, and confirming or returning a proposal. */
@Resolver(() => ApplicationType)
export class DecisionPolicyResolver {
  constructor(private readonly services: Services) {}

  @Query(() => DecisionPolicyType, {
    description:
      'The Comune’s decision policy (off when never set). Its OPERATOR and MANAGER only: FORBIDDEN otherwise; UNAUTHENTICATED when anonymous.',
  })
  async decisionPolicy(
    @Arg('comuneId', () => ID, { description: 'The Comune.' }) comuneId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<DecisionPolicyType> {
    return toType(await this.services.decisionPolicies.policy(ctx.em, ctx.caller, comuneId));
  }

  @Mutation(() => DecisionPolicyType, {
    description:
      'Sets the Comune’s decision policy. Its MANAGER only (FORBIDDEN otherwise); BAD_USER_INPUT (field `amountLimitCents`) for a limit outside 0 to 100,000,000 €, nothing changed. Written to the audit log (SET_DECISION_POLICY).',
  })
  async setDecisionPolicy(
    @Arg('comuneId', () => ID, { description: 'The Comune.' }) comuneId: string,
    @Arg('secondApproval', () => Boolean, {
      description:
        'True: OPERATORs’ rejections (and approvals above the limit) wait for a MANAGER.',
    })
    secondApproval: boolean,
    @Arg('amountLimitCents', () => GraphQLSafeInt, {
      nullable: true,
      description: 'Approvals above this amount (euro cents) wait too; null: approvals never wait.',
    })
    amountLimitCents: number | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<DecisionPolicyType> {
    return toType(
      await this.services.decisionPolicies.setPolicy(
        ctx.em,
        ctx.caller,
        comuneId,
        secondApproval,
        amountLimitCents ?? null,
      ),
    );
  }

  @Mutation(() => ApplicationType, {
    description:
      'MANAGER: confirms the decision proposed (PENDING_APPROVAL), applied as `decideApplication` would (funding, message to the applicant). Not by its proposer (FORBIDDEN); CONFLICT when nothing waits. Written to the audit log (CONFIRM_DECISION).',
  })
  confirmDecision(
    @Arg('id', () => ID, idArg) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Application> {
    return this.services.cases.confirmDecision(ctx.em, ctx.caller, id);
  }

  @Mutation(() => ApplicationType, {
    description:
      'MANAGER: sends the decision proposed (PENDING_APPROVAL) back to the operators (→ IN_REVIEW; reason mandatory); nothing else changes. CONFLICT when nothing waits. Written to the audit log (RETURN_DECISION).',
  })
  returnDecision(
    @Arg('id', () => ID, idArg) id: string,
    @Arg('reason', () => String, { description: 'Why (up to 2,000 characters).' })
    reason: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Application> {
    return this.services.cases.returnDecision(ctx.em, ctx.caller, id, reason);
  }

  @FieldResolver(() => ApplicationStatus, {
    description:
      'Where it is. The applicant sees a decision waiting for a MANAGER (PENDING_APPROVAL) as IN_REVIEW: until it is confirmed nothing has changed for them.',
  })
  status(@Root() application: Application, @Ctx() ctx: SubgraphContext): ApplicationStatusValue {
    if (application.status !== 'PENDING_APPROVAL') return application.status;
    return isComuneStaff(ctx.caller, application.comuneId) ? 'PENDING_APPROVAL' : 'IN_REVIEW';
  }

  @FieldResolver(() => PendingDecisionType, {
    nullable: true,
    description:
      'The decision proposed that waits for a MANAGER (PENDING_APPROVAL only; staff only, null for the applicant).',
  })
  async pendingDecision(
    @Root() application: Application,
    @Ctx() ctx: SubgraphContext,
  ): Promise<PendingDecisionType | null> {
    if (!isComuneStaff(ctx.caller, application.comuneId)) return null;
    const pending = await this.services.cases.pendingDecision(ctx.em, application);
    if (!pending) return null;
    return {
      approve: pending.approve,
      reason: pending.reason,
      amountCents: pending.amountCents,
      proposedBy: { id: pending.proposedBy },
      proposedByCaller: ctx.caller.kind === 'person' && ctx.caller.personId === pending.proposedBy,
      proposedAt: pending.proposedAt,
    };
  }
}
