import type { SubgraphContext } from '@welfare/kit';
import { GraphQLSafeInt } from 'graphql-scalars';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { CampaignType } from '../campaign/campaign.type.js';
import { isComuneStaff } from '@welfare/kit/access';
import { PersonRef } from '../shared/references.type.js';
import type { ApplicationDocument } from './application-document.entity.js';
import type { Application } from './application.entity.js';
import { ApplicationDraftInput, ApplicationQueueFilter } from './application.input.js';
import {
  ApplicationDocumentType,
  ApplicationPage,
  ApplicationPrefillType,
  ApplicationType,
  BulkApprovalResult,
  CaseEventType,
  RankingEntryType,
} from './application.type.js';
import type { CaseEvent } from './case-event.entity.js';

const idArg = { description: 'The application’s id.' };

@Resolver(() => ApplicationType)
export class ApplicationResolver {
  constructor(private readonly services: Services) {}

  @Query(() => ApplicationPrefillType, {
    description:
      'The applicant’s household and ISEE from the registry for the application form, and what the checks will say. Citizens logged in with SPID/CIE for themselves; staff with `onBehalfOf`. Reads income data: written to the audit log.',
  })
  async applicationPrefill(
    @Arg('campaignId', () => ID, { description: 'The campaign.' }) campaignId: string,
    @Arg('onBehalfOf', () => String, {
      nullable: true,
      description: 'Staff only: the citizen’s codice fiscale.',
    })
    onBehalfOf: string | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ApplicationPrefillType> {
    const p = await this.services.applications.prefill(ctx.em, ctx.caller, campaignId, onBehalfOf);
    return {
      householdCode: p.household?.code ?? null,
      address: p.household?.address ?? null,
      members: p.members.map((m) => ({
        givenName: m.givenName,
        familyName: m.familyName,
        birthDate: m.birthDate,
        relation: m.relation,
      })),
      iseeCents: p.iseeCents,
      iseeType: p.iseeType as ApplicationPrefillType['iseeType'],
      checks: p.checks,
      amountCents: p.amountCents,
      existing: p.existing as unknown as ApplicationType | null,
    };
  }

  @Query(() => [ApplicationType], {
    description:
      'The caller’s own applications (by the codice fiscale of their SPID/CIE login), newest first; empty for staff logins. UNAUTHENTICATED when anonymous.',
  })
  myApplications(@Ctx() ctx: SubgraphContext): Promise<Application[]> {
    return this.services.applications.mine(ctx.em, ctx.caller);
  }

  @Query(() => ApplicationType, {
    nullable: true,
    description:
      'One application, for its applicant or the Comune’s staff (null otherwise, as when missing). A read by staff is written to the audit log (READ_CASE).',
  })
  application(
    @Arg('id', () => ID, idArg) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Application | null> {
    return this.services.applications.get(ctx.em, ctx.caller, id);
  }

  @Query(() => ApplicationPage, {
    description:
      'The Comune’s case queue (no drafts), by due date then protocol. Staff only: FORBIDDEN otherwise. Written to the audit log (SEARCH_CASES).',
  })
  applicationQueue(
    @Arg('comuneId', () => ID, { description: 'The Comune.' }) comuneId: string,
    @Arg('filter', () => ApplicationQueueFilter, { nullable: true })
    filter: ApplicationQueueFilter | null,
    @Arg('first', () => Int, { defaultValue: 50, description: 'Page size, 1 to 200.' })
    first: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor of the previous page.' })
    after: string | null,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.cases.queue(ctx.em, ctx.caller, comuneId, filter ?? {}, first, after);
  }

  @Query(() => [RankingEntryType], {
    nullable: true,
    description:
      'The campaign’s ranking by protocol number (no names): null until computed. Public for published and closed campaigns.',
  })
  async campaignRanking(
    @Arg('campaignId', () => ID, { description: 'The campaign.' }) campaignId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<RankingEntryType[] | null> {
    const rows = await this.services.cases.ranking(ctx.em, ctx.caller, campaignId);
    return (
      rows?.map((r) => ({
        rank: r.rank,
        protocolNumber: r.application.protocolNumber ?? '',
        iseeCents: r.application.facts?.iseeCents ?? null,
        size: r.application.facts?.size ?? 0,
        minors: r.application.facts?.minors ?? 0,
        amountCents: r.application.amountCents ?? 0,
        funded: r.funded,
      })) ?? null
    );
  }

  @Mutation(() => ApplicationType, {
    description:
      'Creates or updates the applicant’s DRAFT (one per applicant and campaign: saving again resumes it). BAD_USER_INPUT lists invalid fields (privacyNoticeAcknowledged, email, phone, notes, declarations); CONFLICT when already submitted or the window is closed.',
  })
  saveApplicationDraft(
    @Arg('input', () => ApplicationDraftInput) input: ApplicationDraftInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Application> {
    return this.services.applications.saveDraft(ctx.em, ctx.caller, input);
  }

  @Mutation(() => ApplicationType, {
    description:
      'Submits a draft: automatic checks stored, protocol number, entitlement, notification. Idempotent (a submitted application is returned unchanged). BAD_USER_INPUT for missing declarations or documents; CONFLICT when the household already applied or the window is closed.',
  })
  submitApplication(
    @Arg('id', () => ID, idArg) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Application> {
    return this.services.applications.submit(ctx.em, ctx.caller, id);
  }

  @Mutation(() => ApplicationType, {
    description: 'The applicant withdraws the application (before a decision).',
  })
  withdrawApplication(
    @Arg('id', () => ID, idArg) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Application> {
    return this.services.applications.withdraw(ctx.em, ctx.caller, id);
  }

  @Mutation(() => ApplicationType, {
    description:
      'After an integration request, the applicant sends the application back for review (documents uploaded first).',
  })
  resubmitApplication(
    @Arg('id', () => ID, idArg) id: string,
    @Arg('note', () => String, { nullable: true, description: 'A note for the operator.' })
    note: string | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Application> {
    return this.services.applications.resubmit(ctx.em, ctx.caller, id, note);
  }

  @Mutation(() => ApplicationType, {
    description:
      'The applicant appeals a rejection (REJECTED → APPEALED); the reason is mandatory.',
  })
  appealApplication(
    @Arg('id', () => ID, idArg) id: string,
    @Arg('reason', () => String, { description: 'Why the decision should change.' }) reason: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Application> {
    return this.services.applications.appeal(ctx.em, ctx.caller, id, reason);
  }

  @Mutation(() => ApplicationType, {
    description: 'Staff: takes the case (assigns it to the caller), or releases it.',
  })
  assignApplication(
    @Arg('id', () => ID, idArg) id: string,
    @Arg('release', () => Boolean, { defaultValue: false, description: 'True: release it.' })
    release: boolean,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Application> {
    return this.services.cases.assign(ctx.em, ctx.caller, id, release);
  }

  @Mutation(() => ApplicationType, {
    description: 'Staff: SUBMITTED → IN_REVIEW (and takes the case when nobody has it).',
  })
  startApplicationReview(
    @Arg('id', () => ID, idArg) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Application> {
    return this.services.cases.startReview(ctx.em, ctx.caller, id);
  }

  @Mutation(() => ApplicationType, {
    description:
      'Staff: asks the applicant for more (→ NEEDS_INTEGRATION) and notifies them. The reason is mandatory.',
  })
  requestApplicationIntegration(
    @Arg('id', () => ID, idArg) id: string,
    @Arg('reason', () => String, { description: 'What is needed (up to 2,000 characters).' })
    reason: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Application> {
    return this.services.cases.requestIntegration(ctx.em, ctx.caller, id, reason);
  }

  @Mutation(() => ApplicationType, {
    description:
      'Staff: approves (→ APPROVED, or ELIGIBLE_NOT_FUNDED when the budget left does not cover it) or rejects (→ REJECTED; reason mandatory). The applicant is notified.',
  })
  decideApplication(
    @Arg('id', () => ID, idArg) id: string,
    @Arg('approve', () => Boolean, { description: 'True: approve; false: reject.' })
    approve: boolean,
    @Arg('reason', () => String, { nullable: true, description: 'Reason (mandatory to reject).' })
    reason: string | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Application> {
    return this.services.cases.decide(ctx.em, ctx.caller, id, approve, reason);
  }

  @Mutation(() => BulkApprovalResult, {
    description:
      'Staff: approves at once every given application that is SUBMITTED or IN_REVIEW with all automatic checks passed; the others are listed as skipped. One transaction.',
  })
  bulkApproveApplications(
    @Arg('ids', () => [ID], { description: '1 to 500 application ids.' }) ids: string[],
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.cases.bulkApprove(ctx.em, ctx.caller, ids);
  }

  @Mutation(() => CampaignType, {
    description:
      'MANAGER: ranks the campaign’s eligible applications by its criteria and funds them in order while the budget lasts (APPROVED / ELIGIBLE_NOT_FUNDED).',
  })
  rankCampaign(
    @Arg('campaignId', () => ID, { description: 'The campaign.' }) campaignId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Campaign> {
    return this.services.cases.rank(ctx.em, ctx.caller, campaignId);
  }

  @Mutation(() => CampaignType, {
    description:
      'MANAGER: changes the budget (euro cents). Not below what approved applications hold unless ranked; a ranked campaign is re-ranked.',
  })
  setCampaignBudget(
    @Arg('campaignId', () => ID, { description: 'The campaign.' }) campaignId: string,
    @Arg('budgetCents', () => GraphQLSafeInt, { description: 'New budget in euro cents.' })
    budgetCents: number,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Campaign> {
    return this.services.cases.setBudget(ctx.em, ctx.caller, campaignId, budgetCents);
  }

  @FieldResolver(() => CampaignType, { description: 'The campaign applied to.' })
  campaign(@Root() application: Application, @Ctx() ctx: SubgraphContext): Promise<Campaign> {
    return ctx.em.findOneOrFail(Campaign, { id: application.campaignId });
  }

  @FieldResolver(() => String, { description: 'The applicant’s codice fiscale.' })
  applicantFiscalCode(@Root() application: Application): string {
    return this.services.applications.applicantFiscalCode(application);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Email for notifications.' })
  email(@Root() application: Application): string | null {
    return application.answers.email;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Mobile number for SMS.' })
  phone(@Root() application: Application): string | null {
    return application.answers.phone;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Notes for the Comune.' })
  notes(@Root() application: Application): string | null {
    return application.answers.notes;
  }

  @FieldResolver(() => [String], { description: 'Codes of the declarations accepted.' })
  acceptedDeclarations(@Root() application: Application): string[] {
    return application.answers.acceptedDeclarations;
  }

  @FieldResolver(() => [ApplicationDocumentType], { description: 'Uploaded documents.' })
  documents(
    @Root() application: Application,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ApplicationDocument[]> {
    return this.services.applications.documents(ctx.em, application);
  }

  @FieldResolver(() => [CaseEventType], {
    description:
      'The case’s timeline, oldest first: who (role), when, what changed. The applicant does not see the second approval’s steps (DECISION_PROPOSED, DECISION_RETURNED), and sees PENDING_APPROVAL as IN_REVIEW (as `status`).',
  })
  async timeline(
    @Root() application: Application,
    @Ctx() ctx: SubgraphContext,
  ): Promise<CaseEvent[]> {
    const events = await this.services.applications.timeline(ctx.em, application);
    if (isComuneStaff(ctx.caller, application.comuneId)) return events;
    // The second approval is the Comune's internal step: the applicant never sees a proposal,
    // nor that the decision waited for it (copies: the entities stay untouched).
    const asApplicant = (s: CaseEvent['fromStatus']): CaseEvent['fromStatus'] =>
      s === 'PENDING_APPROVAL' ? 'IN_REVIEW' : s;
    return events
      .filter((e) => e.kind !== 'DECISION_PROPOSED' && e.kind !== 'DECISION_RETURNED')
      .map((e) => ({
        ...e,
        fromStatus: asApplicant(e.fromStatus),
        toStatus: asApplicant(e.toStatus),
      }));
  }

  @FieldResolver(() => PersonRef, {
    nullable: true,
    description: 'The operator the case is assigned to (staff only; null for the applicant).',
  })
  assignedTo(@Root() application: Application, @Ctx() ctx: SubgraphContext): PersonRef | null {
    if (!application.assignedTo || !isComuneStaff(ctx.caller, application.comuneId)) return null;
    return { id: application.assignedTo };
  }

  @FieldResolver(() => Boolean, {
    description: 'True when the case is assigned to the caller.',
  })
  assignedToMe(@Root() application: Application, @Ctx() ctx: SubgraphContext): boolean {
    return ctx.caller.kind === 'person' && application.assignedTo === ctx.caller.personId;
  }
}
