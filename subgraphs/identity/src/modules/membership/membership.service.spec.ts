import type { Caller } from '@welfare/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, caught, setupSuite, type Suite } from '../../../test/helpers.js';
import { DEMO_ORGANISATIONS, DEMO_PASSWORD } from '../../demo/accounts.js';
import { loadDemoData } from '../../demo/load-demo-data.js';
import { Membership } from './membership.entity.js';

let suite: Suite;
let admin: Caller;
let comuneManager: Caller;
let comuneOperator: Caller;
let shopOwner: Caller;

beforeAll(async () => {
  suite = await setupSuite('membership');
  await loadDemoData(suite.orm.em.fork(), suite.services.persons);
  admin = await suite.callerFor('admin@welfare.demo');
  comuneManager = await suite.callerFor('responsabile@balestrate.demo');
  comuneOperator = await suite.callerFor('operatore@balestrate.demo');
  shopOwner = await suite.callerFor('titolare@darosa.demo');
});
afterAll(() => suite.close());

const invite = (
  caller: Caller,
  data: Partial<Parameters<Suite['services']['memberships']['invite']>[2]> = {},
) =>
  suite.services.memberships.invite(suite.orm.em.fork(), caller, {
    organisationId: DEMO_ORGANISATIONS.balestrate.id,
    email: 'nuovo.operatore@balestrate.demo',
    givenName: 'Nuovo',
    familyName: 'Operatore',
    role: 'OPERATOR',
    ...data,
  });

describe('MembershipService.invite', () => {
  it('lets the managing role invite a new person: INVITED membership, 7-day token, hash only', async () => {
    const before = await suite.count('person');
    const result = await invite(comuneManager, {
      phone: '333 1234567',
      fiscalCode: 'vrdlgu90a01g273x',
    });
    expect(result.membership.status).toBe('INVITED');
    expect(Buffer.from(result.token, 'base64url')).toHaveLength(32);
    const days = (result.expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);
    expect(await suite.count('person')).toBe(before + 1);
    const rows = await suite.orm.em
      .getConnection()
      .execute<{ token_hash: string }[]>('select token_hash from "identity"."invitation"');
    expect(rows.map((r) => r.token_hash)).not.toContain(result.token);
  });

  it('refuses a role that does not fit the kind, and bad fields, writing nothing', async () => {
    const counts = async () => [
      await suite.count('person'),
      await suite.count('membership'),
      await suite.count('invitation'),
    ];
    const before = await counts();
    const err = await caught(() =>
      invite(admin, {
        email: 'x@',
        givenName: '',
        fiscalCode: 'RSSMRA80A01H501X',
        phone: '12',
        role: 'CASHIER',
        organisationId: DEMO_ORGANISATIONS.balestrate.id,
      }),
    );
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.fields.map((f) => f.field).sort()).toEqual([
      'email',
      'fiscalCode',
      'givenName',
      'phone',
      'role',
    ]);
    expect(await counts()).toEqual(before);
  });

  it('forbids other roles and other organisations’ managers', async () => {
    expect((await caught(() => invite(comuneOperator, { email: 'a@b.demo' }))).code).toBe(
      'FORBIDDEN',
    );
    expect((await caught(() => invite(shopOwner, { email: 'a@b.demo' }))).code).toBe('FORBIDDEN');
    expect((await caught(() => invite(ANONYMOUS, { email: 'a@b.demo' }))).code).toBe(
      'UNAUTHENTICATED',
    );
    // The shop owner manages their own shop.
    const own = await invite(shopOwner, {
      organisationId: DEMO_ORGANISATIONS.daRosa.id,
      email: 'cassa2@darosa.demo',
      role: 'CASHIER',
    });
    expect(own.membership.status).toBe('INVITED');
  });

  it('refuses a codice fiscale that belongs to someone else (no account takeover)', async () => {
    const err = await caught(() =>
      invite(admin, { email: 'different@balestrate.demo', fiscalCode: 'BNCGLI85E52G273A' }),
    );
    expect(err.code).toBe('CONFLICT');
  });

  it('refuses to invite someone who already holds the role', async () => {
    expect((await caught(() => invite(admin, { email: 'operatore@balestrate.demo' }))).code).toBe(
      'CONFLICT',
    );
  });
});

describe('MembershipService.accept', () => {
  it('sets the password, activates the membership, opens a session; the token works once', async () => {
    const invitation = await invite(admin, { email: 'accetta@balestrate.demo' });
    const shortPassword = await caught(() =>
      suite.services.memberships.accept(suite.orm.em.fork(), ANONYMOUS, {
        token: invitation.token,
        password: 'short',
      }),
    );
    expect(shortPassword.code).toBe('BAD_USER_INPUT');
    expect(shortPassword.fields[0]?.field).toBe('password');

    const session = await suite.services.memberships.accept(suite.orm.em.fork(), ANONYMOUS, {
      token: invitation.token,
      password: 'una password lunga',
    });
    expect(session.viewer.memberships.map((m) => m.role)).toEqual(['OPERATOR']);
    const membership = await suite.orm.em
      .fork()
      .findOneOrFail(Membership, { id: invitation.membership.id });
    expect(membership.status).toBe('ACTIVE');
    const caller = await suite.services.sessions.resolve(suite.orm.em.fork(), session.token);
    expect(caller).toMatchObject({ kind: 'person', memberships: [{ role: 'OPERATOR' }] });

    const again = await caught(() =>
      suite.services.memberships.accept(suite.orm.em.fork(), ANONYMOUS, {
        token: invitation.token,
        password: 'una password lunga',
      }),
    );
    expect(again.code).toBe('BAD_USER_INPUT');
    await expect(
      suite.services.auth.login(suite.orm.em.fork(), ANONYMOUS, {
        email: 'accetta@balestrate.demo',
        password: 'una password lunga',
      }),
    ).resolves.toHaveProperty('token');
  });

  it('an existing person with a password must give it; then the membership is active', async () => {
    const invitation = await invite(admin, {
      organisationId: DEMO_ORGANISATIONS.laEsse.id,
      email: 'hr@officinerossi.demo',
      role: 'TUTOR',
    });
    const wrong = await caught(() =>
      suite.services.memberships.accept(suite.orm.em.fork(), ANONYMOUS, {
        token: invitation.token,
        password: 'a guessed password',
      }),
    );
    expect(wrong.code).toBe('UNAUTHENTICATED');
    const stillInvited = await suite.orm.em
      .fork()
      .findOneOrFail(Membership, { id: invitation.membership.id });
    expect(stillInvited.status).toBe('INVITED');
    const session = await suite.services.memberships.accept(suite.orm.em.fork(), ANONYMOUS, {
      token: invitation.token,
      password: DEMO_PASSWORD,
    });
    expect(session.viewer.memberships.map((m) => m.role).sort()).toEqual(['HR', 'TUTOR']);
  });

  it('refuses an expired invitation', async () => {
    const invitation = await invite(admin, { email: 'scaduto@balestrate.demo' });
    await suite.orm.em
      .getConnection()
      .execute(`update "identity"."invitation" set expires_at = now() - interval '1 minute'`);
    const err = await caught(() =>
      suite.services.memberships.accept(suite.orm.em.fork(), ANONYMOUS, {
        token: invitation.token,
        password: 'una password lunga',
      }),
    );
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.fields[0]?.field).toBe('token');
  });
});
