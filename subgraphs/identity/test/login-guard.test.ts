import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createLogger, type Caller } from '@welfare/kit';
import { sha256Hex } from '@welfare/kit/pii';
import { execute, parse, type ExecutionResult } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../src/demo/accounts.js';
import { loadDemoData } from '../src/demo/load-demo-data.js';
import { OutboxDispatcher } from '../src/modules/outbox/dispatcher.js';
import { createEmailTransport } from '../src/modules/outbox/transports.js';
import { ANONYMOUS, caught, errorCode, setupSuite, type Suite } from './helpers.js';

// Small limits, so that each rule shows in a few attempts. Every test uses its own addresses
// (documentation ranges, RFC 5737) and accounts, so they do not disturb each other.
const FREE = 3;
const BASE = 60;
const SLOW_AFTER = 8;
const DELAY_MS = 400;
const ADDRESS_MAX = 12;
const RESET_ADDRESS_MAX = 6;
const RESET_ACCOUNT_MAX = 3;
const MIN_RESPONSE_MS = 250;

let suite: Suite;

beforeAll(async () => {
  suite = await setupSuite('login_guard', {
    loginLimits: {
      freeFailures: FREE,
      backoffBaseSeconds: BASE,
      backoffMaxSeconds: 900,
      failureMemoryMinutes: 60,
      accountSlowAfter: SLOW_AFTER,
      accountDelayMs: DELAY_MS,
      addressMaxFailures: ADDRESS_MAX,
      addressWindowMinutes: 15,
    },
    passwordReset: {
      portalUrl: 'https://portale.example.it',
      ttlMinutes: 30,
      addressMax: RESET_ADDRESS_MAX,
      accountMax: RESET_ACCOUNT_MAX,
      windowMinutes: 60,
      minResponseMs: MIN_RESPONSE_MS,
    },
  });
  await loadDemoData(suite.orm.em.fork(), suite.services.persons);
});
afterAll(() => suite.close());

const login = (email: string, password: string, address?: string) =>
  suite.services.auth.login(suite.orm.em.fork(), ANONYMOUS, { email, password }, address);

/** Runs an operation as the gateway would for a client at `address`. */
async function run<T = Record<string, unknown>>(
  query: string,
  variables: Record<string, unknown>,
  address?: string,
  caller: Caller = ANONYMOUS,
): Promise<ExecutionResult<T>> {
  return (await execute({
    schema: suite.schema,
    document: parse(query),
    variableValues: variables,
    contextValue: {
      em: suite.orm.em.fork(),
      caller,
      requestId: randomUUID(),
      ...(address ? { clientAddress: address } : {}),
    },
  })) as ExecutionResult<T>;
}

const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { token } }`;

describe('login throttling per account and client address', () => {
  it('doubles the wait after the free failures and refuses during it, even the right password', async () => {
    const email = 'cassa@darosa.demo';
    const attacker = '198.51.100.10';
    for (let i = 0; i < FREE; i++) {
      expect((await caught(() => login(email, `wrong ${i}`, attacker))).code).toBe(
        'UNAUTHENTICATED',
      );
    }
    // The first failure past the free ones is still checked, and starts a wait of BASE seconds.
    expect((await caught(() => login(email, 'wrong again', attacker))).code).toBe(
      'UNAUTHENTICATED',
    );
    const waiting = await caught(() => login(email, DEMO_PASSWORD, attacker));
    expect(waiting.code).toBe('RATE_LIMITED');
    expect(waiting.retryAfterSeconds).toBeGreaterThan(BASE - 5);
    expect(waiting.retryAfterSeconds).toBeLessThanOrEqual(BASE);
    // Refused attempts are not counted (nothing was checked).
    const [before] = await suite.sql<{ failures: number }>(
      'select failures from "identity"."login_attempt" where account_key = ? and address = ?',
      [
        suite.services.auth.loginAttempt(email, attacker).account,
        suite.services.auth.loginAttempt(email, attacker).address,
      ],
    );
    expect(before?.failures).toBe(FREE + 1);

    // The owner from another address is not affected.
    await expect(login(email, DEMO_PASSWORD, '203.0.113.20')).resolves.toHaveProperty('token');

    // After the wait the next failure doubles it.
    await suite.sql(
      `update "identity"."login_attempt" set blocked_until = now() - interval '1 second'`,
    );
    expect((await caught(() => login(email, 'wrong after wait', attacker))).code).toBe(
      'UNAUTHENTICATED',
    );
    const doubled = await caught(() => login(email, DEMO_PASSWORD, attacker));
    expect(doubled.code).toBe('RATE_LIMITED');
    expect(doubled.retryAfterSeconds).toBeGreaterThan(2 * BASE - 5);
    expect(doubled.retryAfterSeconds).toBeLessThanOrEqual(2 * BASE);
  });

  it('takes the client address from the gateway (through the GraphQL operation)', async () => {
    const input = { email: 'tutor2@laesse.demo', password: 'wrong' };
    for (let i = 0; i <= FREE; i++) {
      expect(errorCode(await run(LOGIN, { input }, '198.51.100.11'))).toBe('UNAUTHENTICATED');
    }
    expect(errorCode(await run(LOGIN, { input }, '198.51.100.11'))).toBe('RATE_LIMITED');
    const owner = await run<{ login: { token: string } }>(
      LOGIN,
      { input: { ...input, password: DEMO_PASSWORD } },
      '203.0.113.21',
    );
    expect(owner.errors).toBeUndefined();
    expect(owner.data?.login.token).toBeTruthy();
  });

  it('forgets a pair’s failures after a success and after the memory window', async () => {
    const email = 'admin@girasole.demo';
    const address = '198.51.100.12';
    for (let i = 0; i < FREE; i++) await caught(() => login(email, `wrong ${i}`, address));
    await login(email, DEMO_PASSWORD, address);
    for (let i = 0; i < FREE; i++) {
      expect((await caught(() => login(email, `wrong b${i}`, address))).code).toBe(
        'UNAUTHENTICATED',
      );
    }
    await caught(() => login(email, 'wrong c', address));
    expect((await caught(() => login(email, DEMO_PASSWORD, address))).code).toBe('RATE_LIMITED');
    await suite.sql(
      `update "identity"."login_attempt"
          set last_failure_at = now() - interval '61 minutes', blocked_until = now() - interval '1 second'
        where account_key = ?`,
      [suite.services.auth.loginAttempt(email, address).account],
    );
    await expect(login(email, DEMO_PASSWORD, address)).resolves.toHaveProperty('token');
  });

  it('lets the owner in from a clean address during an attack from many, only slowed', async () => {
    const email = 'titolare@darosa.demo';
    // A distributed attack: several addresses, each up to its wait.
    for (let a = 0; a < 4; a++) {
      for (let i = 0; i <= FREE; i++) {
        await caught(() => login(email, `attack ${a} ${i}`, `198.51.100.${30 + a}`));
      }
    }
    const started = Date.now();
    const session = await login(email, DEMO_PASSWORD, '203.0.113.22');
    expect(session.token).toBeTruthy();
    // Past LOGIN_ACCOUNT_SLOW_AFTER failures every attempt on the account is slowed, not refused.
    expect(Date.now() - started).toBeGreaterThanOrEqual(DELAY_MS - 20);
  });

  it('limits one address spraying many accounts, not the others', async () => {
    const sprayer = '198.51.100.40';
    for (let i = 0; i < ADDRESS_MAX; i++) {
      expect((await caught(() => login(`nobody${i}@spray.demo`, 'Password1!', sprayer))).code).toBe(
        'UNAUTHENTICATED',
      );
    }
    const refused = await caught(() => login('hr@officinerossi.demo', DEMO_PASSWORD, sprayer));
    expect(refused.code).toBe('RATE_LIMITED');
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    await expect(
      login('hr@officinerossi.demo', DEMO_PASSWORD, '203.0.113.23'),
    ).resolves.toHaveProperty('token');
  });

  it('holds under concurrency: 30 parallel wrong attempts do not exceed the limits', async () => {
    const pair = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        caught(() => login('tutor@laesse.demo', `wrong parallel ${i}`, '198.51.100.50')),
      ),
    );
    const checked = pair.filter((r) => r.code === 'UNAUTHENTICATED').length;
    expect(checked).toBeLessThanOrEqual(FREE + 1);
    expect(pair.filter((r) => r.code === 'RATE_LIMITED').length).toBe(30 - checked);

    const spray = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        caught(() => login(`parallel${i}@spray.demo`, 'Password1!', '198.51.100.51')),
      ),
    );
    const sprayChecked = spray.filter((r) => r.code === 'UNAUTHENTICATED').length;
    expect(sprayChecked).toBeLessThanOrEqual(ADDRESS_MAX);
    expect(spray.filter((r) => r.code === 'RATE_LIMITED').length).toBe(30 - sprayChecked);
  });

  it('counts attempts without an address under one shared bucket', async () => {
    for (let i = 0; i <= FREE; i++) await caught(() => login('admin@laesse.demo', `w ${i}`));
    expect((await caught(() => login('admin@laesse.demo', DEMO_PASSWORD))).code).toBe(
      'RATE_LIMITED',
    );
    await expect(login('admin@laesse.demo', DEMO_PASSWORD, '203.0.113.24')).resolves.toHaveProperty(
      'token',
    );
  });
});

const REQUEST = `mutation ($email: String!) { requestPasswordReset(input: { email: $email }) }`;
const RESET = `mutation ($token: String!, $password: String!) {
  resetPassword(input: { token: $token, newPassword: $password }) }`;

interface OutboxRow {
  id: string;
  recipient: string;
  body: string;
  status: string;
  template: string;
}

const outboxFor = (email: string) =>
  suite.sql<OutboxRow>(
    `select id, recipient, body, status, template from "identity"."outbox_message"
      where recipient = ? order by created_at, id`,
    [email],
  );

/** The token of the last recovery e-mail sent to `email`. */
async function lastToken(email: string): Promise<string> {
  const rows = await outboxFor(email);
  const match = /\/accedi\/nuova-password\?token=([A-Za-z0-9_-]+)/.exec(rows.at(-1)?.body ?? '');
  if (!match?.[1]) throw new Error(`no recovery e-mail for ${email}`);
  return match[1];
}

describe('password recovery', () => {
  it('answers the same for an unknown e-mail, a person without password and staff', async () => {
    const answers = await Promise.all(
      ['nessuno@nowhere.demo', 'someone@nowhere.demo', 'operatore@balestrate.demo'].map((email) =>
        run(REQUEST, { email }, '203.0.113.30'),
      ),
    );
    for (const answer of answers) {
      expect(answer).toEqual({ data: { requestPasswordReset: true } });
    }
    expect(await outboxFor('nessuno@nowhere.demo')).toHaveLength(0);
    const rows = await outboxFor('operatore@balestrate.demo');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ template: 'PASSWORD_RESET', status: 'PENDING' });
    expect(rows[0]!.body).toContain('https://portale.example.it/accedi/nuova-password?token=');
    expect(rows[0]!.body.indexOf('Buongiorno')).toBeLessThan(rows[0]!.body.indexOf('Hello'));
    expect(await suite.count('password_reset')).toBe(1);
    // A malformed e-mail is a field error, and nothing is written.
    const bad = await run(REQUEST, { email: 'not an email' }, '203.0.113.30');
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
  });

  it('takes the same time for a known and an unknown e-mail', async () => {
    const median = (values: number[]) => values.sort((a, b) => a - b)[1]!;
    const timed = async (email: string, address: string) => {
      const started = performance.now();
      await suite.services.passwordResets.request(suite.orm.em.fork(), email, address);
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    const staff = ['hr@officinerossi.demo', 'tutor2@laesse.demo', 'cassa@darosa.demo'];
    for (const [i, email] of staff.entries()) {
      known.push(await timed(email, `203.0.113.${60 + i}`));
      unknown.push(await timed(`sconosciuto${i}@nowhere.demo`, `203.0.113.${70 + i}`));
    }
    expect(await suite.count('outbox_message', { recipient: 'hr@officinerossi.demo' })).toBe(1);
    for (const ms of [...known, ...unknown]) expect(ms).toBeGreaterThanOrEqual(MIN_RESPONSE_MS - 5);
    expect(Math.abs(median(known) - median(unknown))).toBeLessThan(40);
  });

  it('stores only the token’s SHA-256; the token sets a new password once and ends every session', async () => {
    const email = 'responsabile@balestrate.demo';
    const session = await login(email, DEMO_PASSWORD, '203.0.113.31');
    await run(REQUEST, { email }, '203.0.113.31');
    const token = await lastToken(email);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const stored = await suite.sql<{ token_hash: string; expires_at: Date }>(
      `select r.token_hash, r.expires_at from "identity"."password_reset" r
         join "identity"."person" p on p.id = r.person_id where p.email = ? and r.used_at is null`,
      [email],
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash).toBe(sha256Hex(token));
    const minutes = (new Date(stored[0]!.expires_at).getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(29);
    expect(minutes).toBeLessThanOrEqual(30);

    // The policy of password.ts: too short is a field error and the link stays usable.
    const short = await run(RESET, { token, password: 'short' });
    expect(errorCode(short)).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(short.errors)).not.toContain(token);

    const newPassword = 'una-nuova-password-2026';
    expect(await run(RESET, { token, password: newPassword })).toEqual({
      data: { resetPassword: true },
    });
    expect((await suite.services.sessions.resolve(suite.orm.em.fork(), session.token)).kind).toBe(
      'anonymous',
    );
    expect((await caught(() => login(email, DEMO_PASSWORD, '203.0.113.31'))).code).toBe(
      'UNAUTHENTICATED',
    );
    await expect(login(email, newPassword, '203.0.113.31')).resolves.toHaveProperty('token');

    // Single use.
    const again = await run(RESET, { token, password: 'ancora-un-altra-password' });
    expect(errorCode(again)).toBe('BAD_USER_INPUT');
    await expect(login(email, newPassword, '203.0.113.31')).resolves.toHaveProperty('token');
  });

  it('refuses an expired link and one retired by a newer link', async () => {
    const email = 'tutor@laesse.demo';
    await run(REQUEST, { email }, '203.0.113.32');
    const older = await lastToken(email);
    await run(REQUEST, { email }, '203.0.113.32');
    const newer = await lastToken(email);
    expect(newer).not.toBe(older);
    expect(
      errorCode(await run(RESET, { token: older, password: 'password-dal-vecchio-link' })),
    ).toBe('BAD_USER_INPUT');
    await suite.sql(
      `update "identity"."password_reset" set expires_at = now() - interval '1 second'
        where token_hash = ?`,
      [sha256Hex(newer)],
    );
    const expired = await run(RESET, { token: newer, password: 'password-dal-link-scaduto' });
    expect(errorCode(expired)).toBe('BAD_USER_INPUT');
    expect(
      (expired.errors?.[0]?.originalError as { fields?: { field: string }[] }).fields?.[0]?.field,
    ).toBe('token');
    await expect(login(email, DEMO_PASSWORD, '203.0.113.32')).resolves.toHaveProperty('token');
  });

  it('is rate-limited per account (same answer, no e-mail) and per address (RATE_LIMITED)', async () => {
    const email = 'admin@amicibalestrate.demo';
    for (let i = 0; i < RESET_ACCOUNT_MAX + 2; i++) {
      expect(await run(REQUEST, { email }, `203.0.113.${40 + i}`)).toEqual({
        data: { requestPasswordReset: true },
      });
    }
    expect(await outboxFor(email)).toHaveLength(RESET_ACCOUNT_MAX);

    for (let i = 0; i < RESET_ADDRESS_MAX; i++) {
      expect(errorCode(await run(REQUEST, { email: `x${i}@nowhere.demo` }, '198.51.100.60'))).toBe(
        undefined,
      );
    }
    const limited = await run(REQUEST, { email: 'y@nowhere.demo' }, '198.51.100.60');
    expect(errorCode(limited)).toBe('RATE_LIMITED');
  });

  it('delivers through the outbox: recorded only in the embedded run, the body purged once sent', async () => {
    const logger = createLogger('test', 'silent');
    const settings = {
      batchSize: 50,
      pollMs: 1000,
      maxAttempts: 3,
      retryBaseMs: 10,
      retryMaxMs: 100,
      sendTimeoutMs: 1000,
    };
    const recorded = new OutboxDispatcher(
      suite.orm,
      createEmailTransport({ smtp: null, unconfigured: 'outbox', sendTimeoutMs: 1000 }),
      settings,
      logger,
    );
    await run(REQUEST, { email: 'admin@welfare.demo' }, '203.0.113.50');
    const first = await recorded.dispatchOnce();
    expect(first.sent).toBeGreaterThan(0);
    const kept = await outboxFor('admin@welfare.demo');
    expect(kept.at(-1)).toMatchObject({ status: 'SENT' });
    expect(kept.at(-1)!.body).toContain('token=');

    const delivered: string[] = [];
    const smtp = new OutboxDispatcher(
      suite.orm,
      {
        send: (message) => {
          delivered.push(message.body);
          return Promise.resolve({ providerId: 'fake' });
        },
      },
      settings,
      logger,
    );
    await run(REQUEST, { email: 'admin@welfare.demo' }, '203.0.113.50');
    expect((await smtp.dispatchOnce()).sent).toBe(1);
    expect(delivered[0]).toContain('token=');
    const purged = await outboxFor('admin@welfare.demo');
    expect(purged.at(-1)).toMatchObject({ status: 'SENT', body: '' });
  });
});
