import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller, type PersonCaller } from '@welfare/kit';
import {
  actorOf,
  isComuneManager,
  isComuneStaff,
  isProviderAdmin,
  isUuid,
  requireComuneStaff,
  requirePerson,
  requireProviderAdmin,
} from '@welfare/kit/access';
import type { AuditService } from '../audit/audit.service.js';
import { addDays, isIsoDate, romeDay } from '@welfare/kit/dates';
import { sniffDocumentType } from '@welfare/kit/documents';
import type { AccreditationRequirement } from '../accreditation-requirement/accreditation-requirement.entity.js';
import {
  countActiveRequirements,
  findActiveRequirement,
  findActiveRequirementsById,
  findChecklist,
  findRequirementsOfRequest,
} from '../accreditation-requirement/accreditation-requirement.repository.js';
import { AccreditationAnswer } from './accreditation-answer.entity.js';
import { AccreditationDocument } from './accreditation-document.entity.js';
import { AccreditationEvent } from './accreditation-event.entity.js';
import { AccreditationRequest } from './accreditation-request.entity.js';
import {
  deleteDocuments,
  findAccreditedProviders,
  findAnswer,
  findAnswers,
  findDocumentedRequirementIds,
  findDocuments,
  findDocumentWithContent,
  findHistory,
  findQueue,
  findRequest,
  findRequestsOfProvider,
  findStanding,
  isAccreditedOn,
  lockRequest,
  markSuperseded,
  type AccreditedProviderRow,
} from './accreditation.repository.js';
import {
  ACCREDITATION_STATUSES,
  DECISION_OUTCOMES,
  PENDING_STATUSES,
  type AccreditationEventKind,
  type AccreditationStatus,
  type ActorRole,
  type DecisionOutcome,
} from './accreditation.enums.js';
import { notifyAccreditationDecided } from '../notification/notification.service.js';

/** A provider's answer to one checklist item. */
export interface AnswerInput {
  requirementId: string;
  declared: boolean;
  note?: string | null;
}

export interface DecisionInput {
  outcome: DecisionOutcome;
  reason: string;
  /** Last day of validity (`yyyy-mm-dd`, Europe/Rome): required to accredit. */
  validUntil?: string | null;
}

export interface QueueFilter {
  /** Default: every status but DRAFT (a draft is the provider's own until submitted). */
  statuses?: AccreditationStatus[] | null;
  providerId?: string | null;
  first?: number | null;
  offset?: number | null;
}

/** One checklist item as a request shows it: the requirement, the answer, its documents. */
export interface ChecklistItem {
  requirement: AccreditationRequirement;
  declared: boolean | null;
  note: string | null;
  documents: AccreditationDocument[];
}

export type { AccreditedProviderRow } from './accreditation.repository.js';

/** Longest accreditation: five years from today. */
export const MAX_VALIDITY_DAYS = 5 * 366;
const MAX_REASON = 2000;
const MAX_NOTE = 2000;

const notFound = () =>
  DomainError.notFound({
    it: 'Richiesta di accreditamento non trovata.',
    en: 'Accreditation request not found.',
  });

const notNow = (status: string) =>
  DomainError.conflict({
    it: `Operazione non possibile con la richiesta nello stato ${status}.`,
    en: `Not possible while the request is ${status}.`,
  });

const uniqueViolation = (err: unknown): boolean =>
  (err as { code?: unknown }).code === '23505' ||
  /unique|duplicate key/i.test((err as Error).message ?? '');

/**
 * Provider accreditation. A provider's ADMIN writes a request to a Comune (answers to its
 * checklist, documents), submits it; the Comune's staff review it and may ask for an integration;
 * its MANAGER decides (ACCREDITED until a date, or REJECTED) with a reason, suspends and
 * reinstates. Every step is one transaction that locks the request row and appends to the
 * history. A provider sees only its own requests; a Comune only those addressed to it (never a
 * provider's drafts); anyone else gets NOT_FOUND (or FORBIDDEN on a list of someone else's).
 */
export class AccreditationService {
  constructor(
    private readonly maxDocumentBytes: number,
    private readonly audit: AuditService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Today in Europe/Rome. */
  today(): string {
    return romeDay(this.now());
  }

  // ---- the provider's side ------------------------------------------------------------------

  /**
   * Starts a DRAFT request of the provider to the Comune. BAD_USER_INPUT when the Comune has no
   * checklist; CONFLICT while another request of the pair is pending (a unique index too) or an
   * accreditation stands (ask for a renewal instead).
   */
  async start(
    em: EntityManager,
    caller: Caller,
    providerId: string,
    comuneId: string,
  ): Promise<AccreditationRequest> {
    const person = requireProviderAdmin(caller, providerId);
    if (!isUuid(comuneId) || comuneId === providerId) {
      throw DomainError.badInput([
        {
          field: 'comuneId',
          message: { it: 'Comune non valido.', en: 'Invalid Comune.' },
        },
      ]);
    }
    const checklist = await countActiveRequirements(em, comuneId);
    if (checklist === 0) {
      throw DomainError.badInput([
        {
          field: 'comuneId',
          message: {
            it: 'Il Comune non accetta ancora richieste di accreditamento.',
            en: 'The Comune does not accept accreditation requests yet.',
          },
        },
      ]);
    }
    const standing = await findStanding(em, providerId, comuneId);
    if (standing && (standing.status === 'SUSPENDED' || standing.validUntil! >= this.today())) {
      throw DomainError.conflict(
        standing.status === 'SUSPENDED'
          ? {
              it: 'L’accreditamento presso questo Comune è sospeso.',
              en: 'The accreditation with this Comune is suspended.',
            }
          : {
              it: 'L’ente è già accreditato presso questo Comune: chiedere il rinnovo.',
              en: 'The provider is already accredited with this Comune: ask for a renewal.',
            },
      );
    }
    return this.createDraft(em, person, providerId, comuneId, null);
  }

  /**
   * Starts a renewal: a DRAFT linked to the provider's ACCREDITED accreditation, before its
   * expiry. NOT_FOUND for anyone but the provider's ADMIN; CONFLICT when not ACCREDITED or expired.
   */
  async renew(em: EntityManager, caller: Caller, accreditationId: string) {
    const person = requirePerson(caller);
    const previous = await findRequest(em, accreditationId);
    if (!previous || !isProviderAdmin(person, previous.providerId)) throw notFound();
    if (previous.status !== 'ACCREDITED') throw notNow(previous.status);
    if (previous.validUntil! < this.today()) {
      throw DomainError.conflict({
        it: 'L’accreditamento è scaduto: presentare una nuova richiesta.',
        en: 'The accreditation has expired: submit a new request.',
      });
    }
    return this.createDraft(em, person, previous.providerId, previous.comuneId, previous.id);
  }

  private async createDraft(
    em: EntityManager,
    person: PersonCaller,
    providerId: string,
    comuneId: string,
    renewalOf: string | null,
  ): Promise<AccreditationRequest> {
    try {
      return await em.transactional(async (tx) => {
        const row = tx.create(AccreditationRequest, {
          providerId,
          comuneId,
          renewalOf,
          createdBy: person.personId,
        });
        this.event(
          tx,
          row,
          'CREATED',
          person,
          'PROVIDER_ADMIN',
          null,
          'DRAFT',
          renewalOf ? 'RENEWAL' : null,
        );
        await tx.flush();
        return row;
      });
    } catch (err) {
      if (uniqueViolation(err)) {
        throw DomainError.conflict({
          it: 'C’è già una richiesta in corso per questo Comune.',
          en: 'There is already a pending request for this Comune.',
        });
      }
      throw err;
    }
  }

  /**
   * Saves answers of a DRAFT or NEEDS_INTEGRATION request (some or all; a later save replaces
   * an item's answer). BAD_USER_INPUT (nothing written) for an item not in the Comune's
   * checklist or a note over 2000 characters.
   */
  async saveAnswers(
    em: EntityManager,
    caller: Caller,
    requestId: string,
    answers: AnswerInput[],
  ): Promise<AccreditationRequest> {
    const person = requirePerson(caller);
    return em.transactional(async (tx) => {
      const row = await this.lockForProvider(tx, person, requestId);
      if (row.status !== 'DRAFT' && row.status !== 'NEEDS_INTEGRATION') throw notNow(row.status);
      await this.writeAnswers(tx, row, answers);
      await tx.flush();
      return row;
    });
  }

  /**
   * Submits (or resubmits after an integration request) with optional last answers, all or
   * nothing: every active checklist item must be declared, and items needing a document must have
   * one. BAD_USER_INPUT names each missing item (`answers.<CODE>`, `documents.<CODE>`).
   */
  async submit(
    em: EntityManager,
    caller: Caller,
    requestId: string,
    answers: AnswerInput[] | null,
  ): Promise<AccreditationRequest> {
    const person = requirePerson(caller);
    return em.transactional(async (tx) => {
      const row = await this.lockForProvider(tx, person, requestId);
      if (row.status !== 'DRAFT' && row.status !== 'NEEDS_INTEGRATION') throw notNow(row.status);
      if (answers) await this.writeAnswers(tx, row, answers);
      await tx.flush();
      const checklist = await findChecklist(tx, row.comuneId, false);
      const given = new Map((await findAnswers(tx, row.id)).map((a) => [a.requirementId, a]));
      const documented = await findDocumentedRequirementIds(tx, row.id);
      const errors = new FieldErrors();
      for (const item of checklist) {
        if (!given.get(item.id)?.declared) {
          errors.add(
            `answers.${item.code}`,
            'Dichiarare il possesso del requisito.',
            'Declare that the requirement is met.',
          );
        }
        if (item.documentRequired && !documented.has(item.id)) {
          errors.add(
            `documents.${item.code}`,
            'Allegare il documento richiesto.',
            'Attach the required document.',
          );
        }
      }
      errors.throwIfAny();
      const from = row.status;
      row.status = 'SUBMITTED';
      row.submittedAt = this.now();
      row.version += 1;
      this.event(tx, row, 'SUBMITTED', person, 'PROVIDER_ADMIN', from, 'SUBMITTED', null);
      await tx.flush();
      return row;
    });
  }

  /**
   * Stores a document (PDF, JPEG or PNG, recognised by content; at most the configured size) for
   * one checklist item of a DRAFT or NEEDS_INTEGRATION request. In a draft a new file replaces
   * the item's previous one; after an integration request files are added (the Comune keeps
   * what it saw).
   */
  async addDocument(
    em: EntityManager,
    caller: Caller,
    requestId: string,
    upload: { requirementId: string; fileName: string; content: Buffer },
  ): Promise<AccreditationDocument> {
    const person = requirePerson(caller);
    const errors = new FieldErrors();
    const fileName = upload.fileName.trim().slice(0, 200);
    if (!fileName) errors.add('file', 'Indicare il nome del file.', 'The file needs a name.');
    if (upload.content.length === 0) {
      errors.add('file', 'Il file è vuoto.', 'The file is empty.');
    } else if (upload.content.length > this.maxDocumentBytes) {
      const mb = Math.floor(this.maxDocumentBytes / 1_048_576);
      errors.add('file', `Il file supera ${mb} MB.`, `The file is over ${mb} MB.`);
    }
    const contentType = sniffDocumentType(upload.content);
    if (upload.content.length > 0 && !contentType) {
      errors.add('file', 'Sono ammessi solo PDF, JPEG o PNG.', 'Only PDF, JPEG or PNG files.');
    }
    return em.transactional(async (tx) => {
      const row = await this.lockForProvider(tx, person, requestId);
      if (row.status !== 'DRAFT' && row.status !== 'NEEDS_INTEGRATION') throw notNow(row.status);
      const requirement = isUuid(upload.requirementId)
        ? await findActiveRequirement(tx, upload.requirementId, row.comuneId)
        : null;
      if (!requirement) {
        errors.add(
          'requirementId',
          'Requisito non previsto dal Comune.',
          'Not a requirement of the Comune.',
        );
      }
      errors.throwIfAny();
      if (row.status === 'DRAFT') {
        await deleteDocuments(tx, row.id, requirement!.id);
      }
      const document = tx.create(AccreditationDocument, {
        requestId: row.id,
        providerId: row.providerId,
        comuneId: row.comuneId,
        requirementId: requirement!.id,
        fileName,
        contentType: contentType!,
        sizeBytes: upload.content.length,
        sha256: createHash('sha256').update(upload.content).digest('hex'),
        content: upload.content,
        uploadedBy: person.personId,
      });
      this.event(
        tx,
        row,
        'DOCUMENT_UPLOADED',
        person,
        'PROVIDER_ADMIN',
        null,
        null,
        `${requirement!.code}: ${fileName}`,
      );
      await tx.flush();
      return document;
    });
  }

  /** The provider's requests, newest first (its ADMIN only: FORBIDDEN otherwise). */
  async forProvider(
    em: EntityManager,
    caller: Caller,
    providerId: string,
  ): Promise<AccreditationRequest[]> {
    requireProviderAdmin(caller, providerId);
    return findRequestsOfProvider(em, providerId);
  }

  // ---- the Comune's side --------------------------------------------------------------------

  /**
   * Requests addressed to the Comune (staff only: FORBIDDEN otherwise), oldest submission first;
   * never drafts.
   */
  async queue(
    em: EntityManager,
    caller: Caller,
    comuneId: string,
    filter: QueueFilter = {},
  ): Promise<{ items: AccreditationRequest[]; totalCount: number }> {
    requireComuneStaff(caller, comuneId);
    const errors = new FieldErrors();
    const statuses = (filter.statuses?.length ? filter.statuses : ACCREDITATION_STATUSES).filter(
      (s) => s !== 'DRAFT',
    );
    if (filter.providerId && !isUuid(filter.providerId))
      errors.add('filter.providerId', 'Identificativo non valido.', 'Malformed id.');
    const first = filter.first ?? 50;
    const offset = filter.offset ?? 0;
    if (!Number.isInteger(first) || first < 1 || first > 200)
      errors.add('filter.first', 'Da 1 a 200.', 'From 1 to 200.');
    if (!Number.isInteger(offset) || offset < 0)
      errors.add('filter.offset', 'Un numero non negativo.', 'A non-negative number.');
    errors.throwIfAny();
    return findQueue(
      em,
      { comuneId, statuses, providerId: filter.providerId || null },
      { first, offset },
    );
  }

  /** SUBMITTED → IN_REVIEW (staff of the Comune; NOT_FOUND for anyone else). */
  async startReview(em: EntityManager, caller: Caller, id: string) {
    return this.transition(em, caller, id, 'staff', ['SUBMITTED'], (row, person, tx) => {
      row.status = 'IN_REVIEW';
      this.event(
        tx,
        row,
        'REVIEW_STARTED',
        person,
        this.role(person, row),
        'SUBMITTED',
        'IN_REVIEW',
        null,
      );
    });
  }

  /** SUBMITTED or IN_REVIEW → NEEDS_INTEGRATION with a reason (staff of the Comune). */
  async requestIntegration(em: EntityManager, caller: Caller, id: string, reason: string) {
    const text = checkReason(reason);
    return this.transition(
      em,
      caller,
      id,
      'staff',
      ['SUBMITTED', 'IN_REVIEW'],
      (row, person, tx) => {
        const from = row.status;
        row.status = 'NEEDS_INTEGRATION';
        row.integrationReason = text;
        this.event(
          tx,
          row,
          'INTEGRATION_REQUESTED',
          person,
          this.role(person, row),
          from,
          'NEEDS_INTEGRATION',
          text,
        );
      },
    );
  }

  /**
   * The MANAGER's decision on a SUBMITTED or IN_REVIEW request: ACCREDITED until `validUntil`
   * (after today, at most five years on), or REJECTED; a reason either way. Accrediting a renewal
   * (or a new request after an expired accreditation) supersedes the previous accreditation in
   * the same transaction; CONFLICT while that one is SUSPENDED.
   */
  async decide(em: EntityManager, caller: Caller, id: string, input: DecisionInput) {
    const { reason, validUntil } = validateDecision(input, this.today());
    return this.transition(
      em,
      caller,
      id,
      'manager',
      ['SUBMITTED', 'IN_REVIEW'],
      async (row, person, tx) => {
        const from = row.status;
        const role = this.role(person, row);
        if (input.outcome === 'ACCREDITED') await this.supersedeStanding(tx, row, person, role);
        row.status = input.outcome;
        row.decisionReason = reason;
        row.validUntil = validUntil;
        row.decidedAt = this.now();
        row.decidedBy = person.personId;
        this.event(tx, row, input.outcome, person, role, from, input.outcome, reason);
        await notifyAccreditationDecided(tx, row);
        await this.audit.record(
          tx,
          actorOf(person),
          row.comuneId,
          input.outcome === 'ACCREDITED' ? 'ACCREDIT_PROVIDER' : 'REJECT_ACCREDITATION',
          `accreditation:${row.id}`,
        );
      },
    );
  }

  /**
   * Before a request of the pair becomes ACCREDITED: the standing accreditation (locked) becomes
   * SUPERSEDED (one standing accreditation per pair); CONFLICT while it is SUSPENDED.
   */
  private async supersedeStanding(
    tx: EntityManager,
    row: AccreditationRequest,
    person: PersonCaller,
    role: ActorRole,
  ): Promise<void> {
    const previous = await findStanding(tx, row.providerId, row.comuneId, true);
    if (previous?.status === 'SUSPENDED') {
      throw DomainError.conflict({
        it: 'L’accreditamento in corso è sospeso: riattivarlo prima di rinnovarlo.',
        en: 'The standing accreditation is suspended: reinstate it before renewing it.',
      });
    }
    if (!previous) return;
    await markSuperseded(tx, previous, this.now());
    this.event(tx, previous, 'SUPERSEDED', person, role, 'ACCREDITED', 'SUPERSEDED', `→ ${row.id}`);
  }

  /** ACCREDITED → SUSPENDED with a reason, effective at once (MANAGER of the Comune). */
  async suspend(em: EntityManager, caller: Caller, id: string, reason: string) {
    const text = checkReason(reason);
    return this.transition(em, caller, id, 'manager', ['ACCREDITED'], async (row, person, tx) => {
      row.status = 'SUSPENDED';
      row.suspensionReason = text;
      row.suspendedAt = this.now();
      this.event(
        tx,
        row,
        'SUSPENDED',
        person,
        this.role(person, row),
        'ACCREDITED',
        'SUSPENDED',
        text,
      );
      await this.audit.record(
        tx,
        actorOf(person),
        row.comuneId,
        'SUSPEND_ACCREDITATION',
        `accreditation:${row.id}`,
      );
    });
  }

  /** SUSPENDED → ACCREDITED with a reason (MANAGER of the Comune); the expiry date is unchanged. */
  async reinstate(em: EntityManager, caller: Caller, id: string, reason: string) {
    const text = checkReason(reason);
    return this.transition(em, caller, id, 'manager', ['SUSPENDED'], async (row, person, tx) => {
      row.status = 'ACCREDITED';
      row.suspensionReason = null;
      row.suspendedAt = null;
      this.event(
        tx,
        row,
        'REINSTATED',
        person,
        this.role(person, row),
        'SUSPENDED',
        'ACCREDITED',
        text,
      );
      await this.audit.record(
        tx,
        actorOf(person),
        row.comuneId,
        'REINSTATE_ACCREDITATION',
        `accreditation:${row.id}`,
      );
    });
  }

  // ---- reads --------------------------------------------------------------------------------

  /**
   * One request for the provider's ADMIN or the Comune's staff (not a draft); null for anyone
   * else, as when missing.
   */
  async get(em: EntityManager, caller: Caller, id: string): Promise<AccreditationRequest | null> {
    if (caller.kind !== 'person') return null;
    const row = await findRequest(em, id);
    return row && this.canSee(caller, row) ? row : null;
  }

  canSee(caller: Caller, row: AccreditationRequest): boolean {
    if (isProviderAdmin(caller, row.providerId)) return true;
    return row.status !== 'DRAFT' && isComuneStaff(caller, row.comuneId);
  }

  /** A document with its content, for whoever may see its request (null otherwise). */
  async document(em: EntityManager, caller: Caller, id: string) {
    if (caller.kind !== 'person') return null;
    const doc = await findDocumentWithContent(em, id);
    if (!doc) return null;
    return (await this.get(em, caller, doc.requestId)) ? doc : null;
  }

  /** The request's history, oldest first. */
  history(em: EntityManager, requestId: string): Promise<AccreditationEvent[]> {
    return findHistory(em, requestId);
  }

  /**
   * The request's checklist: the items it answered and, while it can still change, the Comune's
   * active items; with the answers and the documents.
   */
  async checklist(em: EntityManager, row: AccreditationRequest): Promise<ChecklistItem[]> {
    const answers = await findAnswers(em, row.id);
    const editable = (PENDING_STATUSES as readonly string[]).includes(row.status);
    const ids = answers.map((a) => a.requirementId);
    const requirements = await findRequirementsOfRequest(em, row.comuneId, ids, editable);
    const documents = await findDocuments(em, row.id);
    const byId = new Map(answers.map((a) => [a.requirementId, a]));
    return requirements.map((requirement) => ({
      requirement,
      declared: byId.get(requirement.id)?.declared ?? null,
      note: byId.get(requirement.id)?.note ?? null,
      documents: documents.filter((d) => d.requirementId === requirement.id),
    }));
  }

  /** True when the accreditation is effective: ACCREDITED and today (Rome) ≤ its expiry. */
  isEffective(row: AccreditationRequest, at: Date = this.now()): boolean {
    return row.status === 'ACCREDITED' && !!row.validUntil && romeDay(at) <= row.validUntil;
  }

  /**
   * True when the provider is effectively accredited by the Comune on the day of `at` (Europe/
   * Rome): an ACCREDITED accreditation whose expiry is that day or later. A suspension counts at
   * once (the status is no longer ACCREDITED). One indexed SQL probe.
   */
  async isAccredited(
    em: EntityManager,
    providerId: string,
    comuneId: string,
    at: Date = this.now(),
  ): Promise<boolean> {
    if (!isUuid(providerId) || !isUuid(comuneId)) return false;
    return isAccreditedOn(em, providerId, comuneId, romeDay(at));
  }

  /**
   * The providers effectively accredited on the day of `at`, of one Comune or of all (set-based:
   * what the catalogue joins its offers with), by Comune then provider.
   */
  async accreditedProviders(
    em: EntityManager,
    comuneId: string | null,
    at: Date = this.now(),
  ): Promise<AccreditedProviderRow[]> {
    if (comuneId !== null && !isUuid(comuneId)) return [];
    return findAccreditedProviders(em, comuneId, romeDay(at));
  }

  // ---- plumbing -----------------------------------------------------------------------------

  /** The request locked for the provider's ADMIN (NOT_FOUND for anyone else). */
  private async lockForProvider(
    tx: EntityManager,
    person: PersonCaller,
    requestId: string,
  ): Promise<AccreditationRequest> {
    const row = await lockRequest(tx, requestId);
    if (!row || !isProviderAdmin(person, row.providerId)) throw notFound();
    return row;
  }

  private async writeAnswers(
    tx: EntityManager,
    row: AccreditationRequest,
    answers: AnswerInput[],
  ): Promise<void> {
    const errors = new FieldErrors();
    if (answers.length > 200) errors.add('answers', 'Troppe risposte.', 'Too many answers.');
    const ids = answers.map((a) => a.requirementId).filter(isUuid);
    const requirements = await findActiveRequirementsById(tx, ids, row.comuneId);
    const byId = new Map(requirements.map((r) => [r.id, r]));
    const seen = new Set<string>();
    for (const answer of answers) {
      const requirement = byId.get(answer.requirementId);
      if (!requirement || seen.has(requirement.id)) {
        errors.add(
          'answers',
          'Risposta a un requisito non previsto dal Comune (o ripetuta).',
          'An answer to a requirement the Comune does not have (or repeated).',
        );
        continue;
      }
      seen.add(requirement.id);
      if ((answer.note ?? '').length > MAX_NOTE) {
        errors.add(
          `answers.${requirement.code}`,
          'La nota supera 2000 caratteri.',
          'The note is over 2000 characters.',
        );
      }
    }
    errors.throwIfAny();
    for (const answer of answers) {
      const note = answer.note?.trim() || null;
      const existing = await findAnswer(tx, row.id, answer.requirementId);
      if (existing) {
        existing.declared = answer.declared;
        existing.note = note;
      } else {
        tx.create(AccreditationAnswer, {
          requestId: row.id,
          requirementId: answer.requirementId,
          declared: answer.declared,
          note,
        });
      }
    }
  }

  /**
   * One Comune-side step: locks the request, checks who (staff, or MANAGER) and the status, runs
   * `apply`, bumps the version and flushes, in one transaction. NOT_FOUND for anyone who is not
   * staff of the request's Comune (and for drafts); FORBIDDEN for staff who are not MANAGER when
   * the step needs one; CONFLICT from any other status.
   */
  private async transition(
    em: EntityManager,
    caller: Caller,
    id: string,
    who: 'staff' | 'manager',
    from: readonly AccreditationStatus[],
    apply: (
      row: AccreditationRequest,
      person: PersonCaller,
      tx: EntityManager,
    ) => void | Promise<void>,
  ): Promise<AccreditationRequest> {
    const person = requirePerson(caller);
    return em.transactional(async (tx) => {
      const row = await lockRequest(tx, id);
      if (!row || row.status === 'DRAFT' || !isComuneStaff(person, row.comuneId)) throw notFound();
      if (who === 'manager' && !isComuneManager(person, row.comuneId))
        throw DomainError.forbidden();
      if (!from.includes(row.status)) throw notNow(row.status);
      await apply(row, person, tx);
      row.version += 1;
      await tx.flush();
      return row;
    });
  }

  private role(person: PersonCaller, row: AccreditationRequest): ActorRole {
    const member = person.memberships.filter((m) => m.organisationId === row.comuneId);
    if (member.some((m) => m.role === 'MANAGER')) return 'MANAGER';
    if (member.some((m) => m.role === 'OPERATOR')) return 'OPERATOR';
    return 'PLATFORM_ADMIN';
  }

  private event(
    tx: EntityManager,
    row: AccreditationRequest,
    kind: AccreditationEventKind,
    person: PersonCaller,
    role: ActorRole,
    fromStatus: AccreditationStatus | null,
    toStatus: AccreditationStatus | null,
    reason: string | null,
  ): void {
    tx.create(AccreditationEvent, {
      requestId: row.id,
      providerId: row.providerId,
      comuneId: row.comuneId,
      kind,
      actor: `person:${person.personId}`,
      actorRole: role,
      fromStatus,
      toStatus,
      reason,
      at: this.now(),
    });
  }
}

/**
 * Checks a decision (every bad field at once): a known outcome, a reason, and to accredit an
 * expiry after `today` and within five years. The trimmed reason and the expiry (null to reject).
 */
function validateDecision(
  input: DecisionInput,
  today: string,
): { reason: string; validUntil: string | null } {
  const errors = new FieldErrors();
  if (!(DECISION_OUTCOMES as readonly string[]).includes(input.outcome))
    errors.add('outcome', 'Esito non valido.', 'Invalid outcome.');
  const reason = input.reason.trim();
  if (reason.length < 5 || reason.length > MAX_REASON)
    errors.add(
      'reason',
      'Indicare la motivazione (da 5 a 2000 caratteri).',
      'Give the reason (5 to 2000 characters).',
    );
  let validUntil: string | null = null;
  if (input.outcome === 'ACCREDITED') {
    const value = (input.validUntil ?? '').trim();
    if (!isIsoDate(value)) {
      errors.add('validUntil', 'Indicare la data di scadenza.', 'Give the expiry date.');
    } else if (value <= today || value > addDays(today, MAX_VALIDITY_DAYS)) {
      errors.add(
        'validUntil',
        'La scadenza deve essere dopo oggi ed entro cinque anni.',
        'The expiry must be after today and within five years.',
      );
    } else {
      validUntil = value;
    }
  }
  errors.throwIfAny();
  return { reason, validUntil };
}

/** A reason of 5 to 2000 characters (trimmed), or BAD_USER_INPUT on `reason`. */
function checkReason(reason: string): string {
  const text = reason.trim();
  if (text.length < 5 || text.length > MAX_REASON) {
    new FieldErrors()
      .add(
        'reason',
        'Indicare la motivazione (da 5 a 2000 caratteri).',
        'Give the reason (5 to 2000 characters).',
      )
      .throwIfAny();
  }
  return text;
}
