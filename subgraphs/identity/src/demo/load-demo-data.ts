import type { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword, verifyPassword } from '../modules/auth/password.js';
import { Membership } from '../modules/membership/membership.entity.js';
import { Organisation } from '../modules/organisation/organisation.entity.js';
import { Person } from '../modules/person/person.entity.js';
import type { PersonService } from '../modules/person/person.service.js';
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS } from './accounts.js';

/**
 * Loads the demo organisations, people and memberships, idempotently: each row is found by its
 * natural key (tax code, email, codice fiscale, person + organisation + role) and created only
 * when missing, so running it twice changes nothing. One transaction.
 */
export async function loadDemoData(em: EntityManager, persons: PersonService): Promise<void> {
  const passwordHashes = new Map<string, string>();
  await em.transactional(async (tx) => {
    const organisations = new Map<string, Organisation>();
    for (const demo of Object.values(DEMO_ORGANISATIONS)) {
      let organisation = await tx.findOne(Organisation, { taxCode: demo.taxCode });
      if (!organisation) {
        organisation = tx.create(Organisation, { ...demo });
      }
      organisations.set(demo.id, organisation);
    }

    for (const account of DEMO_ACCOUNTS) {
      let person = account.email
        ? await tx.findOne(Person, { email: account.email })
        : await persons.findByFiscalCode(tx, account.fiscalCode!);
      if (!person) {
        person = tx.create(Person, {
          id: account.personId,
          givenName: account.givenName,
          familyName: account.familyName,
          email: account.email ?? null,
          platformAdmin: account.kind === 'admin',
        });
        if (account.fiscalCode) persons.setFiscalCode(person, account.fiscalCode);
      }
      if (account.kind === 'admin') person.platformAdmin = true;
      if (account.password) {
        const keep =
          person.passwordHash && (await verifyPassword(person.passwordHash, account.password));
        if (!keep) {
          const hash =
            passwordHashes.get(account.password) ?? (await hashPassword(account.password));
          passwordHashes.set(account.password, hash);
          person.passwordHash = hash;
        }
      }
      if (account.organisationId && account.role) {
        const organisation = organisations.get(account.organisationId)!;
        const membership = await tx.findOne(Membership, {
          person,
          organisation,
          role: account.role,
        });
        if (!membership) {
          tx.create(Membership, {
            person,
            organisation,
            role: account.role,
            status: 'ACTIVE',
            activatedAt: new Date(),
          });
        } else if (membership.status !== 'ACTIVE') {
          membership.status = 'ACTIVE';
          membership.activatedAt = new Date();
        }
      }
    }
  });
}
