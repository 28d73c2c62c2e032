import type { Caller } from '@welfare/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANISATIONS, DEMO_PASSWORD } from '../src/demo/accounts.js';
import { loadDemoData } from '../src/demo/load-demo-data.js';
import { ANONYMOUS, errorCode, setupSuite, type Suite } from './helpers.js';

let suite: Suite;
let admin: Caller;
let manager: Caller;
let operator: Caller;
let owner: Caller;
let uninstall: () => void;

interface Row {
  organisation_id: string | null;
  actor: string;
  action: string;
  subject: string;
}
const lastRows = (n: number) =>
  suite.sql<Row>(
    `select "organisation_id", "actor", "action", "subject" from "identity"."audit_event" order by "seq" desc limit ?`,
    [n],
  );

const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { viewer { person { id } } } }`;
const EVENTS = `query Events($filter: AuditEventFilter) {
  identityAuditEvents(filter: $filter, first: 500) { events { organisationId actor action subject } }
}`;
const BALESTRATE = DEMO_ORGANISATIONS.balestrate.id;

beforeAll(async () => {
  suite = await setupSuite('audit');
  uninstall = suite.services.audit.watchTenancy(suite.orm.em, {
    error: (err: unknown) => {
      throw err;
    },
  });
  await loadDemoData(suite.orm.em.fork(), suite.services.persons);
  admin = await suite.callerFor('admin@welfare.demo');
  manager = await suite.callerFor('responsabile@balestrate.demo');
  operator = await suite.callerFor('operatore@balestrate.demo');
  owner = await suite.callerFor('titolare@darosa.demo');
});
afterAll(async () => {
  uninstall();
  await suite.close();
});

describe('identity’s audit log (issue 14)', () => {
  it('records a login, a failed one (no e-mail, no password) and the throttle’s refusal', async () => {
    const ok = await suite.run<{ login: { viewer: { person: { id: string } } } }>(LOGIN, {
      input: { email: 'operatore@balestrate.demo', password: DEMO_PASSWORD },
    });
    const id = ok.data!.login.viewer.person.id;
    expect((await lastRows(1))[0]).toEqual({
      organisation_id: null,
      actor: `person:${id}`,
      action: 'LOGIN',
      subject: `person:${id}`,
    });

    const password = 'not-the-password-42';
    const email = 'Cassa@DaRosa.demo';
    // Wrong passwords until the throttle makes this client wait (after the free failures).
    const codes: unknown[] = [];
    while (codes.length < 20 && codes.at(-1) !== 'RATE_LIMITED') {
      codes.push(errorCode(await suite.run(LOGIN, { input: { email, password } })));
    }
    expect(codes.at(-1)).toBe('RATE_LIMITED');
    expect(codes.slice(0, -1).every((c) => c === 'UNAUTHENTICATED')).toBe(true);
    expect(codes.length).toBeGreaterThan(5);
    const [throttled, failed] = await lastRows(2);
    const subject = suite.services.audit.emailSubject('cassa@darosa.demo');
    expect(throttled).toEqual({
      organisation_id: null,
      actor: 'anonymous',
      action: 'LOGIN_THROTTLED',
      subject,
    });
    expect(failed).toMatchObject({ action: 'LOGIN_FAILED', subject });
    const leaks = await suite.sql<{ n: string }>(
      `select count(*) as n from "identity"."audit_event"
       where position(? in lower("subject" || "actor")) > 0 or position(? in "subject" || "actor") > 0`,
      ['darosa', password],
    );
    expect(Number(leaks[0]!.n)).toBe(0);
    // Bad input is no login attempt: nothing written.
    const before = await suite.count('audit_event');
    expect(errorCode(await suite.run(LOGIN, { input: { email: 'x', password } }))).toBe(
      'BAD_USER_INPUT',
    );
    expect(await suite.count('audit_event')).toBe(before);
  });

  it('records an organisation created and a membership invited and activated', async () => {
    const created = await suite.run<{ createOrganisation: { id: string } }>(
      `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`,
      { input: { kind: 'MERCHANT', name: 'Forno Audit', taxCode: '01234567897' } },
      admin,
    );
    expect(created.errors).toBeUndefined();
    const orgId = created.data!.createOrganisation.id;
    expect((await lastRows(1))[0]).toEqual({
      organisation_id: orgId,
      actor: `person:${(admin as { personId: string }).personId}`,
      action: 'CREATE_ORGANISATION',
      subject: `organisation:${orgId}`,
    });

    const invited = await suite.run<{
      inviteMember: { token: string; membership: { id: string } };
    }>(
      `mutation($input: InviteMemberInput!) { inviteMember(input: $input) { token membership { id } } }`,
      {
        input: {
          organisationId: BALESTRATE,
          email: 'nuovo@balestrate.demo',
          givenName: 'Nuovo',
          familyName: 'Operatore',
          role: 'OPERATOR',
        },
      },
      manager,
    );
    expect(invited.errors).toBeUndefined();
    const membershipId = invited.data!.inviteMember.membership.id;
    expect((await lastRows(1))[0]).toEqual({
      organisation_id: BALESTRATE,
      actor: `person:${(manager as { personId: string }).personId}`,
      action: 'INVITE_MEMBER',
      subject: `membership:${membershipId}:OPERATOR`,
    });
    const accepted = await suite.run<{ acceptInvitation: { viewer: { person: { id: string } } } }>(
      `mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { viewer { person { id } } } }`,
      { input: { token: invited.data!.inviteMember.token, password: 'operatore nuovo 2026' } },
    );
    expect(accepted.errors).toBeUndefined();
    expect((await lastRows(1))[0]).toEqual({
      organisation_id: BALESTRATE,
      actor: `person:${accepted.data!.acceptInvitation.viewer.person.id}`,
      action: 'ACTIVATE_MEMBERSHIP',
      subject: `membership:${membershipId}:OPERATOR`,
    });
  });

  it('records a cross-tenant invitation refused, although the request fails', async () => {
    const result = await suite.run(
      `mutation($input: InviteMemberInput!) { inviteMember(input: $input) { token } }`,
      {
        input: {
          organisationId: BALESTRATE,
          email: 'intruso@darosa.demo',
          givenName: 'In',
          familyName: 'Truso',
          role: 'OPERATOR',
        },
      },
      owner,
    );
    expect(errorCode(result)).toBe('FORBIDDEN');
    await suite.services.audit.settled();
    expect((await lastRows(1))[0]).toEqual({
      organisation_id: BALESTRATE,
      actor: `person:${(owner as { personId: string }).personId}`,
      action: 'TENANCY_REFUSED',
      subject: `organisation:${BALESTRATE}`,
    });
  });

  it('shows the Comune’s manager its events only, the admin every event, refuses the rest', async () => {
    type Data = {
      identityAuditEvents: { events: { organisationId: string | null; action: string }[] };
    };
    const mine = await suite.run<Data>(EVENTS, { filter: { organisationId: BALESTRATE } }, manager);
    expect(mine.errors).toBeUndefined();
    const events = mine.data!.identityAuditEvents.events;
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(['INVITE_MEMBER', 'ACTIVATE_MEMBERSHIP', 'TENANCY_REFUSED']),
    );
    expect(events.every((e) => e.organisationId === BALESTRATE)).toBe(true);
    const all = await suite.run<Data>(EVENTS, { filter: { action: 'LOGIN' } }, admin);
    expect(all.data!.identityAuditEvents.events.length).toBeGreaterThan(0);
    for (const [caller, filter] of [
      [operator, { organisationId: BALESTRATE }],
      [owner, { organisationId: BALESTRATE }],
      [manager, {}],
      [ANONYMOUS, {}],
    ] as const) {
      expect(['FORBIDDEN', 'UNAUTHENTICATED']).toContain(
        errorCode(await suite.run(EVENTS, { filter }, caller)),
      );
    }
    expect(errorCode(await suite.run(`{ identityAuditChain { ok } }`, {}, manager))).toBe(
      'FORBIDDEN',
    );
  });
});

describe('the audit sealer’s migration', () => {
  it('goes down (sealing what is left, platform-level rows too) and up with the chain intact', async () => {
    const audit = suite.services.audit;
    await audit.record(suite.orm.em.fork(), 'anonymous', null, 'LOGIN_FAILED', 'email:sealer');
    const count = async () =>
      Number(
        (await suite.sql<{ n: string }>(`select count(*) as n from "identity"."audit_event"`))[0]!
          .n,
      );
    const unsealed = await suite.sql(`select 1 from "identity"."audit_event" where "hash" is null`);
    expect(unsealed.length).toBeGreaterThan(0);
    const migrator = suite.orm.getMigrator();
    await migrator.down({ to: 'Migration20261206154133_login_guard' });
    // The old trigger again (chained at once, under its lock).
    await audit.record(suite.orm.em.fork(), 'anonymous', null, 'LOGIN_FAILED', 'email:old');
    await migrator.up();
    expect(
      await suite.sql(`select 1 from "identity"."audit_event" where "hash" is null`),
    ).toHaveLength(0);
    expect(await audit.verifyChain(suite.orm.em.fork())).toEqual({
      rows: await count(),
      brokenAt: undefined,
    });
    // And the sealer carries on from there.
    await audit.record(suite.orm.em.fork(), 'anonymous', null, 'LOGIN_FAILED', 'email:new');
    expect(await audit.seal(suite.orm.em.fork())).toMatchObject({ sealed: 1, skipped: 0 });
    expect(await audit.verifyChain(suite.orm.em.fork())).toEqual({
      rows: await count(),
      brokenAt: undefined,
    });
  });
});
