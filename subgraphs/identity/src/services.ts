import { PiiCipher } from '@welfare/kit/pii';
import { AuditService, LoginAuditService } from './modules/audit/audit.service.js';
import { AuthService } from './modules/auth/auth.service.js';
import { CitizenLoginService } from './modules/auth/citizen-login.service.js';
import { CitizenOidcClient, type OidcSettings } from './modules/auth/citizen-oidc.js';
import { LoginThrottleService, type LoginLimits } from './modules/auth/login-throttle.js';
import {
  PasswordResetService,
  type PasswordResetSettings,
} from './modules/auth/password-reset.service.js';
import { MembershipService } from './modules/membership/membership.service.js';
import { OrganisationService } from './modules/organisation/organisation.service.js';
import { PersonService } from './modules/person/person.service.js';
import { SessionService } from './modules/session/session.service.js';

export interface ServiceSettings {
  /** 32 bytes. */
  piiKey: Buffer;
  sessionTtlHours: number;
  oidc?: OidcSettings | undefined;
  loginLimits: LoginLimits;
  passwordReset: PasswordResetSettings;
}

/** Every service of the subgraph, wired once per process (they keep no per-request state). */
export function createServices(settings: ServiceSettings) {
  const pii = new PiiCipher(settings.piiKey);
  const persons = new PersonService(pii);
  const audit = new AuditService(pii);
  const organisations = new OrganisationService(audit);
  const sessions = new SessionService(settings.sessionTtlHours, pii);
  const throttle = new LoginThrottleService(settings.loginLimits);
  const auth = new AuthService(pii, persons, sessions, throttle);
  const memberships = new MembershipService(persons, auth, throttle, audit);
  const passwordResets = new PasswordResetService(pii, sessions, throttle, settings.passwordReset);
  const citizens = new CitizenLoginService(
    settings.oidc ? new CitizenOidcClient(settings.oidc) : undefined,
    persons,
    auth,
  );
  const logins = new LoginAuditService(audit, auth, citizens);
  return {
    pii,
    audit,
    persons,
    organisations,
    sessions,
    throttle,
    auth,
    logins,
    passwordResets,
    memberships,
    citizens,
  };
}

export type Services = ReturnType<typeof createServices>;
