import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, ROLES_BY_KIND, type Caller, type Role } from '@welfare/kit';
import { newOpaqueToken, sha256Hex } from '@welfare/kit/pii';
import {
  PASSWORD_MAX,
  checkEmail,
  checkName,
  checkNewPassword,
  checkPersonalFiscalCode,
  checkPhone,
  optional,
} from '../../lib/validation.js';
import type { AuthService } from '../auth/auth.service.js';
import { WRONG_CREDENTIALS } from '../auth/auth.service.js';
import type { LoginThrottleService } from '../auth/login-throttle.js';
import { hashPassword, verifyPassword } from '../auth/password.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { Person } from '../person/person.entity.js';
import type { PersonService } from '../person/person.service.js';
import { actorOf, isUuid, refuse, requirePerson } from '@welfare/kit/access';
import type { AuditService } from '../audit/audit.service.js';
import { MANAGING_ROLE } from '../shared/enums.js';
import type { SessionResult } from '../session/session.type.js';
import { Invitation } from './invitation.entity.js';
import { Membership } from './membership.entity.js';

/** How long an invitation works. */
export const INVITATION_TTL_DAYS = 7;

export interface InviteMemberData {
  organisationId: string;
  email: string;
  givenName: string;
  familyName: string;
  fiscalCode?: string | null;
  phone?: string | null;
  role: Role;
}

export interface InvitationResult {
  membership: Membership;
  token: string;
  expiresAt: Date;
}

export interface AcceptInvitationData {
  token: string;
  password: string;
}

const INVALID_INVITATION = {
  it: 'Invito non valido, già usato o scaduto.',
  en: 'Invalid, used or expired invitation.',
};

/**
 * Memberships: invitations and their acceptance. The platform admin, or a member holding the
 * organisation's managing role (COMUNE: MANAGER; COOPERATIVE/ASSOCIATION: ADMIN; EMPLOYER: HR;
 * MERCHANT: OWNER), may invite.
 */
export class MembershipService {
  constructor(
    private readonly persons: PersonService,
    private readonly auth: AuthService,
    private readonly throttle: LoginThrottleService,
    private readonly audit: AuditService,
  ) {}

  /** True when the caller may invite into `organisationId`. */
  canManage(caller: Caller, organisationId: string): boolean {
    if (caller.kind !== 'person') return false;
    if (caller.platformAdmin) return true;
    return caller.memberships.some(
      (m) => m.organisationId === organisationId && m.role === MANAGING_ROLE[m.organisationKind],
    );
  }

  /**
   * Invites a person (created when the email is new, without a password) into an organisation:
   * an INVITED membership and a one-time token (only its hash is kept; 7 days). Re-inviting a
   * pending member issues a new token and retires the old ones.
   */
  async invite(
    em: EntityManager,
    caller: Caller,
    data: InviteMemberData,
  ): Promise<InvitationResult> {
    const actor = requirePerson(caller);
    if (!this.canManage(actor, data.organisationId)) {
      throw refuse(actor, data.organisationId, 'organisation');
    }

    const errors = new FieldErrors();
    const email = checkEmail(errors, 'email', data.email);
    const givenName = checkName(errors, 'givenName', data.givenName);
    const familyName = checkName(errors, 'familyName', data.familyName);
    const fiscalCodeText = optional(data.fiscalCode);
    const fiscalCode =
      fiscalCodeText === undefined
        ? undefined
        : checkPersonalFiscalCode(errors, 'fiscalCode', fiscalCodeText);
    const phoneText = optional(data.phone);
    const phone = phoneText === undefined ? undefined : checkPhone(errors, 'phone', phoneText);
    const organisation = isUuid(data.organisationId)
      ? await em.findOne(Organisation, { id: data.organisationId })
      : null;
    if (!organisation) throw DomainError.notFound();
    if (!ROLES_BY_KIND[organisation.kind].includes(data.role)) {
      errors.add(
        'role',
        `Ruolo non previsto per questo tipo di organizzazione (ammessi: ${ROLES_BY_KIND[organisation.kind].join(', ')}).`,
        `Role not available for this kind of organisation (allowed: ${ROLES_BY_KIND[organisation.kind].join(', ')}).`,
      );
    }
    errors.throwIfAny();

    const token = newOpaqueToken();
    const expiresAt = new Date(Date.now() + INVITATION_TTL_DAYS * 86_400_000);
    try {
      const membership = await em.transactional(async (tx) => {
        const person = await this.findOrCreateInvitee(tx, {
          email: email!,
          givenName: givenName!,
          familyName: familyName!,
          fiscalCode,
          phone,
        });
        const org = tx.getReference(Organisation, organisation.id);
        let member = await tx.findOne(Membership, { person, organisation: org, role: data.role });
        if (member?.status === 'ACTIVE') {
          throw DomainError.conflict({
            it: 'La persona ha già questo ruolo nell’organizzazione.',
            en: 'The person already holds this role in the organisation.',
          });
        }
        if (member) {
          await tx.nativeUpdate(
            Invitation,
            { membership: member, usedAt: null },
            { expiresAt: new Date() },
          );
        } else {
          member = tx.create(Membership, {
            person,
            organisation: org,
            role: data.role,
            status: 'INVITED',
          });
        }
        tx.create(Invitation, {
          tokenHash: sha256Hex(token),
          membership: member,
          invitedBy: tx.getReference(Person, actor.personId),
          expiresAt,
        });
        await tx.flush();
        await this.audit.record(
          tx,
          actorOf(actor),
          organisation.id,
          'INVITE_MEMBER',
          `membership:${member.id}:${data.role}`,
        );
        return member;
      });
      return { membership, token, expiresAt };
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) {
        throw DomainError.conflict({
          it: 'Un’altra operazione ha appena modificato questi dati: riprova.',
          en: 'Another operation has just changed this data: try again.',
        });
      }
      throw err;
    }
  }

  /**
   * The person with this email, or a new one. A codice fiscale that belongs to someone else (or
   * differs from the person's) is a CONFLICT: an inviter can never take over an existing account.
   */
  private async findOrCreateInvitee(
    tx: EntityManager,
    data: {
      email: string;
      givenName: string;
      familyName: string;
      fiscalCode?: string;
      phone?: string;
    },
  ): Promise<Person> {
    const conflict = DomainError.conflict({
      it: 'Il codice fiscale appartiene a un’altra persona registrata.',
      en: 'The codice fiscale belongs to another registered person.',
    });
    let person = await tx.findOne(Person, { email: data.email });
    if (data.fiscalCode) {
      const hash = this.persons.fiscalCodeHash(data.fiscalCode);
      if (person?.fiscalCodeHash && person.fiscalCodeHash !== hash) throw conflict;
      const owner = await tx.findOne(Person, { fiscalCodeHash: hash });
      if (owner && owner.id !== person?.id) throw conflict;
    }
    if (!person) {
      person = tx.create(Person, {
        givenName: data.givenName,
        familyName: data.familyName,
        email: data.email,
        phone: data.phone ?? null,
      });
      if (data.fiscalCode) this.persons.setFiscalCode(person, data.fiscalCode);
    }
    return person;
  }

  /**
   * Accepts an invitation: a person without a password sets one (12+ characters); a person who
   * has one proves it (failures count towards the login throttle). The membership becomes
   * ACTIVE, the token is spent, and a session opens (the caller's current one is revoked).
   */
  async accept(
    em: EntityManager,
    caller: Caller,
    data: AcceptInvitationData,
    clientAddress?: string,
  ): Promise<SessionResult> {
    const errors = new FieldErrors();
    if (data.token.length === 0 || data.token.length > 200) {
      errors.add('token', INVALID_INVITATION.it, INVALID_INVITATION.en);
    }
    if (data.password.length === 0) errors.add('password', 'Campo obbligatorio.', 'Required.');
    else if (data.password.length > PASSWORD_MAX) {
      errors.add(
        'password',
        `Al massimo ${PASSWORD_MAX} caratteri.`,
        `At most ${PASSWORD_MAX} characters.`,
      );
    }
    errors.throwIfAny();

    const tokenHash = sha256Hex(data.token);
    const invitation = await em.findOne(
      Invitation,
      { tokenHash, usedAt: null, expiresAt: { $gt: new Date() } },
      { populate: ['membership', 'membership.person'] },
    );
    if (!invitation) throw DomainError.badInput([{ field: 'token', message: INVALID_INVITATION }]);
    const person = invitation.membership.person;

    let newHash: string | undefined;
    if (person.passwordHash) {
      const attempt = this.auth.loginAttempt(person.email ?? person.id, clientAddress);
      await this.throttle.reserve(em, attempt);
      if (!(await verifyPassword(person.passwordHash, data.password))) {
        throw DomainError.unauthenticated(WRONG_CREDENTIALS);
      }
      await this.throttle.succeeded(em, attempt);
    } else {
      const check = new FieldErrors();
      const password = checkNewPassword(check, 'password', data.password);
      check.throwIfAny();
      newHash = await hashPassword(password!);
    }

    await em.transactional(async (tx) => {
      const spent = await tx.nativeUpdate(
        Invitation,
        { id: invitation.id, usedAt: null, expiresAt: { $gt: new Date() } },
        { usedAt: new Date() },
      );
      if (spent !== 1)
        throw DomainError.badInput([{ field: 'token', message: INVALID_INVITATION }]);
      await tx.nativeUpdate(
        Membership,
        { id: invitation.membership.id },
        { status: 'ACTIVE', activatedAt: new Date() },
      );
      if (newHash) {
        // Only a person still without a password gets one (a concurrent accept may have set it).
        const set = await tx.nativeUpdate(
          Person,
          { id: person.id, passwordHash: null },
          { passwordHash: newHash },
        );
        if (set !== 1) {
          throw DomainError.conflict({
            it: 'La password è già stata impostata: accedi con la tua password.',
            en: 'The password has already been set: log in with your password.',
          });
        }
      }
      await this.audit.record(
        tx,
        `person:${person.id}`,
        invitation.membership.organisation.id,
        'ACTIVATE_MEMBERSHIP',
        `membership:${invitation.membership.id}:${invitation.membership.role}`,
      );
    });
    await em.refresh(invitation.membership);
    await em.refresh(person);
    return this.auth.openSession(em, caller, person, 'INVITATION');
  }
}
