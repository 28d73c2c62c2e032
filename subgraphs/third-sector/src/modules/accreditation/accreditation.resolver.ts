import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import { OrganisationRef } from '../shared/references.type.js';
import type { AccreditationEvent } from './accreditation-event.entity.js';
import type { AccreditationRequest } from './accreditation-request.entity.js';
import type { AccreditedProviderRow, ChecklistItem } from './accreditation.service.js';
import {
  AccreditationAnswerInput,
  AccreditationDecisionInput,
  AccreditationQueueFilter,
} from './accreditation.input.js';
import {
  AccreditationEventType,
  AccreditationItemType,
  AccreditationQueueType,
  AccreditationRequestType,
  AccreditedProviderType,
} from './accreditation.type.js';

const requestArg = { description: 'The accreditation request.' } as const;
const reasonArg = { description: 'The reason, 5 to 2000 characters.' } as const;

/** Requests, their steps and the accredited providers. */
@Resolver(() => AccreditationRequestType)
export class AccreditationResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [AccreditationRequestType], {
    description: 'The provider’s requests, newest first. Its ADMIN only: FORBIDDEN otherwise.',
  })
  providerAccreditations(
    @Arg('providerId', () => ID, { description: 'The provider organisation.' }) providerId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<AccreditationRequest[]> {
    return this.services.accreditations.forProvider(ctx.em, ctx.caller, providerId);
  }

  @Query(() => AccreditationQueueType, {
    description:
      'The requests addressed to the Comune (never drafts), oldest submission first. Staff of the Comune only: FORBIDDEN otherwise.',
  })
  providerAccreditationQueue(
    @Arg('comuneId', () => ID, { description: 'The Comune.' }) comuneId: string,
    @Arg('filter', () => AccreditationQueueFilter, {
      nullable: true,
      description: 'Filters and page.',
    })
    filter: AccreditationQueueFilter | null,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.accreditations.queue(ctx.em, ctx.caller, comuneId, filter ?? {});
  }

  @Query(() => AccreditationRequestType, {
    nullable: true,
    description:
      'One request, for the provider’s ADMIN or (once submitted) the Comune’s staff; null for anyone else, as when missing.',
  })
  providerAccreditation(
    @Arg('id', () => ID, requestArg) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<AccreditationRequest | null> {
    return this.services.accreditations.get(ctx.em, ctx.caller, id);
  }

  @Query(() => [AccreditedProviderType], {
    description:
      'The providers effectively accredited by the Comune today (ACCREDITED and not expired; a suspension removes one at once). Public.',
  })
  accreditedProviders(
    @Arg('comuneId', () => ID, { description: 'The Comune.' }) comuneId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<AccreditedProviderRow[]> {
    return this.services.accreditations.accreditedProviders(ctx.em, comuneId);
  }

  @Mutation(() => AccreditationRequestType, {
    description:
      'The provider’s ADMIN starts a DRAFT request to a Comune. BAD_USER_INPUT when the Comune has no checklist; CONFLICT while another request is pending or an accreditation stands (ask for a renewal).',
  })
  startProviderAccreditation(
    @Arg('providerId', () => ID, { description: 'The provider (COOPERATIVE or ASSOCIATION).' })
    providerId: string,
    @Arg('comuneId', () => ID, { description: 'The Comune asked.' }) comuneId: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.accreditations.start(ctx.em, ctx.caller, providerId, comuneId);
  }

  @Mutation(() => AccreditationRequestType, {
    description:
      'The provider’s ADMIN asks for the renewal of an ACCREDITED accreditation before its expiry: a new DRAFT linked to it. CONFLICT when not ACCREDITED, expired or a request is pending.',
  })
  renewProviderAccreditation(
    @Arg('accreditationId', () => ID, { description: 'The accreditation to renew.' })
    accreditationId: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.accreditations.renew(ctx.em, ctx.caller, accreditationId);
  }

  @Mutation(() => AccreditationRequestType, {
    description:
      'The provider’s ADMIN saves answers of a DRAFT or NEEDS_INTEGRATION request (some or all). BAD_USER_INPUT writes nothing.',
  })
  saveProviderAccreditationAnswers(
    @Arg('id', () => ID, requestArg) id: string,
    @Arg('answers', () => [AccreditationAnswerInput], { description: 'The answers.' })
    answers: AccreditationAnswerInput[],
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.accreditations.saveAnswers(ctx.em, ctx.caller, id, answers);
  }

  @Mutation(() => AccreditationRequestType, {
    description:
      'The provider’s ADMIN submits a DRAFT (or resubmits after an integration request) with optional last answers, all or nothing: every checklist item declared, documents where required (field errors `answers.<CODE>`, `documents.<CODE>`).',
  })
  submitProviderAccreditation(
    @Arg('id', () => ID, requestArg) id: string,
    @Arg('answers', () => [AccreditationAnswerInput], {
      nullable: true,
      description: 'Answers saved with the submission.',
    })
    answers: AccreditationAnswerInput[] | null,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.accreditations.submit(ctx.em, ctx.caller, id, answers);
  }

  @Mutation(() => AccreditationRequestType, {
    description:
      'Staff of the Comune take a SUBMITTED request in review. NOT_FOUND for anyone else.',
  })
  startProviderAccreditationReview(
    @Arg('id', () => ID, requestArg) id: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.accreditations.startReview(ctx.em, ctx.caller, id);
  }

  @Mutation(() => AccreditationRequestType, {
    description:
      'Staff of the Comune ask the provider to integrate a SUBMITTED or IN_REVIEW request (NEEDS_INTEGRATION), with a reason.',
  })
  requestProviderAccreditationIntegration(
    @Arg('id', () => ID, requestArg) id: string,
    @Arg('reason', () => String, reasonArg) reason: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.accreditations.requestIntegration(ctx.em, ctx.caller, id, reason);
  }

  @Mutation(() => AccreditationRequestType, {
    description:
      'The Comune’s MANAGER decides a SUBMITTED or IN_REVIEW request: ACCREDITED until an expiry date, or REJECTED, with a reason. A renewal supersedes the previous accreditation. FORBIDDEN for an OPERATOR; NOT_FOUND for another Comune.',
  })
  decideProviderAccreditation(
    @Arg('id', () => ID, requestArg) id: string,
    @Arg('input', () => AccreditationDecisionInput, { description: 'The decision.' })
    input: AccreditationDecisionInput,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.accreditations.decide(ctx.em, ctx.caller, id, input);
  }

  @Mutation(() => AccreditationRequestType, {
    description:
      'The Comune’s MANAGER suspends an ACCREDITED accreditation with a reason, effective at once.',
  })
  suspendProviderAccreditation(
    @Arg('id', () => ID, requestArg) id: string,
    @Arg('reason', () => String, reasonArg) reason: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.accreditations.suspend(ctx.em, ctx.caller, id, reason);
  }

  @Mutation(() => AccreditationRequestType, {
    description:
      'The Comune’s MANAGER reinstates a SUSPENDED accreditation with a reason (the expiry date is unchanged).',
  })
  reinstateProviderAccreditation(
    @Arg('id', () => ID, requestArg) id: string,
    @Arg('reason', () => String, reasonArg) reason: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.accreditations.reinstate(ctx.em, ctx.caller, id, reason);
  }

  @FieldResolver(() => OrganisationRef, { description: 'The provider organisation.' })
  provider(@Root() row: AccreditationRequest): OrganisationRef {
    return { id: row.providerId };
  }

  @FieldResolver(() => OrganisationRef, { description: 'The Comune asked.' })
  comune(@Root() row: AccreditationRequest): OrganisationRef {
    return { id: row.comuneId };
  }

  @FieldResolver(() => Boolean, {
    description: 'True when effective today: ACCREDITED and today (Europe/Rome) ≤ validUntil.',
  })
  effective(@Root() row: AccreditationRequest): boolean {
    return this.services.accreditations.isEffective(row);
  }

  @FieldResolver(() => [AccreditationItemType], {
    description:
      'The checklist as this request answers it: the items answered and, while it can change, the Comune’s active items; with answers and documents.',
  })
  checklist(
    @Root() row: AccreditationRequest,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ChecklistItem[]> {
    return this.services.accreditations.checklist(ctx.em, row);
  }

  @FieldResolver(() => [AccreditationEventType], {
    description:
      'The history, oldest first: who, in which role, when, from which status to which, why.',
  })
  history(
    @Root() row: AccreditationRequest,
    @Ctx() ctx: SubgraphContext,
  ): Promise<AccreditationEvent[]> {
    return this.services.accreditations.history(ctx.em, row.id);
  }
}

/** The organisations of an accredited provider row. */
@Resolver(() => AccreditedProviderType)
export class AccreditedProviderResolver {
  @FieldResolver(() => OrganisationRef, { description: 'The provider organisation.' })
  provider(@Root() row: AccreditedProviderRow): OrganisationRef {
    return { id: row.providerId };
  }

  @FieldResolver(() => OrganisationRef, { description: 'The Comune.' })
  comune(@Root() row: AccreditedProviderRow): OrganisationRef {
    return { id: row.comuneId };
  }
}
