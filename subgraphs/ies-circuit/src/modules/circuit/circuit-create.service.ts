import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller, PersonCaller } from '@welfare/kit';
import { actorOf, badId, isUuid, refuse, requirePerson } from '@welfare/kit/access';
import { DomainError, FieldErrors, type FieldError } from '@welfare/kit/errors';
import type { AuditService } from '../audit/audit.service.js';
import { openCircuitAccounts, openWallet } from '../ledger/ledger.js';
import { Member } from '../member/member.entity.js';
import {
  checkCircuitRules,
  type CircuitRules,
  type CircuitRulesData,
} from './circuit-rules.service.js';
import { Circuit } from './circuit.entity.js';
import type { CircuitRepository } from './circuit.repository.js';
import type { OrganisationDirectory } from './organisation-directory.js';

/** The audit action of a new circuit (added to `IesAuditAction`). */
export type CircuitCreateAuditAction = 'IES_CIRCUIT_CREATED';

/** A new circuit as it arrives: its manager Comune, code, name, territory and rules. */
export interface CreateCircuitData extends CircuitRulesData {
  managerId: string;
  code: string;
  name: string;
  territory: string;
}

/** The public code: lower-case letters and digits in words joined by hyphens (the table's check). */
const CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const CODE_MAX = 40;

const CODE_TAKEN: FieldError = {
  field: 'code',
  message: {
    it: 'Questo codice è già usato da un altro circuito.',
    en: 'This code is already used by another circuit.',
  },
};

/** A text of `min` to `max` characters once trimmed (spaces collapsed), or a field error. */
function text(errors: FieldErrors, field: string, value: string, min: number, max: number) {
  const trimmed = (value ?? '').trim().replace(/\s+/g, ' ');
  if (trimmed.length < min || trimmed.length > max) {
    errors.add(field, `Da ${min} a ${max} caratteri.`, `From ${min} to ${max} characters.`);
  }
  return trimmed;
}

/**
 * Creating a circuit: by the MANAGER (responsabile) of a Comune for its own Comune, or by a
 * platform admin for any Comune. The manager's kind and name come from identity's organisation
 * directory (the admin has no membership telling them); a manager's own membership must also say
 * COMUNE. One transaction writes the circuit, its book accounts, the Comune as its ACTIVE member
 * with a wallet, and the audit entry; a taken code (also by a concurrent create) is the field
 * error `code`, never a second circuit.
 */
export class CircuitCreateService {
  constructor(
    private readonly repository: CircuitRepository,
    private readonly directory: OrganisationDirectory,
    private readonly audit: AuditService,
  ) {}

  async create(em: EntityManager, caller: Caller, data: CreateCircuitData): Promise<Circuit> {
    const person = requirePerson(caller);
    if (!isUuid(data.managerId)) {
      throw badId('managerId', {
        it: 'Identificativo del Comune non valido.',
        en: 'Malformed Comune id.',
      });
    }
    this.requireCreator(person, data.managerId);
    const checked = this.check(data);
    const comune = await this.directory.organisation(data.managerId);
    if (!comune || comune.kind !== 'COMUNE') {
      throw DomainError.badInput([
        {
          field: 'managerId',
          message: {
            it: 'L’organizzazione scelta non è un Comune.',
            en: 'The organisation chosen is not a Comune.',
          },
        },
      ]);
    }
    if (await this.repository.byCode(em, checked.code)) throw DomainError.badInput([CODE_TAKEN]);
    try {
      return await em.transactional(async (tx) => {
        const circuit = tx.create(Circuit, {
          code: checked.code,
          name: checked.name,
          territory: checked.territory,
          managerId: data.managerId,
          ...checked.rules,
        });
        // The insert first: a concurrent create of the same code waits here on the unique index.
        await tx.flush();
        await openCircuitAccounts(tx, circuit.id);
        const member = tx.create(Member, {
          circuitId: circuit.id,
          kind: 'COMUNE',
          organisationId: data.managerId,
          displayName: comune.name.slice(0, 200),
          status: 'ACTIVE',
          decidedBy: person.personId,
          decidedAt: new Date(),
        });
        await tx.flush();
        await openWallet(tx, member);
        await this.audit.record(
          tx,
          actorOf(person),
          circuit.managerId,
          'IES_CIRCUIT_CREATED',
          `ies-circuit:${circuit.id}`,
        );
        return circuit;
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException && /circuit_code_key/.test(err.message))
        throw DomainError.badInput([CODE_TAKEN]);
      throw err;
    }
  }

  /**
   * The caller as MANAGER of that Comune (their membership says COMUNE) or a platform admin:
   * FORBIDDEN otherwise (a refusal of another tenant goes to the audit log's listener).
   */
  private requireCreator(person: PersonCaller, managerId: string): void {
    if (person.platformAdmin) return;
    const manages = person.memberships.some(
      (m) =>
        m.organisationId === managerId && m.organisationKind === 'COMUNE' && m.role === 'MANAGER',
    );
    if (!manages) throw refuse(person, managerId, 'comune');
  }

  /** Every field at once: the code, name and territory here, the rules by the rules editor's check. */
  private check(data: CreateCircuitData): {
    code: string;
    name: string;
    territory: string;
    rules: CircuitRules;
  } {
    const errors = new FieldErrors();
    const code = (data.code ?? '').trim();
    if (!CODE.test(code) || code.length > CODE_MAX) {
      errors.add(
        'code',
        `Da 1 a ${CODE_MAX} lettere minuscole o cifre, in parole unite da un trattino (es. “partinico-trappeto”).`,
        `1 to ${CODE_MAX} lower-case letters or digits, words joined by a hyphen (e.g. “partinico-trappeto”).`,
      );
    }
    const name = text(errors, 'name', data.name, 3, 120);
    const territory = text(errors, 'territory', data.territory, 2, 200);
    let rules: CircuitRules | null = null;
    let ruleErrors: FieldError[] = [];
    try {
      rules = checkCircuitRules(data);
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'BAD_USER_INPUT') throw err;
      ruleErrors = err.fields;
    }
    for (const e of ruleErrors) errors.add(e.field, e.message.it, e.message.en);
    errors.throwIfAny();
    return { code, name, territory, rules: rules! };
  }
}
