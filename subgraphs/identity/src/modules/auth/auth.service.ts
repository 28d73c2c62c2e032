import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller } from '@welfare/kit';
import type { PiiCipher } from '@welfare/kit/pii';
import { PASSWORD_MAX, checkEmail } from '../../lib/validation.js';
import { Person } from '../person/person.entity.js';
import type { PersonService } from '../person/person.service.js';
import type { SessionService } from '../session/session.service.js';
import type { SessionMethod } from '../session/session.entity.js';
import type { SessionResult } from '../session/session.type.js';
import { UNKNOWN_ADDRESS, type LoginAttempt, type LoginThrottleService } from './login-throttle.js';
import { verifyPassword } from './password.js';
import { buildViewer } from './viewer.js';
import type { ViewerData } from './viewer.type.js';

export const WRONG_CREDENTIALS = {
  it: 'Email o password non corretti.',
  en: 'Wrong email or password.',
};

export interface LoginData {
  email: string;
  password: string;
}

/** Staff login, logout, the viewer, and opening a session for a person (with rotation). */
export class AuthService {
  constructor(
    private readonly pii: PiiCipher,
    private readonly persons: PersonService,
    private readonly sessions: SessionService,
    private readonly throttle: LoginThrottleService,
  ) {}

  /**
   * What the throttle counts an attempt under: keyed hashes of the email and of the client's
   * address (`unknown`, one shared bucket, when the gateway did not give it).
   */
  loginAttempt(email: string, clientAddress: string | undefined): LoginAttempt {
    return {
      account: this.pii.lookupHash('login-email', email),
      address: this.pii.lookupHash('client-address', clientAddress ?? UNKNOWN_ADDRESS),
    };
  }

  /**
   * Email and password. A wrong email and a wrong password give the same UNAUTHENTICATED after
   * the same work (a dummy hash is verified for unknown emails). Throttled per account and client
   * address with an exponential wait, per address across accounts (login-throttle.ts): a waiting
   * attempt is RATE_LIMITED without its password being checked; the owner from another address
   * is not affected. Revokes the caller's session.
   */
  async login(
    em: EntityManager,
    caller: Caller,
    data: LoginData,
    clientAddress?: string,
  ): Promise<SessionResult> {
    const errors = new FieldErrors();
    const email = checkEmail(errors, 'email', data.email);
    if (data.password.length === 0) errors.add('password', 'Campo obbligatorio.', 'Required.');
    else if (data.password.length > PASSWORD_MAX) {
      errors.add(
        'password',
        `Al massimo ${PASSWORD_MAX} caratteri.`,
        `At most ${PASSWORD_MAX} characters.`,
      );
    }
    errors.throwIfAny();

    // Audited by LoginAuditService (success, wrong credentials, throttled).
    const attempt = this.loginAttempt(email!, clientAddress);
    await this.throttle.reserve(em, attempt);
    const person = await em.findOne(Person, { email: email! });
    const ok = await verifyPassword(person?.passwordHash, data.password);
    if (!ok || !person) throw DomainError.unauthenticated(WRONG_CREDENTIALS);
    // A password proved right: the pair's failures are forgotten.
    await this.throttle.succeeded(em, attempt);
    return this.openSession(em, caller, person, 'PASSWORD');
  }

  /**
   * Opens a session for `person`, revoking the caller's current one (rotation), in one
   * transaction; the person may read themselves in the result.
   */
  async openSession(
    em: EntityManager,
    caller: Caller,
    person: Person,
    method: SessionMethod,
  ): Promise<SessionResult> {
    const opened = await em.transactional(async (tx) => {
      await this.sessions.revokeCurrent(tx, caller);
      return this.sessions.open(tx, tx.getReference(Person, person.id), method);
    });
    this.persons.grantSelfView(person);
    return {
      token: opened.token,
      expiresAt: opened.session.expiresAt,
      viewer: await buildViewer(em, person),
    };
  }

  /** Revokes the caller's session; false when there was none. */
  async logout(em: EntityManager, caller: Caller): Promise<boolean> {
    return this.sessions.revokeCurrent(em, caller);
  }

  /** The logged-in person, or null. */
  async viewer(em: EntityManager, caller: Caller): Promise<ViewerData | null> {
    if (caller.kind !== 'person') return null;
    const person = await em.findOne(Person, { id: caller.personId });
    return person ? buildViewer(em, person) : null;
  }
}
