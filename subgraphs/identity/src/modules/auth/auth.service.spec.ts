import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, caught, setupSuite, type Suite } from '../../../test/helpers.js';
import { DEMO_PASSWORD } from '../../demo/accounts.js';
import { loadDemoData } from '../../demo/load-demo-data.js';
import { Person } from '../person/person.entity.js';

let suite: Suite;

beforeAll(async () => {
  suite = await setupSuite('auth');
  await loadDemoData(suite.orm.em.fork(), suite.services.persons);
});
afterAll(() => suite.close());

const login = (email: string, password: string, caller = ANONYMOUS) =>
  suite.services.auth.login(suite.orm.em.fork(), caller, { email, password });

describe('AuthService.login', () => {
  it('hashes passwords with Argon2id m=19456 t=2 p=1', async () => {
    const person = await suite.orm.em
      .fork()
      .findOneOrFail(Person, { email: 'hr@officinerossi.demo' });
    expect(person.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('opens a session with a 32-byte token whose SHA-256 only is stored', async () => {
    const session = await login('HR@officinerossi.demo ', DEMO_PASSWORD);
    expect(Buffer.from(session.token, 'base64url')).toHaveLength(32);
    expect(session.viewer.person.email).toBe('hr@officinerossi.demo');
    expect(session.viewer.memberships.map((m) => m.role)).toEqual(['HR']);
    const hours = (session.expiresAt.getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);
    const rows = await suite.orm.em
      .getConnection()
      .execute<{ token_hash: string }[]>('select token_hash from "identity"."session"');
    expect(rows.some((r) => r.token_hash.includes(session.token))).toBe(false);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('gives the same UNAUTHENTICATED for a wrong password and an unknown email', async () => {
    const wrong = await caught(() => login('tutor@laesse.demo', 'not the password'));
    const unknown = await caught(() => login('nobody@laesse.demo', 'not the password'));
    expect(wrong.code).toBe('UNAUTHENTICATED');
    expect(unknown.code).toBe('UNAUTHENTICATED');
    expect(unknown.localized).toEqual(wrong.localized);
  });

  it('refuses a person without a password (citizen or pending invitee)', async () => {
    expect((await caught(() => login('someone@nowhere.demo', DEMO_PASSWORD))).code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('validates the input', async () => {
    const err = await caught(() => login('not an email', ''));
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.fields.map((f) => f.field).sort()).toEqual(['email', 'password']);
  });

  it('a successful login does not count as a failure', async () => {
    for (let i = 0; i < 12; i++) await login('responsabile@balestrate.demo', DEMO_PASSWORD);
    await expect(login('responsabile@balestrate.demo', DEMO_PASSWORD)).resolves.toHaveProperty(
      'token',
    );
  });
});

describe('sessions: rotation, logout, expiry', () => {
  it('login revokes the caller’s current session', async () => {
    const first = await login('operatore@balestrate.demo', DEMO_PASSWORD);
    const caller = await suite.services.sessions.resolve(suite.orm.em.fork(), first.token);
    expect(caller.kind).toBe('person');
    const second = await login('operatore@balestrate.demo', DEMO_PASSWORD, caller);
    expect((await suite.services.sessions.resolve(suite.orm.em.fork(), first.token)).kind).toBe(
      'anonymous',
    );
    expect((await suite.services.sessions.resolve(suite.orm.em.fork(), second.token)).kind).toBe(
      'person',
    );
  });

  it('logout revokes the session server-side', async () => {
    const session = await login('operatore@balestrate.demo', DEMO_PASSWORD);
    const caller = await suite.services.sessions.resolve(suite.orm.em.fork(), session.token);
    expect(await suite.services.auth.logout(suite.orm.em.fork(), caller)).toBe(true);
    expect((await suite.services.sessions.resolve(suite.orm.em.fork(), session.token)).kind).toBe(
      'anonymous',
    );
    expect(await suite.services.auth.logout(suite.orm.em.fork(), caller)).toBe(false);
    expect(await suite.services.auth.logout(suite.orm.em.fork(), ANONYMOUS)).toBe(false);
  });

  it('an expired session resolves to anonymous', async () => {
    const session = await login('operatore@balestrate.demo', DEMO_PASSWORD);
    const caller = await suite.services.sessions.resolve(suite.orm.em.fork(), session.token);
    if (caller.kind !== 'person') throw new Error('expected a person');
    await suite.orm.em
      .getConnection()
      .execute(
        `update "identity"."session" set expires_at = now() - interval '1 second' where id = ?`,
        [caller.sessionId],
      );
    expect((await suite.services.sessions.resolve(suite.orm.em.fork(), session.token)).kind).toBe(
      'anonymous',
    );
  });

  it('resolves the caller with ACTIVE memberships and the admin flag', async () => {
    const session = await login('admin@welfare.demo', DEMO_PASSWORD);
    const caller = await suite.services.sessions.resolve(suite.orm.em.fork(), session.token);
    expect(caller).toMatchObject({ kind: 'person', platformAdmin: true, memberships: [] });
    expect(caller).not.toHaveProperty('fiscalCode');
    expect((await suite.services.sessions.resolve(suite.orm.em.fork(), 'garbage')).kind).toBe(
      'anonymous',
    );
    expect((await suite.services.sessions.resolve(suite.orm.em.fork(), '')).kind).toBe('anonymous');
  });
});
