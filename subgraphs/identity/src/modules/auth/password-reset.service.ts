import { setTimeout as sleep } from 'node:timers/promises';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors } from '@welfare/kit';
import { newOpaqueToken, sha256Hex, type PiiCipher } from '@welfare/kit/pii';
import { PASSWORD_MAX, checkEmail, checkNewPassword } from '../../lib/validation.js';
import { OutboxMessage } from '../outbox/outbox-message.entity.js';
import { Person } from '../person/person.entity.js';
import type { SessionService } from '../session/session.service.js';
import type { LoginThrottleService } from './login-throttle.js';
import { hashPassword } from './password.js';
import { PasswordReset } from './password-reset.entity.js';
import { RateWindows } from './rate-window.js';

/** Password recovery settings (identity's config.ts, where each has its source). */
export interface PasswordResetSettings {
  /** The portal's public origin, without a trailing slash. */
  portalUrl: string;
  /** Lifetime of a link, in minutes. */
  ttlMinutes: number;
  /** Requests from one address within the window. */
  addressMax: number;
  /** E-mails to one account within the window. */
  accountMax: number;
  windowMinutes: number;
  /** Every request answers after at least this many ms (no enumeration by timing). */
  minResponseMs: number;
}

/** The portal page the e-mail links to (the token in its query). */
const RESET_PATH = '/accedi/nuova-password';

const INVALID_RESET_LINK = {
  it: 'Il link non è valido, è già stato usato o è scaduto: chieda un nuovo link.',
  en: 'The link is not valid, was already used or has expired: ask for a new link.',
};

/**
 * Password recovery for staff (people with a password), after OWASP's Forgot Password Cheat
 * Sheet. `request` answers the same for every well-formed e-mail, after the same work (a token is
 * drawn, hashed and the e-mail rendered either way; one transaction runs either way); only a
 * staff account gets a row in `password_reset` and an e-mail in the outbox, written in one
 * transaction; and every answer waits until `minResponseMs` after the request began. The token is 32 random bytes (base64url) shown only in the e-mail; its SHA-256 is
 * stored. `reset` spends it once (a conditional update), sets the new password (the policy of
 * `checkNewPassword`), retires every other link of the person and revokes all their sessions.
 */
export class PasswordResetService {
  private readonly windows = new RateWindows();

  constructor(
    private readonly pii: PiiCipher,
    private readonly sessions: SessionService,
    private readonly throttle: LoginThrottleService,
    private readonly settings: PasswordResetSettings,
  ) {}

  /**
   * Asks for a recovery link. RATE_LIMITED beyond `addressMax` requests from the address in the
   * window; beyond `accountMax` for the e-mail the answer is the same but nothing is sent.
   */
  async request(em: EntityManager, emailInput: string, address: string): Promise<boolean> {
    const started = Date.now();
    const errors = new FieldErrors();
    const email = checkEmail(errors, 'email', emailInput);
    errors.throwIfAny();
    const { addressMax, accountMax, windowMinutes, ttlMinutes } = this.settings;
    const byAddress = await this.windows.hit(
      em,
      `reset-address:${this.pii.lookupHash('client-address', address)}`,
      addressMax,
      windowMinutes,
    );
    if (!byAddress.allowed) {
      throw new DomainError('RATE_LIMITED', undefined, {
        retryAfterSeconds: byAddress.retryAfterSeconds,
      });
    }
    const byAccount = await this.windows.hit(
      em,
      `reset-account:${this.pii.lookupHash('login-email', email!)}`,
      accountMax,
      windowMinutes,
    );

    // The same work whoever asks: a token, its hash, the rendered e-mail, one transaction.
    const token = newOpaqueToken();
    const tokenHash = sha256Hex(token);
    const message = renderResetEmail(
      `${this.settings.portalUrl}${RESET_PATH}?token=${token}`,
      ttlMinutes,
    );
    const person = await em.findOne(Person, { email: email! });
    const eligible = byAccount.allowed && !!person?.passwordHash;
    await em.transactional(async (tx) => {
      // Retires the older links (none for an unknown e-mail: the same statement on no row).
      await tx.nativeUpdate(
        PasswordReset,
        { person: eligible ? person.id : NO_PERSON, usedAt: null },
        { usedAt: new Date() },
      );
      if (!eligible) return;
      tx.persist(
        tx.create(PasswordReset, {
          tokenHash,
          person: tx.getReference(Person, person.id),
          expiresAt: new Date(Date.now() + ttlMinutes * 60_000),
        }),
      );
      tx.persist(
        tx.create(OutboxMessage, {
          template: 'PASSWORD_RESET',
          recipient: person.email!,
          subject: message.subject,
          body: message.body,
        }),
      );
    });
    // The same answer time either way: a known e-mail's writes take a few ms more.
    await sleep(Math.max(0, this.settings.minResponseMs - (Date.now() - started)));
    return true;
  }

  /** Sets a new password with a recovery token; the person's sessions are all revoked. */
  async reset(em: EntityManager, token: string, newPassword: string): Promise<boolean> {
    const errors = new FieldErrors();
    if (token.length === 0 || token.length > 200) {
      errors.add('token', INVALID_RESET_LINK.it, INVALID_RESET_LINK.en);
    }
    const password =
      newPassword.length > PASSWORD_MAX
        ? (errors.add(
            'newPassword',
            `Al massimo ${PASSWORD_MAX} caratteri.`,
            `At most ${PASSWORD_MAX} characters.`,
          ),
          undefined)
        : checkNewPassword(errors, 'newPassword', newPassword);
    errors.throwIfAny();

    const reset = await em.findOne(
      PasswordReset,
      { tokenHash: sha256Hex(token), usedAt: null, expiresAt: { $gt: new Date() } },
      { populate: ['person'] },
    );
    if (!reset) throw invalidLink();
    const passwordHash = await hashPassword(password!);
    const person = reset.person;
    await em.transactional(async (tx) => {
      const spent = await tx.nativeUpdate(
        PasswordReset,
        { id: reset.id, usedAt: null, expiresAt: { $gt: new Date() } },
        { usedAt: new Date() },
      );
      if (spent !== 1) throw invalidLink();
      await tx.nativeUpdate(Person, { id: person.id }, { passwordHash, updatedAt: new Date() });
      // Every other link of the person is retired with the old password.
      await tx.nativeUpdate(
        PasswordReset,
        { person: person.id, usedAt: null },
        { usedAt: new Date() },
      );
      await this.sessions.revokeAll(tx, person.id);
    });
    // The owner proved the account is theirs: earlier failures (an attack) no longer slow it.
    if (person.email) {
      await this.throttle.forgetAccount(em, this.pii.lookupHash('login-email', person.email));
    }
    return true;
  }
}

/** A person id no row has, so that an unknown e-mail runs the same statement on nothing. */
const NO_PERSON = '00000000-0000-0000-0000-000000000000';

function invalidLink(): DomainError {
  return DomainError.badInput([{ field: 'token', message: INVALID_RESET_LINK }]);
}

/** The recovery e-mail, Italian first, then English. */
function renderResetEmail(link: string, ttlMinutes: number): { subject: string; body: string } {
  return {
    subject: 'Recupero della password / Password recovery',
    body: [
      'Buongiorno,',
      'è stato chiesto di scegliere una nuova password per il suo account. Apra questo link',
      `entro ${ttlMinutes} minuti (vale una sola volta):`,
      '',
      link,
      '',
      'Se non ha chiesto lei il recupero, ignori questo messaggio: la password attuale resta valida.',
      '',
      '---',
      '',
      'Hello,',
      'a new password was requested for your account. Open this link',
      `within ${ttlMinutes} minutes (it works once):`,
      '',
      link,
      '',
      'If you did not ask for it, ignore this message: your current password stays valid.',
    ].join('\n'),
  };
}
