import { LoginAttempt } from './modules/auth/login-attempt.entity.js';
import { PasswordReset } from './modules/auth/password-reset.entity.js';
import { RateWindow } from './modules/auth/rate-window.entity.js';
import { Invitation } from './modules/membership/invitation.entity.js';
import { Membership } from './modules/membership/membership.entity.js';
import { Organisation } from './modules/organisation/organisation.entity.js';
import { Person } from './modules/person/person.entity.js';
import { OutboxMessage } from './modules/outbox/outbox-message.entity.js';
import { Session } from './modules/session/session.entity.js';

/** Every MikroORM entity of the identity subgraph. */
export const entities = [
  Person,
  Organisation,
  Membership,
  Invitation,
  Session,
  LoginAttempt,
  RateWindow,
  PasswordReset,
  OutboxMessage,
];

/** The subgraph's PostgreSQL schema. */
export const DB_SCHEMA = 'identity';
