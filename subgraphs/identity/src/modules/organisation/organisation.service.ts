import type { EntityManager } from '@mikro-orm/postgresql';
import {
  DomainError,
  FieldErrors,
  hasRoleIn,
  type Caller,
  type OrganisationKind,
} from '@welfare/kit';
import {
  checkEmail,
  checkIban,
  checkName,
  checkOrganisationTaxCode,
  optional,
} from '../../lib/validation.js';
import { actorOf, requirePlatformAdmin, isUuid } from '@welfare/kit/access';
import type { AuditService } from '../audit/audit.service.js';
import { Membership } from '../membership/membership.entity.js';
import { Organisation } from './organisation.entity.js';
import { batchedById } from '../../lib/request-loader.js';

export interface CreateOrganisationData {
  kind: OrganisationKind;
  name: string;
  taxCode: string;
  iban?: string | null;
  email?: string | null;
  city?: string | null;
}

/**
 * Organisations. Anyone may read an organisation's public details; the IBAN and the members
 * only its members (any role, ACTIVE) and platform admins.
 */
export class OrganisationService {
  constructor(private readonly audit: AuditService) {}

  /** Platform admins only. Validates every field; writes nothing on bad input. */
  async create(
    em: EntityManager,
    caller: Caller,
    data: CreateOrganisationData,
  ): Promise<Organisation> {
    requirePlatformAdmin(caller);
    const errors = new FieldErrors();
    const name = checkName(errors, 'name', data.name, 200);
    const taxCode = checkOrganisationTaxCode(errors, 'taxCode', data.taxCode);
    const ibanText = optional(data.iban);
    const iban = ibanText === undefined ? null : checkIban(errors, 'iban', ibanText);
    const emailText = optional(data.email);
    const email = emailText === undefined ? null : checkEmail(errors, 'email', emailText);
    const cityText = optional(data.city);
    const city = cityText === undefined ? null : checkName(errors, 'city', cityText, 100);
    errors.throwIfAny();

    if (await em.count(Organisation, { taxCode: taxCode! })) {
      throw DomainError.conflict({
        it: 'Esiste già un’organizzazione con questa partita IVA o codice fiscale.',
        en: 'An organisation with this tax code already exists.',
      });
    }
    const organisation = em.create(Organisation, {
      kind: data.kind,
      name: name!,
      taxCode: taxCode!,
      iban: iban ?? null,
      email: email ?? null,
      city: city ?? null,
    });
    await em.transactional(async (tx) => {
      tx.persist(organisation);
      await tx.flush();
      await this.audit.record(
        tx,
        actorOf(caller),
        organisation.id,
        'CREATE_ORGANISATION',
        `organisation:${organisation.id}`,
      );
    });
    return organisation;
  }

  async findById(em: EntityManager, id: string): Promise<Organisation | null> {
    if (!isUuid(id)) return null;
    return em.findOne(Organisation, { id });
  }

  /** As `findById`, batched with the request's other references (one query per list). */
  readonly findReference = batchedById<Organisation>(async (em, ids) => {
    const valid = ids.filter((id) => isUuid(id));
    const rows = valid.length ? await em.find(Organisation, { id: { $in: valid } }) : [];
    return new Map(rows.map((row) => [row.id, row]));
  });

  /** All organisations for platform admins; the caller's own (ACTIVE memberships) for others. */
  async list(em: EntityManager, caller: Caller): Promise<Organisation[]> {
    if (caller.kind !== 'person') return [];
    if (caller.platformAdmin)
      return em.find(Organisation, {}, { orderBy: { name: 'asc', id: 'asc' } });
    const ids = [...new Set(caller.memberships.map((m) => m.organisationId))];
    if (ids.length === 0) return [];
    return em.find(Organisation, { id: { $in: ids } }, { orderBy: { name: 'asc', id: 'asc' } });
  }

  /** True for the organisation's members (any role) and platform admins. */
  isInsider(caller: Caller, organisation: Organisation): boolean {
    return hasRoleIn(caller, organisation.id);
  }

  /** Members of the organisation (every status) for insiders; an empty list for anyone else. */
  async members(
    em: EntityManager,
    caller: Caller,
    organisation: Organisation,
  ): Promise<Membership[]> {
    if (!this.isInsider(caller, organisation)) return [];
    return em.find(
      Membership,
      { organisation },
      {
        populate: ['person'],
        orderBy: { person: { familyName: 'asc', givenName: 'asc' }, role: 'asc' },
      },
    );
  }

  /** The IBAN for insiders; null for anyone else. */
  visibleIban(caller: Caller, organisation: Organisation): string | null {
    return this.isInsider(caller, organisation) ? organisation.iban : null;
  }

  /**
   * The payees of a Comune's reimbursement batch (the reimbursement contract, called by
   * public-welfare only): each known organisation's name and IBAN (null when it has none, so that
   * its line is held back); unknown ids are left out. No caller check here: the internal route
   * admits the public-welfare service only.
   */
  async payees(
    em: EntityManager,
    organisationIds: readonly string[],
  ): Promise<{ organisationId: string; name: string; iban: string | null }[]> {
    const found = await em.find(
      Organisation,
      { id: { $in: [...new Set(organisationIds.map((id) => id.toLowerCase()))] } },
      { orderBy: { id: 'asc' } },
    );
    return found.map((o) => ({ organisationId: o.id, name: o.name, iban: o.iban }));
  }
}
