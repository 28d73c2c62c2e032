// Issue 11: the money reconciliation through the gateway. A MANAGER of the Comune (or a platform
// admin) runs it and reads its latest run; operators, other Comuni, citizens and anonymous callers
// are refused and store nothing; platform admins read the alerts of the Comuni whose check failed.
import { partitaIvaCheckDigit } from '@welfare/kit/pii';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_CITIZEN,
  DEMO_COMUNE_ID,
  DEMO_PASSWORD,
  DEMO_SPENDING_CAMPAIGN_ID,
  demoEmail,
} from '../support/demo.js';
import { gql, login, type GraphQLResponse } from '../support/graphql.js';
import { citizenToken } from '../support/citizen.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import {
  ALERTS,
  LATEST,
  RECONCILE,
  creditedApplication,
  setApplicationStatus,
  storedRuns,
  type ReconciliationRun,
} from '../support/reconciliation.js';

/** The demo Comune (Comune di Balestrate) and its campaign whose cards hold credit. */
const COMUNE = DEMO_COMUNE_ID;
const SPENDING_CAMPAIGN = DEMO_SPENDING_CAMPAIGN_ID;
const OTHER_MANAGER = {
  email: 'responsabile@altro-comune-conti.demo',
  password: 'password-conti-federation-2026',
};

describe('the money reconciliation through the gateway', () => {
  let platform: TestPlatform;
  let gateway: string;
  let db: pg.Client;
  let manager = '';
  let operator = '';
  let admin = '';
  let citizen = '';
  let otherManager = '';
  let otherComune = '';

  const call = <T>(query: string, token?: string, variables: Record<string, unknown> = {}) =>
    gql<T>(gateway, query, variables, token ? { token } : {});
  const reconcile = (token?: string, comuneId = COMUNE) =>
    call<{ reconcileMoney: ReconciliationRun }>(RECONCILE, token, { c: comuneId });
  const latest = (token?: string, comuneId = COMUNE) =>
    call<{ moneyReconciliation: ReconciliationRun | null }>(LATEST, token, { c: comuneId });
  const alerts = (token?: string) =>
    call<{ moneyReconciliationAlerts: ReconciliationRun[] }>(ALERTS, token);
  const code = (answer: GraphQLResponse<unknown>) => answer.errors?.[0]?.extensions?.code;

  /** A Comune created by the platform admin, with a MANAGER who accepted the invitation. */
  async function createOtherComune(): Promise<{ id: string; token: string }> {
    const taxCode = `0087654323${partitaIvaCheckDigit('0087654323')}`;
    const created = await call<{ createOrganisation: { id: string } }>(
      `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`,
      admin,
      { input: { kind: 'COMUNE', name: 'Comune dei Conti', taxCode, city: 'Prova' } },
    );
    const id = created.data?.createOrganisation.id;
    expect(id, JSON.stringify(created.errors)).toBeTruthy();
    const invited = await call<{ inviteMember: { token: string } }>(
      `mutation($input: InviteMemberInput!) { inviteMember(input: $input) { token } }`,
      admin,
      {
        input: {
          organisationId: id,
          email: OTHER_MANAGER.email,
          givenName: 'Carla',
          familyName: 'Conti',
          role: 'MANAGER',
        },
      },
    );
    expect(invited.errors, JSON.stringify(invited.errors)).toBeUndefined();
    const accepted = await call<{ acceptInvitation: { token: string } }>(
      `mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { token } }`,
      undefined,
      { input: { token: invited.data!.inviteMember.token, password: OTHER_MANAGER.password } },
    );
    expect(accepted.errors, JSON.stringify(accepted.errors)).toBeUndefined();
    return { id: id!, token: accepted.data!.acceptInvitation.token };
  }

  beforeAll(async () => {
    platform = await startTestPlatform();
    gateway = platform.urls.gateway;
    db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    const managerLogin = await login(gateway, demoEmail('COMUNE', 'MANAGER'), DEMO_PASSWORD);
    manager = managerLogin.token;
    expect(managerLogin.viewer.memberships.map((m) => m.organisation.id)).toContain(COMUNE);
    operator = (await login(gateway, demoEmail('COMUNE', 'OPERATOR'), DEMO_PASSWORD)).token;
    admin = (await login(gateway, demoEmail('ADMIN'), DEMO_PASSWORD)).token;
    citizen = await citizenToken(platform, DEMO_CITIZEN.fiscalCode);
    ({ id: otherComune, token: otherManager } = await createOtherComune());
  });
  afterAll(async () => {
    await db?.end();
    await platform?.close();
  });

  it("a manager of the Comune runs it on the demo's clean money (ok) and reads it as the latest run", async () => {
    const before = await storedRuns(db, COMUNE, 'ON_DEMAND');
    const run = await reconcile(manager);
    expect(run.errors, JSON.stringify(run.errors)).toBeUndefined();
    const report = run.data!.reconcileMoney;
    expect(report).toMatchObject({
      comuneId: COMUNE,
      trigger: 'ON_DEMAND',
      ok: true,
      problems: [],
    });
    expect(Date.now() - Date.parse(report.ranAt)).toBeLessThan(60_000);
    expect(await storedRuns(db, COMUNE, 'ON_DEMAND')).toBe(before + 1);
    const stored = await db.query<{ ok: boolean; problem_count: number }>(
      'select ok, problem_count from public_welfare.money_reconciliation where id = $1',
      [report.id],
    );
    expect(stored.rows).toEqual([{ ok: true, problem_count: 0 }]);

    const read = await latest(manager);
    expect(read.errors, JSON.stringify(read.errors)).toBeUndefined();
    expect(read.data!.moneyReconciliation).toEqual(report);
  });

  it('refuses operators, another Comune’s manager, citizens and anonymous callers, and stores nothing', async () => {
    const latestId = (await latest(manager)).data?.moneyReconciliation?.id;
    expect(latestId).toBeTruthy();
    const before = await storedRuns(db, COMUNE);

    const refused: [string, string | undefined, string][] = [
      ['operator', operator, 'FORBIDDEN'],
      ['another Comune’s manager', otherManager, 'FORBIDDEN'],
      ['citizen', citizen, 'FORBIDDEN'],
      ['anonymous', undefined, 'UNAUTHENTICATED'],
    ];
    for (const [who, token, expected] of refused) {
      const run = await reconcile(token);
      expect(code(run), `reconcileMoney by ${who}`).toBe(expected);
      expect(run.data?.reconcileMoney ?? null, who).toBeNull();
      const read = await latest(token);
      expect(code(read), `moneyReconciliation by ${who}`).toBe(expected);
      expect(read.data?.moneyReconciliation ?? null, who).toBeNull();
      const all = await alerts(token);
      expect(code(all), `moneyReconciliationAlerts by ${who}`).toBe(expected);
    }
    // Not even a Comune's manager reads the platform's alerts.
    expect(code(await alerts(manager))).toBe('FORBIDDEN');

    expect(await storedRuns(db, COMUNE)).toBe(before);
    expect((await latest(manager)).data?.moneyReconciliation?.id).toBe(latestId);

    // The other manager runs their own Comune's (no money yet: nothing to check, ok).
    const own = await reconcile(otherManager, otherComune);
    expect(own.errors, JSON.stringify(own.errors)).toBeUndefined();
    expect(own.data!.reconcileMoney).toMatchObject({ comuneId: otherComune, ok: true });
    expect(await storedRuns(db, COMUNE)).toBe(before);
  });

  it('a platform admin reads the alerts: the Comune appears while its money does not add up', async () => {
    const clean = await alerts(admin);
    expect(clean.errors, JSON.stringify(clean.errors)).toBeUndefined();
    expect(clean.data!.moneyReconciliationAlerts.map((r) => r.comuneId)).not.toContain(COMUNE);

    const application = await creditedApplication(db, SPENDING_CAMPAIGN);
    expect(application.creditedCents).toBeGreaterThan(0);
    await setApplicationStatus(db, application.id, 'ELIGIBLE_NOT_FUNDED');
    try {
      const failed = await reconcile(manager);
      expect(failed.errors, JSON.stringify(failed.errors)).toBeUndefined();
      const report = failed.data!.reconcileMoney;
      expect(report.ok).toBe(false);
      expect(report.problems).toEqual([
        {
          check: 'CREDIT_ONLY_APPROVED',
          subject: `application:${application.id}`,
          expectedCents: 0,
          actualCents: application.creditedCents,
          messageIt: 'La domanda ha ricevuto credito ma è in stato ELIGIBLE_NOT_FUNDED.',
          messageEn: 'The application received credit but is ELIGIBLE_NOT_FUNDED.',
        },
      ]);
      expect((await latest(manager)).data!.moneyReconciliation).toEqual(report);

      const alerted = (await alerts(admin)).data!.moneyReconciliationAlerts;
      expect(alerted.filter((r) => r.comuneId === COMUNE)).toEqual([report]);
      expect(alerted.map((r) => r.comuneId)).not.toContain(otherComune);
    } finally {
      await setApplicationStatus(db, application.id, 'APPROVED');
    }

    // Restored: the admin runs it too (platform admins may), and the alert is gone.
    const again = await reconcile(admin);
    expect(again.errors, JSON.stringify(again.errors)).toBeUndefined();
    expect(again.data!.reconcileMoney).toMatchObject({ ok: true, problems: [] });
    const after = (await alerts(admin)).data!.moneyReconciliationAlerts;
    expect(after.map((r) => r.comuneId)).not.toContain(COMUNE);
  });
});
