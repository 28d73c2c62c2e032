import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller, type PersonCaller } from '@welfare/kit';
import { isValidPersonalFiscalCode, normaliseFiscalCode, type PiiCipher } from '@welfare/kit/pii';
import type { AuditService } from '../audit/audit.service.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { householdFactsByMember } from '../campaign/facts.js';
import {
  entitlementCents,
  evaluateRules,
  type CheckResult,
  type HouseholdFacts,
} from '../campaign/rules.js';
import { HouseholdMember } from '../household/household-member.entity.js';
import { Household } from '../household/household.entity.js';
import { FISCAL_CODE_PURPOSE } from '../imports/csv-columns.js';
import type { MessageService } from '../messages/message.service.js';
import { actorOf, isComuneStaff, isUuid } from '@welfare/kit/access';
import { ApplicationDocument } from './application-document.entity.js';
import { Application, type ApplicationAnswers } from './application.entity.js';
import type { ApplicationStatus } from './application.enums.js';
import type { ApplicationDraftInput } from './application.input.js';
import { insertFirstDraft, lockForSubmission, submitDraft } from './application.repository.js';
import { CampaignCache } from './campaign-cache.js';
import { CaseEvent } from './case-event.entity.js';
import { CITIZEN_PRIVACY_NOTICE_VERSION } from './privacy-notice.js';
import { recordCaseEvent, transition, type ActorRole } from './case-events.js';

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,}$/;
const PHONE = /^\+?[0-9]{8,15}$/;

/** Statuses in which the applicant can still withdraw. */
const WITHDRAWABLE: ApplicationStatus[] = [
  'DRAFT',
  'SUBMITTED',
  'IN_REVIEW',
  'NEEDS_INTEGRATION',
  'PENDING_APPROVAL',
];

/** Accepted document types, recognised by their first bytes. */
const SIGNATURES: { type: string; bytes: number[] }[] = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
];

/** The content type of a PDF, JPEG or PNG file; undefined for anything else. */
export function sniffDocumentType(content: Buffer): string | undefined {
  return SIGNATURES.find((s) => s.bytes.every((b, i) => content[i] === b))?.type;
}

/** What the applicant sees before applying: their household in the registry and their ISEE. */
export interface Prefill {
  household: Household | null;
  members: HouseholdMember[];
  iseeCents: number | null;
  iseeType: string | null;
  /** The campaign's rules on these facts (what the checks will say at submission). */
  checks: CheckResult[];
  amountCents: number | null;
  /** The applicant's live application to this campaign, if any (drafts included). */
  existing: Application | null;
}

/**
 * The applicant's side of an application: drafts, documents, submission with automatic checks,
 * withdrawal, integration and appeal. A citizen acts for themselves (their codice fiscale comes
 * from the SPID/CIE session); the Comune's staff may act on a citizen's behalf (recorded).
 */
export class ApplicationService {
  /** Published campaigns as last read (opening day), checked against their stored version. */
  private readonly campaigns = new CampaignCache();

  constructor(
    private readonly pii: PiiCipher,
    private readonly audit: AuditService,
    private readonly messages: MessageService,
    private readonly maxDocumentBytes: number,
  ) {}

  /** The keyed hash of a codice fiscale (same as the registry's). */
  fiscalCodeHash(fiscalCode: string): string {
    return this.pii.lookupHash(FISCAL_CODE_PURPOSE, normaliseFiscalCode(fiscalCode));
  }

  /** True when the caller is the application's applicant (by codice fiscale). */
  isApplicant(caller: Caller, application: Application): boolean {
    return (
      caller.kind === 'person' &&
      caller.fiscalCode !== undefined &&
      this.fiscalCodeHash(caller.fiscalCode) === application.applicantFiscalCodeHash
    );
  }

  /** Whom the caller applies for: themselves, or (staff) the citizen named in `onBehalfOf`. */
  private applicant(
    caller: Caller,
    campaign: Campaign,
    onBehalfOf: string | null | undefined,
  ): { person: PersonCaller; fiscalCode: string; onBehalf: boolean } {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (onBehalfOf) {
      if (!isComuneStaff(caller, campaign.comuneId)) throw DomainError.forbidden();
      const cf = normaliseFiscalCode(onBehalfOf);
      if (!isValidPersonalFiscalCode(cf)) {
        new FieldErrors()
          .add('onBehalfOf', 'Codice fiscale non valido.', 'Invalid codice fiscale.')
          .throwIfAny();
      }
      return { person: caller, fiscalCode: cf, onBehalf: true };
    }
    if (!caller.fiscalCode) {
      throw DomainError.forbidden({
        it: 'Per presentare domanda accedi con SPID o CIE.',
        en: 'Log in with SPID or CIE to apply.',
      });
    }
    return { person: caller, fiscalCode: caller.fiscalCode, onBehalf: false };
  }

  private async campaignOrThrow(em: EntityManager, id: string): Promise<Campaign> {
    const campaign = isUuid(id) ? await em.findOne(Campaign, { id }) : null;
    if (!campaign || campaign.status === 'DRAFT') {
      throw DomainError.notFound({ it: 'Misura non trovata.', en: 'Campaign not found.' });
    }
    return campaign;
  }

  /** The campaign read now, and kept as last read (see CampaignCache). */
  private async readCampaign(em: EntityManager, id: string): Promise<Campaign> {
    const campaign = await this.campaignOrThrow(em, id);
    this.campaigns.remember(campaign);
    return campaign;
  }

  /** The registry data shown in the application form, and what the checks will say. */
  async prefill(
    em: EntityManager,
    caller: Caller,
    campaignId: string,
    onBehalfOf?: string | null,
  ): Promise<Prefill> {
    const campaign = await this.campaignOrThrow(em, campaignId);
    const { fiscalCode } = this.applicant(caller, campaign, onBehalfOf);
    const hash = this.fiscalCodeHash(fiscalCode);
    const found = await householdFactsByMember(em, campaign.comuneId, hash);
    await this.audit.record(
      em,
      actorOf(caller),
      campaign.comuneId,
      'READ_INCOME',
      found ? `household:${found.id}` : `applicant:${hash.slice(0, 16)}`,
    );
    const household = found ? await em.findOne(Household, { id: found.id }) : null;
    const members = found
      ? await em.find(
          HouseholdMember,
          { household: found.id },
          { orderBy: { birthDate: 'asc', id: 'asc' } },
        )
      : [];
    const existing = await em.findOne(
      Application,
      { campaignId, applicantFiscalCodeHash: hash, status: { $ne: 'WITHDRAWN' } },
      { orderBy: { createdAt: 'desc' } },
    );
    return {
      household,
      members,
      iseeCents: found?.facts.iseeCents ?? null,
      iseeType: found?.facts.iseeType ?? null,
      checks: evaluateRules(campaign.rules, found?.facts ?? null),
      amountCents: found
        ? entitlementCents(campaign.amountSchedule, found.facts.size, found.facts.minors)
        : null,
      existing,
    };
  }

  /**
   * Creates or updates the applicant's DRAFT for the campaign (one per applicant: saving again
   * resumes it). BAD_USER_INPUT lists invalid fields; CONFLICT when already submitted.
   */
  saveDraft(em: EntityManager, caller: Caller, input: ApplicationDraftInput): Promise<Application> {
    return this.saveDraftChecked(em, caller, input, false);
  }

  /**
   * `saveDraft` against the campaign as last read (`fresh`: read now). The first draft's insert
   * checks that campaign's version: when it inserted nothing from a campaign read earlier, the
   * campaign may have changed (closed, edited): everything is checked again on a fresh read (a
   * resumed draft, which inserts nothing either, pays that read).
   */
  private async saveDraftChecked(
    em: EntityManager,
    caller: Caller,
    input: ApplicationDraftInput,
    fresh: boolean,
  ): Promise<Application> {
    const cached = fresh ? undefined : this.campaigns.get(input.campaignId);
    const campaign = cached ?? (await this.readCampaign(em, input.campaignId));
    const { person, fiscalCode, onBehalf } = this.applicant(caller, campaign, input.onBehalfOf);
    const answers = validateAnswers(input, campaign);
    if (!acceptingApplications(campaign)) throw windowClosed();
    const hash = this.fiscalCodeHash(fiscalCode);
    // The first save (opening day: nearly every one) is one statement; a resumed draft is not.
    const now = new Date();
    const created = await em.transactional((tx) =>
      insertFirstDraft(tx, {
        id: randomUUID(),
        campaignId: campaign.id,
        comuneId: campaign.comuneId,
        applicantFiscalCodeHash: hash,
        applicantFiscalCodeCipher: this.pii.encrypt(fiscalCode),
        createdBy: person.personId,
        onBehalf,
        answers,
        privacyNoticeVersion: CITIZEN_PRIVACY_NOTICE_VERSION,
        at: now,
        actor: actorOf(caller),
        actorRole: onBehalf ? 'OPERATOR' : 'CITIZEN',
        campaignVersion: campaign.version,
      }),
    );
    if (created) return em.map(Application, created);
    if (cached) return this.saveDraftChecked(em, caller, input, true);
    const existing = await em.findOne(Application, {
      campaignId: campaign.id,
      applicantFiscalCodeHash: hash,
      status: { $ne: 'WITHDRAWN' },
    });
    if (existing && existing.status !== 'DRAFT') throw alreadyApplied(existing);
    if (existing) {
      existing.answers = answers;
      acknowledgePrivacyNotice(existing, person);
      await em.flush();
      return existing;
    }
    const application = em.create(Application, {
      campaignId: campaign.id,
      comuneId: campaign.comuneId,
      applicantFiscalCodeHash: hash,
      applicantFiscalCodeCipher: this.pii.encrypt(fiscalCode),
      createdBy: person.personId,
      onBehalf,
      answers,
    });
    acknowledgePrivacyNotice(application, person);
    recordCaseEvent(em, application, 'DRAFT_CREATED', {
      caller,
      role: onBehalf ? 'OPERATOR' : 'CITIZEN',
    });
    try {
      await em.flush();
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) {
        // The same applicant saved a first draft concurrently: resume that one.
        em.clear();
        const other = await em.findOneOrFail(Application, {
          campaignId: campaign.id,
          applicantFiscalCodeHash: hash,
          status: { $ne: 'WITHDRAWN' },
        });
        if (other.status !== 'DRAFT') throw alreadyApplied(other);
        other.answers = answers;
        acknowledgePrivacyNotice(other, person);
        await em.flush();
        return other;
      }
      throw err;
    }
    return application;
  }

  /** The application if the caller may act on it as applicant (or staff on behalf). */
  async forApplicant(em: EntityManager, caller: Caller, id: string): Promise<Application> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    const application = isUuid(id) ? await em.findOne(Application, { id }) : null;
    if (!application) throw notFound();
    if (!this.isApplicant(caller, application) && !isComuneStaff(caller, application.comuneId)) {
      throw notFound();
    }
    return application;
  }

  private role(caller: Caller, application: Application): ActorRole {
    return this.isApplicant(caller, application) ? 'CITIZEN' : 'OPERATOR';
  }

  /**
   * Submits a draft: runs the automatic checks (window, residency, ISEE, size, support, one per
   * household, documents, declarations), stores each result, gives a protocol number, computes the
   * entitlement and notifies the applicant, all in one transaction. Submitting an already
   * submitted application returns it unchanged (idempotent); a second application of the same
   * household is refused (the database's unique index decides between concurrent ones).
   */
  async submit(em: EntityManager, caller: Caller, id: string): Promise<Application> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (!isUuid(id)) throw notFound();
    try {
      return await em.transactional(async (tx) => {
        // Locked first, then authorised (as forApplicant): one read instead of two, which also
        // gives the campaign's current version (the campaign as last read serves when it matches).
        const locked = await lockForSubmission(tx, id);
        const application = locked ? tx.map(Application, locked.row) : null;
        if (
          !application ||
          (!this.isApplicant(caller, application) && !isComuneStaff(caller, application.comuneId))
        ) {
          throw notFound();
        }
        if (application.status !== 'DRAFT') return application;
        let campaign = this.campaigns.get(application.campaignId);
        if (!campaign || campaign.version !== locked?.campaignVersion) {
          campaign = await tx.findOneOrFail(Campaign, { id: application.campaignId });
          this.campaigns.remember(campaign);
        }
        if (!acceptingApplications(campaign)) throw windowClosed();
        await checkComplete(tx, application, campaign);
        return this.submitChecked(tx, caller, application, campaign);
      });
    } catch (err) {
      if (isUniqueViolation(err, 'application_one_per_household')) {
        em.clear();
        throw new DomainError('CONFLICT', {
          it: 'Il nucleo familiare ha già presentato domanda per questa misura.',
          en: 'The household has already applied to this measure.',
        });
      }
      throw err;
    }
  }

  /**
   * Submits a complete draft in the caller's transaction: the household's facts and the checks,
   * the entitlement, the protocol number and the deadline; the case events; the applicant's
   * notice in the outbox. Three statements (the facts, the notice, the submission): the protocol
   * counter's row is locked by the last one and held only until the commit that follows it.
   */
  private async submitChecked(
    tx: EntityManager,
    caller: Caller,
    application: Application,
    campaign: Campaign,
  ): Promise<Application> {
    const found = await householdFactsByMember(
      tx,
      application.comuneId,
      application.applicantFiscalCodeHash,
    );
    const checks = submissionChecks(campaign, found?.facts ?? null);
    const now = new Date();
    // The notice is written first with a placeholder that the submission's statement replaces
    // with the protocol number: the counter's row is then locked by the last statement only.
    const protocolPlaceholder = `PROTOCOLLO-${application.id}`;
    const dueBy = addDays(now, campaign.decisionDays);
    await this.messages.notify(tx, {
      comuneId: application.comuneId,
      applicationId: application.id,
      campaignId: campaign.id,
      to: {
        email: application.answers.email,
        phone: application.answers.phone,
        fiscalCodeHash: application.applicantFiscalCodeHash,
      },
      template: 'APPLICATION_RECEIVED',
      params: {
        protocolNumber: protocolPlaceholder,
        campaignTitle: campaign.title,
        submittedAt: now,
        dueBy,
      },
      dedupeKey: `received:${application.id}`,
    });
    const row = await submitDraft(tx, {
      id: application.id,
      comuneId: application.comuneId,
      year: now.getUTCFullYear(),
      householdId: found?.id ?? null,
      facts: found?.facts ?? null,
      checks,
      amountCents: found
        ? entitlementCents(campaign.amountSchedule, found.facts.size, found.facts.minors)
        : 0,
      submittedAt: now,
      dueBy,
      actor: actorOf(caller),
      actorRole: this.role(caller, application),
      checksNote: checks.map((c) => `${c.code}: ${c.passed ? 'OK' : 'KO'}`).join(', '),
      protocolPlaceholder,
    });
    if (!row) throw notNow();
    // The written row replaces the entity's data (nothing left for the transaction's flush).
    return tx.map(Application, row);
  }

  /** The applicant withdraws (before a decision). */
  async withdraw(em: EntityManager, caller: Caller, id: string): Promise<Application> {
    const application = await this.forApplicant(em, caller, id);
    if (application.status === 'WITHDRAWN') return application;
    if (!WITHDRAWABLE.includes(application.status)) throw notNow();
    transition(em, application, 'WITHDRAWN', 'WITHDRAWN', {
      caller,
      role: this.role(caller, application),
    });
    await em.flush();
    return application;
  }

  /** After an integration request: the applicant sends the application back for review. */
  async resubmit(
    em: EntityManager,
    caller: Caller,
    id: string,
    note: string | null,
  ): Promise<Application> {
    const application = await this.forApplicant(em, caller, id);
    if (application.status !== 'NEEDS_INTEGRATION') throw notNow();
    const text = note?.trim() || null;
    if (text && text.length > 2000) {
      new FieldErrors()
        .add('note', 'Al massimo 2.000 caratteri.', 'At most 2,000 characters.')
        .throwIfAny();
    }
    // The request suspended the Comune's term (L. 241/1990, art. 2 c. 7): the due-by date moves
    // by the days the application waited for the applicant.
    const requested = await em.findOne(
      CaseEvent,
      { applicationId: id, kind: 'INTEGRATION_REQUESTED' },
      { orderBy: { id: 'desc' } },
    );
    const waited = requested ? Math.floor((Date.now() - requested.at.getTime()) / 86_400_000) : 0;
    const before = application.dueBy;
    if (before && waited > 0) {
      application.dueBy = addDays(new Date(`${before}T00:00:00Z`), waited);
    }
    const from = application.status;
    application.status = 'IN_REVIEW';
    recordCaseEvent(
      em,
      application,
      'INTEGRATION_SUBMITTED',
      { caller, role: this.role(caller, application) },
      {
        from,
        to: 'IN_REVIEW',
        note: text,
        changes: before !== application.dueBy ? { dueBy: [before, application.dueBy] } : null,
      },
    );
    await em.flush();
    return application;
  }

  /** The applicant appeals a rejection, with a reason (mandatory). */
  async appeal(
    em: EntityManager,
    caller: Caller,
    id: string,
    reason: string,
  ): Promise<Application> {
    const application = await this.forApplicant(em, caller, id);
    const text = reason.trim();
    if (!text || text.length > 2000) {
      new FieldErrors()
        .add(
          'reason',
          'Indicare il motivo (fino a 2.000 caratteri).',
          'Give a reason (up to 2,000 characters).',
        )
        .throwIfAny();
    }
    if (application.status !== 'REJECTED') throw notNow();
    transition(
      em,
      application,
      'APPEALED',
      'APPEALED',
      {
        caller,
        role: this.role(caller, application),
      },
      text,
    );
    await em.flush();
    return application;
  }

  /**
   * Stores an uploaded document (PDF, JPEG or PNG, recognised by content; at most the configured
   * size) for one of the campaign's required documents. Only while the application is a DRAFT or
   * NEEDS_INTEGRATION. In a draft a new file replaces the previous one with the same code.
   */
  async addDocument(
    em: EntityManager,
    caller: Caller,
    id: string,
    upload: { code: string; fileName: string; content: Buffer },
  ): Promise<ApplicationDocument> {
    const application = await this.forApplicant(em, caller, id);
    if (application.status !== 'DRAFT' && application.status !== 'NEEDS_INTEGRATION') {
      throw notNow();
    }
    const campaign = await em.findOneOrFail(Campaign, { id: application.campaignId });
    const errors = new FieldErrors();
    if (!campaign.requiredDocuments.some((d) => d.code === upload.code)) {
      errors.add('code', 'Documento non previsto dalla misura.', 'Not a document of this measure.');
    }
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
    errors.throwIfAny();
    const { createHash } = await import('node:crypto');
    return em.transactional(async (tx) => {
      if (application.status === 'DRAFT') {
        await tx.nativeDelete(ApplicationDocument, { applicationId: id, code: upload.code });
      }
      const document = tx.create(ApplicationDocument, {
        applicationId: id,
        comuneId: application.comuneId,
        code: upload.code,
        fileName,
        contentType: contentType!,
        sizeBytes: upload.content.length,
        sha256: createHash('sha256').update(upload.content).digest('hex'),
        content: upload.content,
        uploadedBy: (caller as PersonCaller).personId,
      });
      const current = await tx.findOneOrFail(Application, { id });
      recordCaseEvent(
        tx,
        current,
        'DOCUMENT_UPLOADED',
        {
          caller,
          role: this.role(caller, current),
        },
        { note: `${upload.code}: ${fileName}` },
      );
      await tx.flush();
      return document;
    });
  }

  /** The caller's own applications (by codice fiscale), newest first. */
  async mine(em: EntityManager, caller: Caller): Promise<Application[]> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (!caller.fiscalCode) return [];
    return em.find(
      Application,
      { applicantFiscalCodeHash: this.fiscalCodeHash(caller.fiscalCode) },
      { orderBy: { createdAt: 'desc', id: 'asc' } },
    );
  }

  /**
   * One application for its applicant or the Comune's staff (null otherwise, as when missing).
   * A read by staff writes READ_CASE to the audit log.
   */
  async get(em: EntityManager, caller: Caller, id: string): Promise<Application | null> {
    if (caller.kind !== 'person' || !isUuid(id)) return null;
    const application = await em.findOne(Application, { id });
    if (!application) return null;
    if (this.isApplicant(caller, application)) return application;
    if (!isComuneStaff(caller, application.comuneId)) return null;
    await this.audit.record(
      em,
      actorOf(caller),
      application.comuneId,
      'READ_CASE',
      `application:${application.id}`,
    );
    return application;
  }

  async documents(em: EntityManager, application: Application): Promise<ApplicationDocument[]> {
    return em.find(
      ApplicationDocument,
      { applicationId: application.id },
      { orderBy: { uploadedAt: 'asc', id: 'asc' } },
    );
  }

  async timeline(em: EntityManager, application: Application): Promise<CaseEvent[]> {
    return em.find(CaseEvent, { applicationId: application.id }, { orderBy: { id: 'asc' } });
  }

  /** The applicant's codice fiscale in clear (the row was already authorised). */
  applicantFiscalCode(application: Application): string {
    return this.pii.decrypt(application.applicantFiscalCodeCipher);
  }
}

function validateAnswers(input: ApplicationDraftInput, campaign: Campaign): ApplicationAnswers {
  const errors = new FieldErrors();
  if (!input.privacyNoticeAcknowledged) {
    errors.add(
      'privacyNoticeAcknowledged',
      'Per presentare la domanda dichiara di aver letto l’informativa sul trattamento dei dati.',
      'To apply, state that you have read the notice on the processing of your data.',
    );
  }
  const email = input.email?.trim() || null;
  if (email && !EMAIL.test(email)) errors.add('email', 'Email non valida.', 'Invalid email.');
  const phone = input.phone?.replace(/[\s-]/g, '') || null;
  if (phone && !PHONE.test(phone))
    errors.add(
      'phone',
      'Numero non valido (es. +393331234567).',
      'Invalid number (e.g. +393331234567).',
    );
  const notes = input.notes?.trim() || null;
  if (notes && [...notes].length > 2000)
    errors.add('notes', 'Al massimo 2.000 caratteri.', 'At most 2,000 characters.');
  const known = new Set(campaign.declarations.map((d) => d.code));
  if (input.acceptedDeclarations.some((c) => !known.has(c))) {
    errors.add(
      'acceptedDeclarations',
      'Dichiarazione non prevista dalla misura.',
      'Not a declaration of this measure.',
    );
  }
  errors.throwIfAny();
  return { email, phone, notes, acceptedDeclarations: [...new Set(input.acceptedDeclarations)] };
}

/**
 * Records the acknowledgement of the current privacy notice for citizens: who (the citizen, or
 * the operator applying for them) and when they first acknowledged this version. A draft saved
 * again under the same version keeps the first record; a newer version replaces it.
 */
function acknowledgePrivacyNotice(application: Application, person: PersonCaller): void {
  if (application.privacyNoticeVersion === CITIZEN_PRIVACY_NOTICE_VERSION) return;
  application.privacyNoticeVersion = CITIZEN_PRIVACY_NOTICE_VERSION;
  application.privacyNoticeAcknowledgedBy = person.personId;
  application.privacyNoticeAcknowledgedAt = new Date();
}

/** True when the campaign is PUBLISHED and now is within its application window. */
export function acceptingApplications(campaign: Campaign, now = Date.now()): boolean {
  return (
    campaign.status === 'PUBLISHED' &&
    campaign.applicationsOpenAt.getTime() <= now &&
    now < campaign.applicationsCloseAt.getTime()
  );
}

/**
 * True when `err` is PostgreSQL's unique violation of `constraint`, whether it came through the
 * ORM (UniqueConstraintViolationException) or straight from the driver (the kit's `sql`).
 */
function isUniqueViolation(err: unknown, constraint: string): boolean {
  if (err instanceof UniqueConstraintViolationException) {
    return String(err.message).includes(constraint);
  }
  const pgError = err as { code?: unknown; constraint?: unknown } | null;
  return pgError?.code === '23505' && pgError.constraint === constraint;
}

function addDays(date: Date, days: number): string {
  return new Date(date.getTime() + days * 86_400_000).toISOString().slice(0, 10);
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

function windowClosed(): DomainError {
  return new DomainError('CONFLICT', {
    it: 'La misura non accetta domande in questo momento.',
    en: 'The campaign is not accepting applications now.',
  });
}

function alreadyApplied(existing: Application): DomainError {
  return new DomainError('CONFLICT', {
    it: `Domanda già presentata per questa misura (protocollo ${existing.protocolNumber ?? ''}).`,
    en: `An application to this campaign was already submitted (protocol ${existing.protocolNumber ?? ''}).`,
  });
}

/** Every declaration the campaign asks for is accepted and every mandatory document attached. */
async function checkComplete(
  tx: EntityManager,
  application: Application,
  campaign: Campaign,
): Promise<void> {
  const errors = new FieldErrors();
  const mandatoryDeclarations = campaign.declarations.map((d) => d.code);
  const missingDeclarations = mandatoryDeclarations.filter(
    (c) => !application.answers.acceptedDeclarations.includes(c),
  );
  if (missingDeclarations.length > 0) {
    errors.add(
      'acceptedDeclarations',
      'Accettare tutte le dichiarazioni richieste.',
      'Accept every required declaration.',
    );
  }
  const mandatory = campaign.requiredDocuments.filter((d) => d.mandatory);
  const documents = mandatory.length
    ? await tx.find(
        ApplicationDocument,
        { applicationId: application.id },
        { fields: ['id', 'code'] },
      )
    : [];
  const missingDocs = mandatory.filter((d) => !documents.some((doc) => doc.code === d.code));
  for (const d of missingDocs) {
    errors.add(`documents.${d.code}`, `Allegare: ${d.labelIt}.`, `Attach: ${d.labelEn}.`);
  }
  errors.throwIfAny();
}

/** The automatic checks of a submission: the window, the campaign's rules, the household, the rest. */
function submissionChecks(campaign: Campaign, facts: HouseholdFacts | null): CheckResult[] {
  return [
    {
      code: 'WINDOW',
      passed: true,
      messageIt: 'Presentata entro i termini.',
      messageEn: 'Submitted within the window.',
    },
    ...evaluateRules(campaign.rules, facts),
    {
      code: 'ONE_PER_HOUSEHOLD',
      passed: true,
      messageIt: 'Unica domanda del nucleo per questa misura.',
      messageEn: 'The household’s only application to this measure.',
    },
    {
      code: 'DOCUMENTS',
      passed: true,
      messageIt: 'Documenti obbligatori allegati.',
      messageEn: 'Mandatory documents attached.',
    },
    {
      code: 'DECLARATIONS',
      passed: true,
      messageIt: 'Dichiarazioni accettate.',
      messageEn: 'Declarations accepted.',
    },
  ];
}
