import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller } from '@welfare/kit';
import { isComuneManager, isComuneStaff, isUuid, requireComuneManager } from '@welfare/kit/access';
import { AccreditationRequirement } from './accreditation-requirement.entity.js';
import {
  findAccreditingComuni,
  findChecklist,
  findRequirement,
  findRequirementsInUse,
} from './accreditation-requirement.repository.js';

export interface RequirementInput {
  comuneId: string;
  code: string;
  textIt: string;
  textEn: string;
  documentRequired: boolean;
  position?: number | null;
}

const CODE = /^[A-Z0-9_]{2,40}$/;

const notFound = () =>
  DomainError.notFound({ it: 'Requisito non trovato.', en: 'Requirement not found.' });

/**
 * A Comune's accreditation checklist. Its MANAGER adds items and edits them while no request has
 * answered them; an item in use is frozen (a provider's declaration keeps the text it answered)
 * and can only be retired, then replaced by a new item with a new code. The checklist is public:
 * providers read it before asking.
 */
export class AccreditationRequirementService {
  /** Active items of the Comune's checklist (retired ones too for its staff, when asked). */
  async list(
    em: EntityManager,
    caller: Caller,
    comuneId: string,
    includeRetired = false,
  ): Promise<AccreditationRequirement[]> {
    if (!isUuid(comuneId)) return [];
    const withRetired = includeRetired && isComuneStaff(caller, comuneId);
    return findChecklist(em, comuneId, withRetired);
  }

  /** The ids among `ids` that some request has answered (set-based). */
  async inUse(em: EntityManager, ids: readonly string[]): Promise<Set<string>> {
    return findRequirementsInUse(em, ids);
  }

  /** Comuni with at least one active checklist item: those accepting requests. */
  async accreditingComuni(em: EntityManager): Promise<string[]> {
    return findAccreditingComuni(em);
  }

  /**
   * Adds an item, or edits the item with the same code while no request has answered it
   * (CONFLICT once it is in use or retired). MANAGER of the Comune only.
   */
  async save(
    em: EntityManager,
    caller: Caller,
    input: RequirementInput,
  ): Promise<AccreditationRequirement> {
    requireComuneManager(caller, input.comuneId);
    const errors = new FieldErrors();
    const code = input.code.trim().toUpperCase();
    if (!CODE.test(code)) {
      errors.add(
        'code',
        'Da 2 a 40 caratteri: lettere maiuscole, cifre e trattino basso.',
        'From 2 to 40 characters: capital letters, digits and underscore.',
      );
    }
    const textIt = input.textIt.trim();
    const textEn = input.textEn.trim();
    if (textIt.length < 3 || textIt.length > 1000)
      errors.add('textIt', 'Da 3 a 1000 caratteri.', 'From 3 to 1000 characters.');
    if (textEn.length < 3 || textEn.length > 1000)
      errors.add('textEn', 'Da 3 a 1000 caratteri.', 'From 3 to 1000 characters.');
    const position = input.position ?? 0;
    if (!Number.isInteger(position) || position < 0 || position > 1000)
      errors.add('position', 'Un numero da 0 a 1000.', 'A number from 0 to 1000.');
    errors.throwIfAny();
    const existing = await findRequirement(em, { comuneId: input.comuneId, code });
    if (existing) {
      if (existing.retiredAt || (await this.inUse(em, [existing.id])).has(existing.id)) {
        throw DomainError.conflict({
          it: 'Il requisito è già stato usato in una richiesta: ritirarlo e aggiungerne uno nuovo con un altro codice.',
          en: 'The requirement has been used by a request: retire it and add a new one with another code.',
        });
      }
      existing.textIt = textIt;
      existing.textEn = textEn;
      existing.documentRequired = input.documentRequired;
      existing.position = position;
      await em.flush();
      return existing;
    }
    const row = em.create(AccreditationRequirement, {
      comuneId: input.comuneId,
      code,
      textIt,
      textEn,
      documentRequired: input.documentRequired,
      position,
    });
    await em.flush();
    return row;
  }

  /** Retires an item (new requests no longer answer it). Idempotent. MANAGER of its Comune. */
  async retire(em: EntityManager, caller: Caller, id: string): Promise<AccreditationRequirement> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    const row = isUuid(id) ? await findRequirement(em, { id }) : null;
    if (!row || !isComuneStaff(caller, row.comuneId)) throw notFound();
    if (!isComuneManager(caller, row.comuneId)) throw DomainError.forbidden();
    if (!row.retiredAt) {
      row.retiredAt = new Date();
      await em.flush();
    }
    return row;
  }
}
