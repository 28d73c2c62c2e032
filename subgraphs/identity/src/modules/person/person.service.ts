import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '@welfare/kit';
import type { PiiCipher } from '@welfare/kit/pii';
import { isUuid } from '@welfare/kit/access';
import { Membership } from '../membership/membership.entity.js';
import { Person } from './person.entity.js';
import { batchedById } from '../../lib/request-loader.js';

/**
 * People: lookups, the codice fiscale at rest, and who may read what.
 * - fiscalCode and memberships: the person and platform admins.
 * - email and phone: the person, platform admins, and members of an organisation the person
 *   belongs to (colleagues).
 * - names: anyone who reaches the person.
 */
export class PersonService {
  /** People the current request may read as themselves (the person of a session just opened). */
  private readonly selfViews = new WeakSet<Person>();

  constructor(private readonly pii: PiiCipher) {}

  fiscalCodeHash(fiscalCode: string): string {
    return this.pii.lookupHash('cf', fiscalCode);
  }

  /** Sets the codice fiscale (already validated and upper-cased). */
  setFiscalCode(person: Person, fiscalCode: string): void {
    person.fiscalCodeHash = this.fiscalCodeHash(fiscalCode);
    person.fiscalCodeCipher = this.pii.encrypt(fiscalCode);
  }

  async findById(em: EntityManager, id: string): Promise<Person | null> {
    if (!isUuid(id)) return null;
    return em.findOne(Person, { id });
  }

  /** As `findById`, batched with the request's other references (one query per list). */
  readonly findReference = batchedById<Person>(async (em, ids) => {
    const valid = ids.filter((id) => isUuid(id));
    const rows = valid.length ? await em.find(Person, { id: { $in: valid } }) : [];
    return new Map(rows.map((row) => [row.id, row]));
  });

  async findByFiscalCode(em: EntityManager, fiscalCode: string): Promise<Person | null> {
    return em.findOne(Person, { fiscalCodeHash: this.fiscalCodeHash(fiscalCode) });
  }

  /** Lets the rest of this request read `person` as the person themselves (after a login). */
  grantSelfView(person: Person): void {
    this.selfViews.add(person);
  }

  private isSelfOrAdmin(caller: Caller, person: Person): boolean {
    if (this.selfViews.has(person)) return true;
    return caller.kind === 'person' && (caller.personId === person.id || caller.platformAdmin);
  }

  /** The codice fiscale in clear, for the person and platform admins; null otherwise. */
  visibleFiscalCode(caller: Caller, person: Person): string | null {
    if (!this.isSelfOrAdmin(caller, person) || !person.fiscalCodeCipher) return null;
    return this.pii.decrypt(person.fiscalCodeCipher);
  }

  /** The person's memberships (every status), for the person and platform admins; [] otherwise. */
  async visibleMemberships(
    em: EntityManager,
    caller: Caller,
    person: Person,
  ): Promise<Membership[]> {
    if (!this.isSelfOrAdmin(caller, person)) return [];
    return em.find(Membership, { person }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  /** True when the caller may read the person's email and phone. */
  async canSeeContact(em: EntityManager, caller: Caller, person: Person): Promise<boolean> {
    if (this.isSelfOrAdmin(caller, person)) return true;
    if (caller.kind !== 'person' || caller.memberships.length === 0) return false;
    const shared = await em.count(Membership, {
      person,
      organisation: { $in: caller.memberships.map((m) => m.organisationId) },
    });
    return shared > 0;
  }
}
