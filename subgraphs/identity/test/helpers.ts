import { randomBytes } from 'node:crypto';
import type { Caller } from '@welfare/kit';
import { ANONYMOUS, createSuite, type Suite as KitSuite } from '@welfare/kit/test-suite';
import { defaultIdentitySettings } from '../src/config.js';
import { DEMO_PASSWORD } from '../src/demo/accounts.js';
import { DB_SCHEMA } from '../src/entities.js';
import type { OidcSettings } from '../src/modules/auth/citizen-oidc.js';
import type { LoginLimits } from '../src/modules/auth/login-throttle.js';
import type { PasswordResetSettings } from '../src/modules/auth/password-reset.service.js';
import { identityOrmSettings } from '../src/orm.js';
import { buildIdentitySchema } from '../src/schema.js';
import { createServices, type Services } from '../src/services.js';

export { ANONYMOUS, caught, errorCode } from '@welfare/kit/test-suite';

export interface Suite extends KitSuite<Services> {
  /** Logs in with a password and returns the caller the gateway would get for the session. */
  callerFor(email: string, password?: string): Promise<Caller & { kind: 'person' }>;
}

/** A fresh database (migrated) for one suite, with the services and the schema. */
export async function setupSuite(
  prefix: string,
  options: {
    oidc?: OidcSettings;
    loginLimits?: Partial<LoginLimits>;
    passwordReset?: Partial<PasswordResetSettings>;
  } = {},
): Promise<Suite> {
  const defaults = defaultIdentitySettings();
  const suite = await createSuite({
    prefix: `identity_${prefix}`,
    dbSchema: DB_SCHEMA,
    ormSettings: identityOrmSettings,
    services: () =>
      createServices({
        piiKey: randomBytes(32),
        sessionTtlHours: 12,
        oidc: options.oidc,
        loginLimits: { ...defaults.loginLimits, ...options.loginLimits },
        passwordReset: { ...defaults.passwordReset, ...options.passwordReset },
      }),
    buildSchema: buildIdentitySchema,
  });
  const { orm, services } = suite;
  return {
    ...suite,
    callerFor: async (email, password = DEMO_PASSWORD) => {
      const result = await services.auth.login(orm.em.fork(), ANONYMOUS, { email, password });
      const caller = await services.sessions.resolve(orm.em.fork(), result.token);
      if (caller.kind !== 'person') throw new Error('login did not give a person');
      return caller;
    },
  };
}
