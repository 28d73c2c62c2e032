import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accredit, CREATE, offerInput, PUBLISH, UPDATE, WITHDRAW } from './offer-fixtures.js';
import {
  ADMIN,
  COMUNE_A,
  COMUNE_B,
  PROVIDER_P,
  PROVIDER_Q,
  errorCode,
  member,
  setupSuite,
  type Suite,
} from './helpers.js';

let suite: Suite;
const em = () => suite.orm.em.fork();
const adminP = member(PROVIDER_P, 'COOPERATIVE', 'ADMIN');
const adminQ = member(PROVIDER_Q, 'ASSOCIATION', 'ADMIN');
const managerA = member(COMUNE_A, 'COMUNE', 'MANAGER');
const operatorA = member(COMUNE_A, 'COMUNE', 'OPERATOR');
const managerB = member(COMUNE_B, 'COMUNE', 'MANAGER');

interface Row {
  organisation_id: string | null;
  actor: string;
  action: string;
  subject: string;
}
const lastRows = (n: number) =>
  suite.sql<Row>(
    `select "organisation_id", "actor", "action", "subject" from "third_sector"."audit_event" order by "seq" desc limit ?`,
    [n],
  );

/** A SUBMITTED request of the provider to the Comune, straight in the table. */
async function submitted(providerId: string, comuneId: string): Promise<string> {
  const id = randomUUID();
  await suite.sql(
    `insert into third_sector.accreditation_request (id, provider_id, comune_id, status, submitted_at, created_by)
     values (?, ?, ?, 'SUBMITTED', now(), ?)`,
    [id, providerId, comuneId, randomUUID()],
  );
  return id;
}

beforeAll(async () => {
  suite = await setupSuite('audit');
});
afterAll(() => suite.close());

describe('the third sector’s audit log (issue 14)', () => {
  it('records the Comune’s accreditation decisions: accredit, suspend, reinstate, reject', async () => {
    const actor = `person:${managerA.personId}`;
    const id = await submitted(PROVIDER_P, COMUNE_A);
    const accreditations = suite.services.accreditations;
    await accreditations.decide(em(), managerA, id, {
      outcome: 'ACCREDITED',
      reason: 'Requisiti verificati',
      validUntil: `${new Date().getFullYear() + 2}-12-31`,
    });
    expect((await lastRows(1))[0]).toEqual({
      organisation_id: COMUNE_A,
      actor,
      action: 'ACCREDIT_PROVIDER',
      subject: `accreditation:${id}`,
    });
    await accreditations.suspend(em(), managerA, id, 'Verifica in corso');
    expect((await lastRows(1))[0]).toMatchObject({ action: 'SUSPEND_ACCREDITATION', actor });
    await accreditations.reinstate(em(), managerA, id, 'Verifica conclusa');
    expect((await lastRows(1))[0]).toMatchObject({ action: 'REINSTATE_ACCREDITATION', actor });
    const other = await submitted(PROVIDER_Q, COMUNE_A);
    await accreditations.decide(em(), managerA, other, {
      outcome: 'REJECTED',
      reason: 'Documenti mancanti',
    });
    expect((await lastRows(1))[0]).toEqual({
      organisation_id: COMUNE_A,
      actor,
      action: 'REJECT_ACCREDITATION',
      subject: `accreditation:${other}`,
    });
  });

  it('records an offer created, edited, published and withdrawn under its Comune', async () => {
    await accredit(suite, PROVIDER_P, COMUNE_B);
    const created = await suite.run<{ createOffer: { id: string } }>(
      CREATE,
      { providerId: PROVIDER_P, comuneId: COMUNE_B, input: offerInput() },
      adminP,
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.createOffer.id;
    await suite.run(UPDATE, { id, input: offerInput({ title: 'Doposcuola' }) }, adminP);
    await suite.run(PUBLISH, { id }, adminP);
    await suite.run(WITHDRAW, { id }, adminP);
    const rows = await lastRows(4);
    expect(rows.reverse()).toEqual(
      ['CREATE_OFFER', 'EDIT_OFFER', 'PUBLISH_OFFER', 'WITHDRAW_OFFER'].map((action) => ({
        organisation_id: COMUNE_B,
        actor: `person:${adminP.personId}`,
        action,
        subject: `offer:${id}`,
      })),
    );
  });

  it('records a provider’s cross-tenant attempt, although the request fails', async () => {
    const uninstall = suite.services.audit.watchTenancy(suite.orm.em, {
      error: (err: unknown) => {
        throw err;
      },
    });
    try {
      const result = await suite.run(
        CREATE,
        { providerId: PROVIDER_P, comuneId: COMUNE_A, input: offerInput() },
        adminQ,
      );
      expect(errorCode(result)).toBe('FORBIDDEN');
      await suite.services.audit.settled();
      expect((await lastRows(1))[0]).toEqual({
        organisation_id: PROVIDER_P,
        actor: `person:${adminQ.personId}`,
        action: 'TENANCY_REFUSED',
        subject: `provider:${PROVIDER_P}`,
      });
    } finally {
      uninstall();
    }
  });

  it('shows a Comune’s manager its events only, the admin all, refuses the rest', async () => {
    const EVENTS = `query ($filter: AuditEventFilter) {
      thirdSectorAuditEvents(filter: $filter) { events { organisationId action } } }`;
    type Data = {
      thirdSectorAuditEvents: { events: { organisationId: string | null; action: string }[] };
    };
    const mine = await suite.run<Data>(EVENTS, { filter: { organisationId: COMUNE_A } }, managerA);
    expect(mine.errors).toBeUndefined();
    const events = mine.data!.thirdSectorAuditEvents.events;
    expect(events.length).toBe(4);
    expect(events.every((e) => e.organisationId === COMUNE_A)).toBe(true);
    const all = await suite.run<Data>(EVENTS, {}, ADMIN);
    expect(all.data!.thirdSectorAuditEvents.events.length).toBeGreaterThan(8);
    for (const [caller, filter] of [
      [operatorA, { organisationId: COMUNE_A }],
      [managerB, { organisationId: COMUNE_A }],
      [adminP, { organisationId: PROVIDER_P }],
      [managerA, {}],
    ] as const) {
      expect(errorCode(await suite.run(EVENTS, { filter }, caller))).toBe('FORBIDDEN');
    }
  });
});
