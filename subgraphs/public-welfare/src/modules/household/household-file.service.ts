import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller } from '@welfare/kit';
import { actorOf, isUuid, requireComuneStaff } from '@welfare/kit/access';
import { isValidPersonalFiscalCode, normaliseFiscalCode, type PiiCipher } from '@welfare/kit/pii';
import { createHash } from 'node:crypto';
import { Application } from '../application/application.entity.js';
import { sniffDocumentType } from '../application/application.service.js';
import type { AuditService } from '../audit/audit.service.js';
import { Card } from '../card/card.entity.js';
import type { CampaignBalance, CreditService } from '../credit/credit.service.js';
import { FISCAL_CODE_PURPOSE } from '../imports/csv-columns.js';
import { IncomeDeclaration } from '../income/income-declaration.entity.js';
import type { MessageQueryService, MessageView } from '../messages/message-query.service.js';
import { Payment } from '../payment/payment.entity.js';
import { HouseholdAttachment } from './household-attachment.entity.js';
import { HouseholdNote } from './household-note.entity.js';
import { Household } from './household.entity.js';
import {
  incomeHistoryIds,
  lookupHouseholdIds,
  memberHashes,
  type HouseholdLookup,
} from './household.repository.js';

/** The most households a registry search answers (the portal asks to narrow it down beyond). */
export const HOUSEHOLD_SEARCH_LIMIT = 50;
/** The most payments and messages a household file lists (newest first). */
export const HOUSEHOLD_FILE_LIST_LIMIT = 100;
/** The longest note (characters, after trimming). */
export const HOUSEHOLD_NOTE_MAX_LENGTH = 4000;
/** The longest attachment description (characters, after trimming). */
export const HOUSEHOLD_ATTACHMENT_DESCRIPTION_MAX_LENGTH = 500;
/** The shortest family name prefix searched (shorter ones match too much of a registry). */
export const FAMILY_NAME_MIN_LENGTH = 2;

/** A registry search as staff type it: every given criterion must hold. */
export interface HouseholdSearchData {
  fiscalCode?: string | null;
  familyName?: string | null;
  code?: string | null;
}

/**
 * The household file (cartella sociale) of a Comune's staff: the registry search by codice
 * fiscale, family name or registry code, and what the Comune knows of one household across
 * measures (income history, applications, cards and their credit, payments, messages, social
 * workers' notes and attachments). Every part checks that the caller is staff of the household's
 * Comune; reads of income (READ_INCOME), of notes (READ_HOUSEHOLD_NOTES) and of an attachment's
 * content (READ_HOUSEHOLD_ATTACHMENT) are written to the audit log.
 */
export class HouseholdFileService {
  constructor(
    private readonly pii: PiiCipher,
    private readonly audit: AuditService,
    private readonly credit: CreditService,
    private readonly messageQueries: MessageQueryService,
    private readonly maxAttachmentBytes: number,
  ) {}

  /**
   * The Comune's households matching every given criterion, by registry code (at most
   * `HOUSEHOLD_SEARCH_LIMIT`). BAD_USER_INPUT with field errors (`search.fiscalCode`…) for no
   * criterion, an invalid codice fiscale, a family name under 2 characters, a code over 50.
   */
  async search(
    em: EntityManager,
    caller: Caller,
    comuneId: string,
    search: HouseholdSearchData,
  ): Promise<Household[]> {
    requireComuneStaff(caller, comuneId);
    const lookup = this.lookupOf(search);
    const ids = await lookupHouseholdIds(em, comuneId, lookup, HOUSEHOLD_SEARCH_LIMIT);
    if (ids.length === 0) return [];
    const found = await em.find(Household, { id: { $in: ids } });
    const byId = new Map(found.map((h) => [h.id, h]));
    return ids.map((id) => byId.get(id)).filter((h): h is Household => h !== undefined);
  }

  /** Every ISEE declaration of any member, newest validity first; writes READ_INCOME. */
  async incomeHistory(
    em: EntityManager,
    caller: Caller,
    household: Household,
  ): Promise<IncomeDeclaration[]> {
    requireComuneStaff(caller, household.comuneId);
    const ids = await incomeHistoryIds(em, household.id);
    await this.audit.record(
      em,
      actorOf(caller),
      household.comuneId,
      'READ_INCOME',
      `household:${household.id}`,
    );
    return inOrder(ids, await em.find(IncomeDeclaration, { id: { $in: ids } }));
  }

  /**
   * The household's submitted applications to any of the Comune's measures (drafts are the
   * citizen's own and not shown), newest first: those linked to the household at submission and
   * those of its members.
   */
  async applications(
    em: EntityManager,
    caller: Caller,
    household: Household,
  ): Promise<Application[]> {
    requireComuneStaff(caller, household.comuneId);
    const hashes = await memberHashes(em, household.id);
    return em.find(
      Application,
      {
        comuneId: household.comuneId,
        status: { $ne: 'DRAFT' },
        $or: [{ householdId: household.id }, { applicantFiscalCodeHash: { $in: hashes } }],
      },
      { orderBy: { submittedAt: 'desc', createdAt: 'desc', id: 'asc' } },
    );
  }

  /** The Comune's cards held by members of the household (replaced ones too), newest first. */
  async cards(em: EntityManager, caller: Caller, household: Household): Promise<Card[]> {
    requireComuneStaff(caller, household.comuneId);
    const hashes = await memberHashes(em, household.id);
    if (hashes.length === 0) return [];
    return em.find(
      Card,
      { comuneId: household.comuneId, holderFiscalCodeHash: { $in: hashes } },
      { orderBy: { createdAt: 'desc', id: 'asc' } },
    );
  }

  /** The credit of the household's cards that are not replaced, per card and campaign. */
  async balances(
    em: EntityManager,
    caller: Caller,
    household: Household,
  ): Promise<CampaignBalance[]> {
    const cards = await this.cards(em, caller, household);
    const out: CampaignBalance[] = [];
    for (const card of cards.filter((c) => c.status !== 'REPLACED')) {
      out.push(...(await this.credit.balancesOf(em, card.id)));
    }
    return out;
  }

  /** Payments at shops with the household's cards, newest first (at most 100). */
  async payments(em: EntityManager, caller: Caller, household: Household): Promise<Payment[]> {
    const cards = await this.cards(em, caller, household);
    if (cards.length === 0) return [];
    return em.find(
      Payment,
      { comuneId: household.comuneId, cardId: { $in: cards.map((c) => c.id) } },
      { orderBy: { createdAt: 'desc', id: 'asc' }, limit: HOUSEHOLD_FILE_LIST_LIMIT },
    );
  }

  /**
   * The Comune's messages about the household, newest first (at most 100): those of its
   * applications and those to its members' personal area.
   */
  async messages(em: EntityManager, caller: Caller, household: Household): Promise<MessageView[]> {
    const applications = await this.applications(em, caller, household);
    const hashes = await memberHashes(em, household.id);
    return this.messageQueries.forHousehold(
      em,
      household.comuneId,
      applications.map((a) => a.id),
      hashes,
      HOUSEHOLD_FILE_LIST_LIMIT,
    );
  }

  /** The social workers' notes on the household, newest first; writes READ_HOUSEHOLD_NOTES. */
  async notes(em: EntityManager, caller: Caller, household: Household): Promise<HouseholdNote[]> {
    requireComuneStaff(caller, household.comuneId);
    const notes = await em.find(
      HouseholdNote,
      { householdId: household.id },
      { orderBy: { createdAt: 'desc', id: 'asc' } },
    );
    await this.audit.record(
      em,
      actorOf(caller),
      household.comuneId,
      'READ_HOUSEHOLD_NOTES',
      `household:${household.id}`,
    );
    return notes;
  }

  /**
   * Adds a note to a household: staff of its Comune (FORBIDDEN otherwise, NOT_FOUND for no such
   * household); BAD_USER_INPUT (field `note`) for an empty or longer than 4,000 characters text,
   * nothing written. The note and its ADD_HOUSEHOLD_NOTE audit row are written together.
   */
  async addNote(
    em: EntityManager,
    caller: Caller,
    input: { householdId: string; note: string },
  ): Promise<HouseholdNote> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    const household = isUuid(input.householdId)
      ? await em.findOne(Household, { id: input.householdId })
      : null;
    if (!household) {
      throw DomainError.notFound({
        it: 'Nucleo familiare non trovato.',
        en: 'Household not found.',
      });
    }
    const person = requireComuneStaff(caller, household.comuneId);
    const text = input.note.normalize('NFC').trim();
    const errors = new FieldErrors();
    if (text.length === 0) errors.add('note', 'Scrivi la nota.', 'Write the note.');
    else if (text.length > HOUSEHOLD_NOTE_MAX_LENGTH) {
      errors.add(
        'note',
        `Al massimo ${HOUSEHOLD_NOTE_MAX_LENGTH.toLocaleString('it-IT')} caratteri.`,
        `At most ${HOUSEHOLD_NOTE_MAX_LENGTH.toLocaleString('en-GB')} characters.`,
      );
    }
    errors.throwIfAny();
    return em.transactional(async (tx) => {
      const note = tx.create(HouseholdNote, {
        comuneId: household.comuneId,
        householdId: household.id,
        authorId: person.personId,
        text,
      });
      await tx.flush();
      await this.audit.record(
        tx,
        actorOf(caller),
        household.comuneId,
        'ADD_HOUSEHOLD_NOTE',
        `household:${household.id}`,
      );
      return note;
    });
  }

  /**
   * The files attached to the household, newest first (what they are, not their content: the
   * list is not audited, each download is).
   */
  async attachments(
    em: EntityManager,
    caller: Caller,
    household: Household,
  ): Promise<HouseholdAttachment[]> {
    requireComuneStaff(caller, household.comuneId);
    return em.find(
      HouseholdAttachment,
      { householdId: household.id },
      { orderBy: { createdAt: 'desc', id: 'asc' } },
    );
  }

  /**
   * Attaches a file to a household: staff of its Comune (FORBIDDEN otherwise, NOT_FOUND for no
   * such household). BAD_USER_INPUT with field errors (`description`: 1 to 500 characters;
   * `file`: a name, not empty, at most the configured size, PDF/JPEG/PNG by its first bytes),
   * nothing written. The file and its ADD_HOUSEHOLD_ATTACHMENT audit row are written together.
   */
  async addAttachment(
    em: EntityManager,
    caller: Caller,
    householdId: string,
    upload: { description: string; fileName: string; content: Buffer },
  ): Promise<HouseholdAttachment> {
    const household = await this.staffHousehold(em, caller, householdId);
    const person = requireComuneStaff(caller, household.comuneId);
    const errors = new FieldErrors();
    const description = upload.description.normalize('NFC').trim().replace(/\s+/g, ' ');
    if (!description) {
      errors.add('description', 'Descrivi il documento.', 'Describe the document.');
    } else if (description.length > HOUSEHOLD_ATTACHMENT_DESCRIPTION_MAX_LENGTH) {
      errors.add('description', 'Al massimo 500 caratteri.', 'At most 500 characters.');
    }
    const fileName = upload.fileName.normalize('NFC').trim().slice(0, 200);
    const contentType = sniffDocumentType(upload.content);
    if (!fileName) errors.add('file', 'Indicare il nome del file.', 'The file needs a name.');
    else if (upload.content.length === 0) {
      errors.add('file', 'Il file è vuoto.', 'The file is empty.');
    } else if (upload.content.length > this.maxAttachmentBytes) {
      const mb = Math.floor(this.maxAttachmentBytes / 1_048_576);
      errors.add('file', `Il file supera ${mb} MB.`, `The file is over ${mb} MB.`);
    } else if (!contentType) {
      errors.add('file', 'Sono ammessi solo PDF, JPEG o PNG.', 'Only PDF, JPEG or PNG files.');
    }
    errors.throwIfAny();
    return em.transactional(async (tx) => {
      const attachment = tx.create(HouseholdAttachment, {
        comuneId: household.comuneId,
        householdId: household.id,
        description,
        fileName,
        contentType: contentType!,
        sizeBytes: upload.content.length,
        sha256: createHash('sha256').update(upload.content).digest('hex'),
        content: upload.content,
        uploadedBy: person.personId,
      });
      await tx.flush();
      await this.audit.record(
        tx,
        actorOf(caller),
        household.comuneId,
        'ADD_HOUSEHOLD_ATTACHMENT',
        `household-attachment:${attachment.id}`,
      );
      return attachment;
    });
  }

  /**
   * An attachment with its content, for staff of its Comune: NOT_FOUND for no such attachment,
   * FORBIDDEN for anyone else. Writes READ_HOUSEHOLD_ATTACHMENT.
   */
  async attachmentContent(
    em: EntityManager,
    caller: Caller,
    attachmentId: string,
  ): Promise<HouseholdAttachment> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    const attachment = isUuid(attachmentId)
      ? await em.findOne(HouseholdAttachment, { id: attachmentId }, { populate: ['content'] })
      : null;
    if (!attachment) {
      throw DomainError.notFound({ it: 'Allegato non trovato.', en: 'Attachment not found.' });
    }
    requireComuneStaff(caller, attachment.comuneId);
    await this.audit.record(
      em,
      actorOf(caller),
      attachment.comuneId,
      'READ_HOUSEHOLD_ATTACHMENT',
      `household-attachment:${attachment.id}`,
    );
    return attachment;
  }

  /** The household, for staff of its Comune (UNAUTHENTICATED, NOT_FOUND, FORBIDDEN otherwise). */
  private async staffHousehold(
    em: EntityManager,
    caller: Caller,
    householdId: string,
  ): Promise<Household> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    const household = isUuid(householdId) ? await em.findOne(Household, { id: householdId }) : null;
    if (!household) {
      throw DomainError.notFound({
        it: 'Nucleo familiare non trovato.',
        en: 'Household not found.',
      });
    }
    requireComuneStaff(caller, household.comuneId);
    return household;
  }

  /** The search's criteria checked and normalised, or BAD_USER_INPUT with field errors. */
  private lookupOf(search: HouseholdSearchData): HouseholdLookup {
    const errors = new FieldErrors();
    const lookup: HouseholdLookup = {};
    const fiscalCode = search.fiscalCode?.trim() ?? '';
    const familyName = search.familyName?.normalize('NFC').trim().replace(/\s+/g, ' ') ?? '';
    const code = search.code?.trim() ?? '';
    if (!fiscalCode && !familyName && !code) {
      errors.add(
        'search',
        'Indica il codice fiscale, il cognome o il codice famiglia.',
        'Give the codice fiscale, the family name or the household code.',
      );
    }
    if (fiscalCode) {
      const normalised = normaliseFiscalCode(fiscalCode);
      if (!isValidPersonalFiscalCode(normalised)) {
        errors.add('search.fiscalCode', 'Codice fiscale non valido.', 'Invalid codice fiscale.');
      } else {
        lookup.fiscalCodeHash = this.pii.lookupHash(FISCAL_CODE_PURPOSE, normalised);
      }
    }
    if (familyName) {
      // Apostrophes fold away (`NICOLO'` is `Nicolò`): they do not count towards the minimum.
      const letters = familyName.replace(/['\u2019`\u00b4]/g, '').length;
      if (letters < FAMILY_NAME_MIN_LENGTH || familyName.length > 100) {
        errors.add('search.familyName', 'Da 2 a 100 caratteri.', 'From 2 to 100 characters.');
      } else lookup.familyNamePrefix = familyName;
    }
    if (code) {
      if (code.length > 50) {
        errors.add('search.code', 'Al massimo 50 caratteri.', 'At most 50 characters.');
      } else lookup.code = code;
    }
    errors.throwIfAny();
    return lookup;
  }
}

/** The entities in the order of `ids`. */
function inOrder<T extends { id: string }>(ids: string[], found: T[]): T[] {
  const byId = new Map(found.map((x) => [x.id, x]));
  return ids.map((id) => byId.get(id)).filter((x): x is T => x !== undefined);
}
