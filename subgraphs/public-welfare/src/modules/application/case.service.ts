import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller, type PersonCaller } from '@welfare/kit';
import { romeToday } from '@welfare/kit/dates';
import { TransferCode, accountCodes, book, syncCampaignFund } from '../ledger/ledger.js';
import type { AuditService } from '../audit/audit.service.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { fundInOrder, rankingComparator } from '../campaign/facts.js';
import { MAX_CENTS } from '../campaign/rules.js';
import type { MessageService } from '../messages/message.service.js';
import {
  actorOf,
  isComuneManager,
  isUuid,
  requireComuneManager,
  requireComuneStaff,
} from '@welfare/kit/access';
import {
  needsSecondApproval,
  readDecisionPolicy,
  type DecisionPolicy,
} from '../decision-policy/decision-policy.repository.js';
import { Application } from './application.entity.js';
import { APPLICATION_STATUSES, type ApplicationStatus } from './application.enums.js';
import type { ApplicationQueueFilter } from './application.input.js';
import {
  approvedEntitlementCents,
  directListCents,
  eligibleEntitlementCents,
  queueIds,
} from './application.repository.js';
import { recordCaseEvent, transition } from './case-events.js';
import { CaseEvent } from './case-event.entity.js';

export const DEFAULT_QUEUE_SIZE = 50;
export const MAX_QUEUE_SIZE = 200;

/** Statuses an operator can decide from. */
const DECIDABLE: ApplicationStatus[] = ['SUBMITTED', 'IN_REVIEW', 'APPEALED'];
/** Statuses the ranking orders (eligible applications). */
const ELIGIBLE: ApplicationStatus[] = ['APPROVED', 'ELIGIBLE_NOT_FUNDED'];

export interface QueuePage {
  nodes: Application[];
  totalCount: number;
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface BulkResult {
  approved: Application[];
  notFunded: Application[];
  /** Above the Comune's limit: proposed, waiting for a MANAGER (PENDING_APPROVAL). */
  pendingApproval: Application[];
  skipped: { id: string; reasonIt: string; reasonEn: string }[];
}

/** A decision proposed by an operator, waiting for a MANAGER's second approval. */
export interface PendingDecision {
  approve: boolean;
  reason: string | null;
  amountCents: number | null;
  /** The proposer's person id. */
  proposedBy: string;
  proposedAt: Date;
}

/** One row of a ranking (published by protocol number: no names). */
export interface RankingRow {
  application: Application;
  rank: number;
  funded: boolean;
}

/**
 * The Comune's side of a case: queue, assignment, review, integration requests, decisions
 * (single and bulk) and the ranking. Approving never commits more than the budget: under a lock
 * on the campaign row, an approval that does not fit in what is left becomes ELIGIBLE_NOT_FUNDED.
 *
 * Credited money is committed money: an application that has received any credit from the
 * campaign's FUND (a TOPUP transfer referenced `application:<id>`) stays APPROVED whatever a
 * later ranking or budget change says, and the budget cannot go below its entitlement (see
 * `rankLocked` and `setBudget`).
 */
export class CaseService {
  constructor(
    private readonly audit: AuditService,
    private readonly messages: MessageService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A page of the Comune's applications (not drafts) by due date, then protocol. */
  async queue(
    em: EntityManager,
    caller: Caller,
    comuneId: string,
    filter: ApplicationQueueFilter = {},
    first = DEFAULT_QUEUE_SIZE,
    after?: string | null,
  ): Promise<QueuePage> {
    const person = requireComuneStaff(caller, comuneId);
    const errors = new FieldErrors();
    if (!Number.isInteger(first) || first < 1 || first > MAX_QUEUE_SIZE)
      errors.add('first', `Da 1 a ${MAX_QUEUE_SIZE}.`, `From 1 to ${MAX_QUEUE_SIZE}.`);
    const offset = after ? Number.parseInt(Buffer.from(after, 'base64url').toString(), 10) : 0;
    if (!Number.isInteger(offset) || offset < 0)
      errors.add('after', 'Cursore non valido.', 'Malformed cursor.');
    if (filter.campaignId && !isUuid(filter.campaignId))
      errors.add('filter.campaignId', 'Identificativo non valido.', 'Malformed id.');
    const statuses = filter.statuses ?? APPLICATION_STATUSES.filter((s) => s !== 'DRAFT');
    if (statuses.some((s) => !(APPLICATION_STATUSES as readonly string[]).includes(s)))
      errors.add('filter.statuses', 'Stato sconosciuto.', 'Unknown status.');
    errors.throwIfAny();
    const { totalCount, ids } = await queueIds(
      em,
      {
        comuneId,
        statuses: statuses.filter((s) => s !== 'DRAFT'),
        campaignId: filter.campaignId,
        assignedTo: filter.mine ? person.personId : null,
        protocol: filter.protocol,
        checksFailed: filter.checksFailed,
        overdueOn: filter.overdue ? romeToday(this.now) : null,
        integrationAnswered: filter.integrationAnswered,
      },
      first + 1,
      offset,
    );
    const found = await em.find(Application, { id: { $in: ids } });
    const byId = new Map(found.map((a) => [a.id, a]));
    const nodes = ids.map((id) => byId.get(id)).filter((a): a is Application => !!a);
    await this.audit.record(em, actorOf(caller), comuneId, 'SEARCH_CASES', `comune:${comuneId}`);
    return {
      nodes: nodes.slice(0, first),
      totalCount,
      hasNextPage: nodes.length > first,
      endCursor:
        nodes.length > first ? Buffer.from(String(offset + first)).toString('base64url') : null,
    };
  }

  /** An application the caller staffs, locked for update in the current transaction. */
  private async lockForStaff(
    em: EntityManager,
    caller: Caller,
    id: string,
  ): Promise<{ application: Application; person: PersonCaller }> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    const application = isUuid(id)
      ? await em.findOne(
          Application,
          { id },
          { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
        )
      : null;
    if (!application || application.status === 'DRAFT') throw notFound();
    const person = requireComuneStaff(caller, application.comuneId);
    return { application, person };
  }

  /** Takes the case (assign to the caller), or releases it when `release` is true. */
  async assign(
    em: EntityManager,
    caller: Caller,
    id: string,
    release = false,
  ): Promise<Application> {
    return em.transactional(async (tx) => {
      const { application, person } = await this.lockForStaff(tx, caller, id);
      const before = application.assignedTo;
      application.assignedTo = release ? null : person.personId;
      if (before !== application.assignedTo) {
        recordCaseEvent(
          tx,
          application,
          'ASSIGNED',
          { caller, role: 'OPERATOR' },
          {
            changes: { assignedTo: [before, application.assignedTo] },
          },
        );
      }
      await tx.flush();
      return application;
    });
  }

  /** SUBMITTED → IN_REVIEW; assigns the case to the caller when nobody has it. */
  async startReview(em: EntityManager, caller: Caller, id: string): Promise<Application> {
    return em.transactional(async (tx) => {
      const { application, person } = await this.lockForStaff(tx, caller, id);
      if (application.status !== 'SUBMITTED') throw notNow();
      if (!application.assignedTo) application.assignedTo = person.personId;
      transition(tx, application, 'IN_REVIEW', 'REVIEW_STARTED', { caller, role: 'OPERATOR' });
      await tx.flush();
      return application;
    });
  }

  /** Asks the applicant for more (reason mandatory) and notifies them. */
  async requestIntegration(
    em: EntityManager,
    caller: Caller,
    id: string,
    reason: string,
  ): Promise<Application> {
    const text = checkReason(reason, true);
    return em.transactional(async (tx) => {
      const { application } = await this.lockForStaff(tx, caller, id);
      if (application.status !== 'SUBMITTED' && application.status !== 'IN_REVIEW') throw notNow();
      application.decisionReason = text;
      transition(
        tx,
        application,
        'NEEDS_INTEGRATION',
        'INTEGRATION_REQUESTED',
        { caller, role: 'OPERATOR' },
        text,
      );
      await tx.flush();
      const campaign = await tx.findOneOrFail(Campaign, { id: application.campaignId });
      await this.messages.notify(tx, {
        comuneId: application.comuneId,
        applicationId: application.id,
        campaignId: campaign.id,
        to: recipients(application),
        template: 'INTEGRATION_REQUESTED',
        params: {
          protocolNumber: application.protocolNumber!,
          campaignTitle: campaign.title,
          reason: text!,
        },
      });
      return application;
    });
  }

  /**
   * Approves or rejects. A rejection needs a reason. An approval whose amount does not fit in what
   * is left of the budget becomes ELIGIBLE_NOT_FUNDED. The applicant is notified.
   *
   * When the Comune's decision policy asks for a second approval and the caller is not its
   * MANAGER, a rejection (or an approval above the limit) only becomes a proposal: see `propose`.
   */
  async decide(
    em: EntityManager,
    caller: Caller,
    id: string,
    approve: boolean,
    reason: string | null,
  ): Promise<Application> {
    const text = checkReason(reason ?? '', !approve);
    return em.transactional(async (tx) => {
      const { application } = await this.lockForStaff(tx, caller, id);
      if (!DECIDABLE.includes(application.status)) throw notNow();
      if (await this.waitsForManager(tx, caller, application, approve)) {
        this.propose(tx, caller, application, approve, text);
        await tx.flush();
        return application;
      }
      const campaign = await tx.findOneOrFail(
        Campaign,
        { id: application.campaignId },
        { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
      );
      await this.applyDecision(tx, caller, application, campaign, approve, text);
      await tx.flush();
      return application;
    });
  }

  /**
   * Approves every given application that is SUBMITTED or IN_REVIEW with every automatic check
   * passed, in one transaction; the others are skipped with a reason. Funding as in `decide`.
   */
  async bulkApprove(em: EntityManager, caller: Caller, ids: string[]): Promise<BulkResult> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (ids.length === 0 || ids.length > 500 || ids.some((i) => !isUuid(i))) {
      new FieldErrors()
        .add('ids', 'Da 1 a 500 domande.', 'From 1 to 500 applications.')
        .throwIfAny();
    }
    return em.transactional(async (tx) => {
      const applications = await tx.find(
        Application,
        { id: { $in: [...new Set(ids)] } },
        {
          orderBy: { submittedAt: 'asc', id: 'asc' },
          lockMode: LockMode.PESSIMISTIC_WRITE,
          refresh: true,
        },
      );
      for (const a of applications) requireComuneStaff(caller, a.comuneId);
      const result: BulkResult = { approved: [], notFunded: [], pendingApproval: [], skipped: [] };
      const found = new Set(applications.map((a) => a.id));
      for (const id of ids) {
        if (!found.has(id))
          result.skipped.push({ id, reasonIt: 'Domanda non trovata.', reasonEn: 'Not found.' });
      }
      const campaigns = new Map<string, Campaign>();
      // Each Comune's policy, read once for the whole selection.
      const policies = new Map<string, DecisionPolicy>();
      for (const application of applications) {
        if (application.status !== 'SUBMITTED' && application.status !== 'IN_REVIEW') {
          result.skipped.push({
            id: application.id,
            reasonIt: `Stato ${application.status}: non approvabile in blocco.`,
            reasonEn: `Status ${application.status}: not for bulk approval.`,
          });
          continue;
        }
        if (application.checks.some((c) => !c.passed)) {
          result.skipped.push({
            id: application.id,
            reasonIt: 'Una verifica automatica non è superata: decidere singolarmente.',
            reasonEn: 'An automatic check failed: decide it on its own.',
          });
          continue;
        }
        if (await this.waitsForManager(tx, caller, application, true, policies)) {
          this.propose(tx, caller, application, true, null);
          await tx.flush();
          result.pendingApproval.push(application);
          continue;
        }
        let campaign = campaigns.get(application.campaignId);
        if (!campaign) {
          campaign = await tx.findOneOrFail(
            Campaign,
            { id: application.campaignId },
            { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
          );
          campaigns.set(campaign.id, campaign);
        }
        const status = await this.applyDecision(tx, caller, application, campaign, true, null);
        await tx.flush();
        (status === 'APPROVED' ? result.approved : result.notFunded).push(application);
      }
      return result;
    });
  }

  /**
   * True when this decision must wait for a MANAGER: the Comune's policy asks for a second
   * approval of it (a rejection, or an approval above the limit) and the caller is not MANAGER.
   */
  private async waitsForManager(
    em: EntityManager,
    caller: Caller,
    application: Application,
    approve: boolean,
    policies = new Map<string, DecisionPolicy>(),
  ): Promise<boolean> {
    if (isComuneManager(caller, application.comuneId)) return false;
    let policy = policies.get(application.comuneId);
    if (!policy) {
      policy = await readDecisionPolicy(em, application.comuneId);
      policies.set(application.comuneId, policy);
    }
    return needsSecondApproval(policy, approve, application.amountCents);
  }

  /**
   * The proposal: → PENDING_APPROVAL with a DECISION_PROPOSED case event recording the proposed
   * outcome, reason, amount and proposer. Nothing else changes: no message, no funding.
   */
  private propose(
    em: EntityManager,
    caller: Caller,
    application: Application,
    approve: boolean,
    reason: string | null,
  ): void {
    const from = application.status;
    application.status = 'PENDING_APPROVAL';
    recordCaseEvent(
      em,
      application,
      'DECISION_PROPOSED',
      { caller, role: 'OPERATOR' },
      {
        from,
        to: 'PENDING_APPROVAL',
        note: reason,
        changes: {
          outcome: [null, approve ? 'APPROVED' : 'REJECTED'],
          amountCents: [null, application.amountCents],
          proposedBy: [null, (caller as PersonCaller).personId],
        },
      },
    );
  }

  /** The decision waiting for a MANAGER, when the application is PENDING_APPROVAL. */
  async pendingDecision(
    em: EntityManager,
    application: Application,
  ): Promise<PendingDecision | null> {
    if (application.status !== 'PENDING_APPROVAL') return null;
    const event = await em.findOne(
      CaseEvent,
      { applicationId: application.id, kind: 'DECISION_PROPOSED' },
      { orderBy: { id: 'desc' } },
    );
    if (!event?.changes) return null;
    return {
      approve: event.changes.outcome?.[1] === 'APPROVED',
      reason: event.note,
      amountCents: (event.changes.amountCents?.[1] as number | null) ?? null,
      proposedBy: String(event.changes.proposedBy?.[1]),
      proposedAt: event.at,
    };
  }

  /**
   * The MANAGER confirms the decision proposed: applied exactly as `decide` would (funding,
   * message). Not by its proposer (FORBIDDEN); CONFLICT unless PENDING_APPROVAL, so of two
   * concurrent confirmations (the row lock orders them) only the first applies.
   */
  async confirmDecision(em: EntityManager, caller: Caller, id: string): Promise<Application> {
    return em.transactional(async (tx) => {
      const { application, person } = await this.lockForStaff(tx, caller, id);
      requireComuneManager(caller, application.comuneId);
      const pending = await this.pendingDecision(tx, application);
      if (!pending) throw notNow();
      if (pending.proposedBy === person.personId) throw notByProposer();
      const campaign = await tx.findOneOrFail(
        Campaign,
        { id: application.campaignId },
        { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
      );
      await this.applyDecision(tx, caller, application, campaign, pending.approve, pending.reason);
      await tx.flush();
      await this.audit.record(
        tx,
        actorOf(caller),
        application.comuneId,
        'CONFIRM_DECISION',
        `application:${application.id}`,
      );
      return application;
    });
  }

  /**
   * The MANAGER sends the proposal back to the operators (reason mandatory): → IN_REVIEW with a
   * DECISION_RETURNED case event; nothing else changes. CONFLICT unless PENDING_APPROVAL.
   */
  async returnDecision(
    em: EntityManager,
    caller: Caller,
    id: string,
    reason: string,
  ): Promise<Application> {
    const text = checkReason(reason, true);
    return em.transactional(async (tx) => {
      const { application } = await this.lockForStaff(tx, caller, id);
      requireComuneManager(caller, application.comuneId);
      if (application.status !== 'PENDING_APPROVAL') throw notNow();
      transition(
        tx,
        application,
        'IN_REVIEW',
        'DECISION_RETURNED',
        { caller, role: 'OPERATOR' },
        text,
      );
      await tx.flush();
      await this.audit.record(
        tx,
        actorOf(caller),
        application.comuneId,
        'RETURN_DECISION',
        `application:${application.id}`,
      );
      return application;
    });
  }

  /**
   * What each application of the campaign has received from the campaign's FUND (TOPUP transfers
   * referenced `application:<id>`, every tranche, whatever was spent or swept since), by
   * application id. An application in it has been credited.
   */
  async creditedByApplication(em: EntityManager, campaignId: string): Promise<Map<string, number>> {
    const rows = await book.movementTotals(
      em,
      { codes: [accountCodes.fund(campaignId)] },
      { codes: [TransferCode.TOPUP], referencePrefix: 'application:', by: 'reference' },
    );
    return new Map(
      rows
        .filter((r) => r.debits > 0)
        .map((r) => [r.reference!.slice('application:'.length), r.debits]),
    );
  }

  /**
   * Cents committed to the campaign's eligible applications (APPROVED, ELIGIBLE_NOT_FUNDED) that
   * have been credited, and to its DIRECT_LIST beneficiaries (decided outside the platform, which
   * no ranking changes): their whole entitlements, which no budget may go below.
   */
  async creditedEntitlementCents(em: EntityManager, campaignId: string): Promise<number> {
    // The credited applications from the book, then their entitlements.
    const credited = [...(await this.creditedByApplication(em, campaignId)).keys()].filter(isUuid);
    return (
      (await eligibleEntitlementCents(em, campaignId, credited)) +
      (await directListCents(em, campaignId))
    );
  }

  /** Cents committed to APPROVED applications of the campaign. */
  async committedCents(em: EntityManager, campaignId: string): Promise<number> {
    return approvedEntitlementCents(em, campaignId);
  }

  private async applyDecision(
    em: EntityManager,
    caller: Caller,
    application: Application,
    campaign: Campaign,
    approve: boolean,
    reason: string | null,
  ): Promise<ApplicationStatus> {
    let to: ApplicationStatus = 'REJECTED';
    if (approve) {
      const committed = await this.committedCents(em, campaign.id);
      to =
        committed + (application.amountCents ?? 0) <= campaign.budgetCents
          ? 'APPROVED'
          : 'ELIGIBLE_NOT_FUNDED';
    }
    application.decisionReason = reason;
    application.decidedAt = new Date();
    application.decidedBy = (caller as PersonCaller).personId;
    transition(
      em,
      application,
      to,
      approve ? 'APPROVED' : 'REJECTED',
      { caller, role: 'OPERATOR' },
      reason,
    );
    await this.messages.notify(em, {
      comuneId: application.comuneId,
      applicationId: application.id,
      campaignId: campaign.id,
      to: recipients(application),
      template: 'DECISION',
      params: {
        protocolNumber: application.protocolNumber!,
        campaignTitle: campaign.title,
        status: to,
        reason,
        amountCents: to === 'APPROVED' ? application.amountCents : null,
      },
    });
    return to;
  }

  /**
   * Ranks the campaign's eligible applications by its criteria and funds them in order while the
   * budget lasts: APPROVED up to the last that fits, ELIGIBLE_NOT_FUNDED after; applications
   * already credited stay APPROVED and are paid for first (see `rankLocked`). MANAGER only.
   * Applicants whose status changes are notified.
   */
  async rank(em: EntityManager, caller: Caller, campaignId: string): Promise<Campaign> {
    return em.transactional(async (tx) => {
      const campaign = isUuid(campaignId)
        ? await tx.findOne(
            Campaign,
            { id: campaignId },
            { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
          )
        : null;
      if (!campaign)
        throw DomainError.notFound({ it: 'Misura non trovata.', en: 'Campaign not found.' });
      requireComuneManager(caller, campaign.comuneId);
      await this.rankLocked(tx, caller, campaign);
      await this.audit.record(
        tx,
        actorOf(caller),
        campaign.comuneId,
        'RANK_CAMPAIGN',
        `campaign:${campaign.id}`,
      );
      return campaign;
    });
  }

  /**
   * Changes the budget (MANAGER). It cannot go below what APPROVED applications already hold
   * unless the campaign has been ranked, which is then recomputed (growing budgets fund more).
   * Ranked or not, it never goes below the entitlements of applications already credited to
   * cards: that money is committed (BAD_USER_INPUT on budgetCents).
   */
  async setBudget(
    em: EntityManager,
    caller: Caller,
    campaignId: string,
    budgetCents: number,
  ): Promise<Campaign> {
    return em.transactional(async (tx) => {
      const campaign = isUuid(campaignId)
        ? await tx.findOne(
            Campaign,
            { id: campaignId },
            { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
          )
        : null;
      if (!campaign)
        throw DomainError.notFound({ it: 'Misura non trovata.', en: 'Campaign not found.' });
      requireComuneManager(caller, campaign.comuneId);
      const errors = new FieldErrors();
      if (!Number.isInteger(budgetCents) || budgetCents < 0 || budgetCents > MAX_CENTS) {
        errors.add(
          'budgetCents',
          'Bilancio in centesimi tra 0 e 100.000.000 €.',
          'Budget in cents between €0 and €100,000,000.',
        );
      } else if (!campaign.rankedAt && budgetCents < (await this.committedCents(tx, campaign.id))) {
        errors.add(
          'budgetCents',
          'Inferiore a quanto già assegnato alle domande approvate.',
          'Less than what approved applications already hold.',
        );
      } else if (budgetCents < (await this.creditedEntitlementCents(tx, campaign.id))) {
        errors.add(
          'budgetCents',
          'Inferiore a quanto spetta alle domande già ricaricate sulle carte.',
          'Less than what applications already credited to cards hold.',
        );
      }
      if (
        campaign.status === 'CLOSED' &&
        budgetCents !== campaign.budgetCents &&
        !campaign.rankedAt
      ) {
        errors.add('budgetCents', 'La misura è chiusa.', 'The campaign is closed.');
      }
      errors.throwIfAny();
      const before = campaign.budgetCents;
      campaign.budgetCents = budgetCents;
      await tx.flush();
      // The campaign's FUND follows its budget (a cut below what cards already hold is refused).
      if (campaign.status !== 'DRAFT') await syncCampaignFund(tx, campaign);
      await this.audit.record(
        tx,
        actorOf(caller),
        campaign.comuneId,
        'SET_BUDGET',
        `campaign:${campaign.id}:${before}->${budgetCents}`,
      );
      if (campaign.rankedAt) await this.rankLocked(tx, caller, campaign);
      return campaign;
    });
  }

  /**
   * The ranking rule, under the campaign's row lock. The eligible applications (APPROVED,
   * ELIGIBLE_NOT_FUNDED) are ordered by the campaign's criteria and numbered in that order. One
   * that has already been credited (any TOPUP from the campaign's FUND, see
   * `creditedByApplication`) stays APPROVED whatever its rank: the money is on its card, so its
   * whole entitlement is committed first. What is left of the budget funds the others in rank
   * order (`fundInOrder`: the first that does not fit stops the funding); the rest become
   * ELIGIBLE_NOT_FUNDED. Since `setBudget` keeps the budget at or above the credited
   * entitlements, what APPROVED applications hold never exceeds the budget, and the FUND (budget
   * minus credits) covers what approved applications are still due.
   */
  private async rankLocked(em: EntityManager, caller: Caller, campaign: Campaign): Promise<void> {
    // Beneficiaries of a direct list were decided outside the platform: never ranked, their
    // entitlements committed first like credited ones (the database keeps them APPROVED).
    const applications = await em.find(
      Application,
      { campaignId: campaign.id, status: { $in: ELIGIBLE }, origin: 'PORTAL' },
      { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
    );
    const direct = await directListCents(em, campaign.id);
    const compare = rankingComparator(campaign.rankingCriteria);
    applications.sort((a, b) =>
      compare(
        {
          facts: a.facts ?? emptyFacts,
          submittedAt: a.submittedAt,
          tieBreak: a.protocolNumber ?? a.id,
        },
        {
          facts: b.facts ?? emptyFacts,
          submittedAt: b.submittedAt,
          tieBreak: b.protocolNumber ?? b.id,
        },
      ),
    );
    const credited = await this.creditedByApplication(em, campaign.id);
    const isCredited = (a: Application) => (credited.get(a.id) ?? 0) > 0;
    const committed = applications
      .filter(isCredited)
      .reduce((sum, a) => sum + (a.amountCents ?? 0), direct);
    const others = applications.filter((a) => !isCredited(a));
    const { funded } = fundInOrder(
      others.map((a) => a.amountCents ?? 0),
      Math.max(0, campaign.budgetCents - committed),
    );
    const approved = new Set([
      ...applications.filter(isCredited).map((a) => a.id),
      ...others.slice(0, funded).map((a) => a.id),
    ]);
    applications.forEach((application, i) => {
      application.rank = i + 1;
      const to: ApplicationStatus = approved.has(application.id)
        ? 'APPROVED'
        : 'ELIGIBLE_NOT_FUNDED';
      if (to !== application.status) {
        transition(em, application, to, 'RANKED', { caller, role: 'OPERATOR' }, `#${i + 1}`);
      }
    });
    campaign.rankedAt = new Date();
    await em.flush();
    for (const application of applications) {
      const changed =
        application.status === 'APPROVED' || application.status === 'ELIGIBLE_NOT_FUNDED';
      if (!changed) continue;
      await this.messages.notify(em, {
        comuneId: application.comuneId,
        applicationId: application.id,
        campaignId: campaign.id,
        to: recipients(application),
        template: 'DECISION',
        params: {
          protocolNumber: application.protocolNumber!,
          campaignTitle: campaign.title,
          status: application.status as 'APPROVED' | 'ELIGIBLE_NOT_FUNDED',
          reason: null,
          amountCents: application.status === 'APPROVED' ? application.amountCents : null,
        },
        // One notification per outcome: a re-rank that does not change it sends nothing.
        dedupeKey: `ranked:${application.id}:${application.status}`,
      });
    }
  }

  /**
   * The ranking: eligible applications by rank, with funded true for the APPROVED ones. Public
   * once computed for a published or closed campaign (protocol numbers only, no names).
   */
  async ranking(
    em: EntityManager,
    caller: Caller,
    campaignId: string,
  ): Promise<RankingRow[] | null> {
    const campaign = isUuid(campaignId) ? await em.findOne(Campaign, { id: campaignId }) : null;
    if (!campaign || !campaign.rankedAt) return null;
    if (campaign.status === 'DRAFT') requireComuneStaff(caller, campaign.comuneId);
    const applications = await em.find(
      Application,
      { campaignId, status: { $in: ELIGIBLE }, rank: { $ne: null } },
      { orderBy: { rank: 'asc' } },
    );
    return applications.map((application) => ({
      application,
      rank: application.rank!,
      funded: application.status === 'APPROVED',
    }));
  }
}

const emptyFacts = {
  resident: false,
  size: 0,
  minors: 0,
  hasDisability: false,
  iseeCents: null,
  iseeType: null,
  receivesPublicSupport: false,
};

function recipients(application: Application) {
  return {
    email: application.answers.email,
    phone: application.answers.phone,
    fiscalCodeHash: application.applicantFiscalCodeHash,
  };
}

/** The trimmed reason: mandatory when `required`, at most 2,000 characters. */
function checkReason(reason: string, required: boolean): string | null {
  const text = reason.trim();
  const errors = new FieldErrors();
  if (required && !text) errors.add('reason', 'Indicare la motivazione.', 'Give a reason.');
  if ([...text].length > 2000)
    errors.add('reason', 'Al massimo 2.000 caratteri.', 'At most 2,000 characters.');
  errors.throwIfAny();
  return text || null;
}

function notFound(): DomainError {
  return DomainError.notFound({ it: 'Domanda non trovata.', en: 'Application not found.' });
}

function notNow(): DomainError {
  return new DomainError('CONFLICT', {
    it: 'Operazione non possibile nello stato attuale della domanda.',
    en: 'Not possible in the application’s current status.',
  });
}

function notByProposer(): DomainError {
  return DomainError.forbidden({
    it: 'La decisione va confermata da un responsabile diverso da chi l’ha proposta.',
    en: 'The decision must be confirmed by a manager other than its proposer.',
  });
}
