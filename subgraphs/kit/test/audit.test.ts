import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Migration } from '@mikro-orm/migrations';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { requireComuneStaff, requireProviderAdmin } from '../src/access.js';
import { AuditLog, auditLogSql, TENANCY_REFUSED } from '../src/audit/index.js';
import type { PersonCaller } from '../src/caller.js';
import { openOrm, type MikroORM } from '../src/orm.js';
import { createTestDatabase } from '../src/testing.js';
import { rejection } from './book-helpers.js';

const SCHEMA = 'audit_test';
const COMUNE = randomUUID();
const OTHER = randomUUID();

function person(memberships: PersonCaller['memberships'], platformAdmin = false): PersonCaller {
  return {
    kind: 'person',
    personId: randomUUID(),
    sessionId: randomUUID(),
    platformAdmin,
    memberships,
  };
}
const MANAGER = person([{ organisationId: COMUNE, organisationKind: 'COMUNE', role: 'MANAGER' }]);
const OPERATOR = person([{ organisationId: COMUNE, organisationKind: 'COMUNE', role: 'OPERATOR' }]);
const ADMIN = person([], true);

let orm: MikroORM;
const log = new AuditLog<'PAY' | 'READ'>({ schema: SCHEMA, tenantColumn: 'organisation_id' });
const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
  orm.em.fork().execute<T[]>(query, params);

beforeAll(async () => {
  const url = await createTestDatabase(inject('postgresServerUrl'), 'kit_audit');
  class CreateAudit extends Migration {
    override up(): void {
      for (const statement of auditLogSql(SCHEMA, 'organisation_id')) this.addSql(statement);
    }
  }
  orm = await openOrm(
    {
      clientUrl: url,
      schema: SCHEMA,
      entities: [],
      migrations: [{ name: 'Migration20260101000000_audit', class: CreateAudit }],
      poolMax: 5,
    },
    { migrate: true },
  );
});
afterAll(() => orm.close());

describe('the kit’s audit log', () => {
  it('chains every row (a platform-level event has no tenant) and refuses changes', async () => {
    const em = orm.em.fork();
    await log.record(em, 'person:a', COMUNE, 'PAY', 'payment:1');
    await log.record(em, 'anonymous', null, 'READ', 'email:x');
    await log.record(em, 'system', OTHER, 'PAY', 'payment:2');
    expect(await log.verifyChain(em)).toEqual({ rows: 3, brokenAt: undefined });
    expect(
      String(await rejection(() => sql(`update "${SCHEMA}"."audit_event" set "actor" = 'x'`))),
    ).toMatch(/append-only/);
    expect(String(await rejection(() => sql(`delete from "${SCHEMA}"."audit_event"`)))).toMatch(
      /append-only/,
    );
    expect(String(await rejection(() => sql(`truncate "${SCHEMA}"."audit_event"`)))).toMatch(
      /append-only/,
    );
  });

  it('keeps a row recorded apart although the request’s transaction rolls back', async () => {
    const before = await log.list(orm.em.fork(), ADMIN, { action: 'READ' });
    await rejection(() =>
      orm.em.fork().transactional(async (tx) => {
        await log.record(tx, 'person:b', COMUNE, 'READ', 'rolled-back');
        log.recordApart(
          tx,
          { actor: 'person:b', organisationId: COMUNE, action: 'READ', subject: 'kept' },
          (err) => {
            throw err;
          },
        );
        throw new Error('the request fails');
      }),
    );
    await log.settled();
    const after = await log.list(orm.em.fork(), ADMIN, { action: 'READ' });
    expect(after.events.length).toBe(before.events.length + 1);
    expect(after.events[0]).toMatchObject({ subject: 'kept', organisationId: COMUNE });
  });

  it('records a cross-tenant refusal of the access checks, not a wrong role at home', async () => {
    const uninstall = log.watchTenancy(orm.em, { error: () => undefined });
    try {
      const stranger = person([
        { organisationId: OTHER, organisationKind: 'COMUNE', role: 'MANAGER' },
      ]);
      expect(() => requireComuneStaff(stranger, COMUNE)).toThrow();
      expect(() => requireProviderAdmin(OPERATOR, COMUNE)).toThrow();
      await log.settled();
      const page = await log.list(orm.em.fork(), MANAGER, {
        organisationId: COMUNE,
        action: TENANCY_REFUSED,
      });
      expect(page.events).toHaveLength(1);
      expect(page.events[0]).toMatchObject({
        actor: `person:${stranger.personId}`,
        subject: `comune:${COMUNE}`,
      });
    } finally {
      uninstall();
    }
  });

  it('reads newest first with filters and pages; a manager reads only their Comune', async () => {
    const em = orm.em.fork();
    for (let i = 0; i < 5; i += 1) await log.record(em, 'person:p', COMUNE, 'PAY', `page:${i}`);
    const first = await log.list(em, MANAGER, {
      organisationId: COMUNE,
      actor: 'person:p',
      first: 3,
    });
    expect(first.events.map((e) => e.subject)).toEqual(['page:4', 'page:3', 'page:2']);
    const second = await log.list(em, MANAGER, {
      organisationId: COMUNE,
      actor: 'person:p',
      first: 3,
      after: first.nextCursor,
    });
    expect(second.events.map((e) => e.subject)).toEqual(['page:1', 'page:0']);
    expect(second.nextCursor).toBeNull();
    const none = await log.list(em, MANAGER, {
      organisationId: COMUNE,
      from: new Date(Date.now() + 60_000),
    });
    expect(none.events).toEqual([]);
    expect((await log.list(em, ADMIN, { subject: 'payment:2' })).events[0]?.organisationId).toBe(
      OTHER,
    );
    // Only the Comune's MANAGER or a platform admin; everyone reading everything is an admin.
    for (const [caller, query] of [
      [OPERATOR, { organisationId: COMUNE }],
      [MANAGER, { organisationId: OTHER }],
      [MANAGER, {}],
    ] as const) {
      expect(await rejection(() => log.list(em, caller, query))).toMatchObject({
        code: 'FORBIDDEN',
      });
    }
    expect(await rejection(() => log.list(em, ADMIN, { first: 0, after: 'x' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
    });
  });

  it('finds a row changed behind the trigger’s back and stores the alert', async () => {
    const em = orm.em.fork();
    const intact = await log.checkAndStore(em);
    expect(intact.brokenAt).toBeNull();
    expect(await log.status(em, ADMIN)).toMatchObject({ rows: intact.rows, brokenAt: null });
    const [victim] = await sql<{ seq: string }>(
      `select "seq" from "${SCHEMA}"."audit_event" order by "seq" limit 1 offset 2`,
    );
    // As the database's superuser: the append-only triggers switched off, one row rewritten.
    await sql(`alter table "${SCHEMA}"."audit_event" disable trigger user`);
    await sql(
      `update "${SCHEMA}"."audit_event" set "actor" = 'person:someone-else' where "seq" = ?`,
      [victim!.seq],
    );
    await sql(`alter table "${SCHEMA}"."audit_event" enable trigger user`);
    const broken = await log.checkAndStore(em);
    expect(broken.brokenAt).toBe(Number(victim!.seq));
    expect(await log.status(em, ADMIN)).toMatchObject({ brokenAt: Number(victim!.seq) });
    expect(await rejection(() => log.status(em, MANAGER))).toMatchObject({ code: 'FORBIDDEN' });
  });
});
