import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, type Caller } from '@welfare/kit';
import { actorOf } from '@welfare/kit/access';
import { AuditLog } from '@welfare/kit/audit';
import type { PiiCipher } from '@welfare/kit/pii';
import type { AuthService, LoginData } from '../auth/auth.service.js';
import type {
  CitizenLoginService,
  CompleteCitizenLoginData,
} from '../auth/citizen-login.service.js';
import type { SessionResult } from '../session/session.type.js';

/** Actions written to identity's audit log (besides the kit's `TENANCY_REFUSED`). */
export type IdentityAuditAction =
  | 'LOGIN'
  | 'LOGIN_FAILED'
  | 'LOGIN_THROTTLED'
  | 'CITIZEN_LOGIN'
  | 'CITIZEN_LOGIN_FAILED'
  | 'CREATE_ORGANISATION'
  | 'INVITE_MEMBER'
  | 'ACTIVATE_MEMBERSHIP';

/**
 * Identity's append-only, hash-chained audit log (the kit's, on `identity.audit_event`). Its
 * tenant, `organisation_id`, is the organisation acted on (a Comune's manager reads its own);
 * logins are platform-level (NULL). Never a password or a raw e-mail: a failed login names the
 * e-mail by a keyed hash (`email:<hmac>`), a successful one the person.
 */
export class AuditService extends AuditLog<IdentityAuditAction> {
  constructor(private readonly pii: PiiCipher) {
    super({ schema: 'identity', tenantColumn: 'organisation_id' });
  }

  /** How the log names an e-mail it must not keep: a keyed hash of its normal form. */
  emailSubject(email: string): string {
    return `email:${this.pii.lookupHash('audit-email', email.trim().toLowerCase())}`;
  }
}

/**
 * Logins as the audit log sees them: the staff login and the citizen login, each recorded after
 * it ends (success, wrong credentials, throttled). Validation errors write nothing. Recorded
 * outside any transaction (the login's own commit or failure does not touch the row).
 */
export class LoginAuditService {
  constructor(
    private readonly audit: AuditService,
    private readonly auth: AuthService,
    private readonly citizens: CitizenLoginService,
  ) {}

  /** The staff login (`AuthService.login`), audited. */
  async login(
    em: EntityManager,
    caller: Caller,
    data: LoginData,
    clientAddress?: string,
  ): Promise<SessionResult> {
    let result: SessionResult;
    try {
      result = await this.auth.login(em, caller, data, clientAddress);
    } catch (err) {
      const action = refusalAction(err, 'LOGIN_FAILED');
      if (action) {
        await this.audit.record(
          em,
          actorOf(caller),
          null,
          action,
          this.audit.emailSubject(data.email),
        );
      }
      throw err;
    }
    const personId = result.viewer.person.id;
    await this.audit.record(em, `person:${personId}`, null, 'LOGIN', `person:${personId}`);
    return result;
  }

  /** The citizen login (SPID/CIE, `CitizenLoginService.complete`), audited. */
  async completeCitizenLogin(
    em: EntityManager,
    caller: Caller,
    data: CompleteCitizenLoginData,
  ): Promise<SessionResult> {
    let result: SessionResult;
    try {
      result = await this.citizens.complete(em, caller, data);
    } catch (err) {
      const action = refusalAction(err, 'CITIZEN_LOGIN_FAILED');
      if (action) await this.audit.record(em, actorOf(caller), null, action, 'oidc');
      throw err;
    }
    const personId = result.viewer.person.id;
    await this.audit.record(em, `person:${personId}`, null, 'CITIZEN_LOGIN', `person:${personId}`);
    return result;
  }
}

/** The action of a refused login, undefined for any other error (bad input, an outage). */
function refusalAction(
  err: unknown,
  failed: 'LOGIN_FAILED' | 'CITIZEN_LOGIN_FAILED',
): IdentityAuditAction | undefined {
  if (!(err instanceof DomainError)) return undefined;
  if (err.code === 'UNAUTHENTICATED') return failed;
  if (err.code === 'RATE_LIMITED') return 'LOGIN_THROTTLED';
  return undefined;
}
