import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Migration } from '@mikro-orm/migrations';
import { afterAll, beforeAll, beforeEach, describe, expect, it, inject } from 'vitest';
import { requireComuneStaff, requireProviderAdmin } from '../src/access.js';
import { AuditLog, auditLogSql, TENANCY_REFUSED } from '../src/audit/index.js';
import type { PersonCaller } from '../src/caller.js';
import { openOrm, type MikroORM } from '../src/orm.js';
import { createTestDatabase } from '../src/testing.js';
import { rejection } from './book-helpers.js';

const SCHEMA = 'audit_test';
/** The sealer's tests' own log (the first describe leaves a chain broken on purpose). */
const SEALER_SCHEMA = 'audit_sealer_test';
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
      for (const schema of [SCHEMA, SEALER_SCHEMA]) {
        if (schema !== SCHEMA) this.addSql(`create schema if not exists "${schema}"`);
        for (const statement of auditLogSql(schema, 'organisation_id')) this.addSql(statement);
      }
    }
  }
  orm = await openOrm(
    {
      clientUrl: url,
      schema: SCHEMA,
      entities: [],
      migrations: [{ name: 'Migration20260101000000_audit', class: CreateAudit }],
      poolMax: 10,
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
    // Appended unsealed, outside the chain until the sealer's pass.
    expect(await log.verifyChain(em)).toEqual({ rows: 0, brokenAt: undefined });
    expect(await log.seal(em)).toEqual({ sealed: 3, skipped: 0, more: false });
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
    await log.seal(em);
    const intact = await log.checkAndStore(em);
    expect(intact.brokenAt).toBeNull();
    expect(await log.status(em, ADMIN)).toMatchObject({
      rows: intact.rows,
      brokenAt: null,
      unsealedFrom: null,
    });
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

const sealerLog = new AuditLog<'PAY'>({ schema: SEALER_SCHEMA, tenantColumn: 'organisation_id' });

/** A transaction that appends one event and stays open until told to commit or roll back. */
function openAppend(subject: string) {
  let decide!: (commit: boolean) => void;
  const decision = new Promise<boolean>((resolve) => (decide = resolve));
  let appended!: () => void;
  const ready = new Promise<void>((resolve) => (appended = resolve));
  const done = orm.em.fork().transactional(async (tx) => {
    await sealerLog.record(tx, 'person:c', COMUNE, 'PAY', subject);
    appended();
    if (!(await decision)) throw new Error('rolled back');
  });
  return {
    ready,
    commit: async () => {
      decide(true);
      await done;
    },
    rollBack: async () => {
      decide(false);
      await rejection(() => done);
    },
  };
}

interface Sealed {
  seq: string;
  subject: string;
  prev_hash: string | null;
  hash: string | null;
}
const rowsOf = (subjects: string[]) =>
  sql<Sealed>(
    `select "seq", "subject", "prev_hash", "hash" from "${SEALER_SCHEMA}"."audit_event"
     where "subject" = any(?::text[]) order by "seq"`,
    [`{${subjects.join(',')}}`],
  );
const gaps = () =>
  sql<{ seq: string }>(`select "seq" from "${SEALER_SCHEMA}"."audit_event_gap" order by "seq"`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const HOUR = 3_600_000;
/**
 * Seals everything committed, skipping at once the numbers of inserts rolled back by the tests
 * before (none is under way between two tests).
 */
const sealAll = async () => {
  await sleep(20);
  await sealerLog.seal(orm.em.fork(), 10);
};

describe('the sealer', () => {
  beforeEach(sealAll);

  it('lets appends run at once, and seals only the committed prefix, in seq order', async () => {
    const first = openAppend('order:1');
    await first.ready;
    // A second writer neither waits for the first (no lock) nor gets sealed before it.
    const second = openAppend('order:2');
    await second.ready;
    await Promise.race([
      second.commit(),
      sleep(5_000).then(() => {
        throw new Error('the second append waited for the first transaction');
      }),
    ]);
    expect(await sealerLog.seal(orm.em.fork(), HOUR)).toMatchObject({ sealed: 0 });
    expect((await rowsOf(['order:2']))[0]!.hash).toBeNull();
    await first.commit();
    expect(await sealerLog.seal(orm.em.fork(), HOUR)).toEqual({
      sealed: 2,
      skipped: 0,
      more: false,
    });
    const [one, two] = await rowsOf(['order:1', 'order:2']);
    expect(Number(one!.seq)).toBeLessThan(Number(two!.seq));
    expect(two!.prev_hash).toBe(one!.hash);
    expect((await sealerLog.verifyChain(orm.em.fork())).brokenAt).toBeUndefined();
  });

  it('ends with every row of writers on several connections, committing out of order, sealed', async () => {
    const subjects = Array.from({ length: 6 }, (_, i) => `many:${i}`);
    const appends = subjects.map(openAppend);
    await Promise.all(appends.map((a) => a.ready));
    // Commit in reverse order of their numbers, sealing between the commits.
    const sealer = orm.em.fork();
    for (const append of [...appends].reverse()) {
      await append.commit();
      await sealerLog.seal(sealer, HOUR);
    }
    const rows = await rowsOf(subjects);
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => r.hash !== null)).toBe(true);
    for (let i = 1; i < rows.length; i += 1) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    const check = await sealerLog.checkAndStore(orm.em.fork(), HOUR);
    expect(check).toMatchObject({ brokenAt: null, unsealedFrom: null, unsealedRows: 0 });
  });

  it('skips the number of a rolled-back insert after the grace period, and verifies', async () => {
    const lost = openAppend('lost');
    await lost.ready;
    const [{ seq: lostSeq }] = (await orm.em
      .fork()
      .execute<{ seq: string }[]>(
        `select last_value::text as seq from "${SEALER_SCHEMA}"."audit_event_seq_seq"`,
      )) as [{ seq: string }];
    await lost.rollBack();
    await sealerLog.record(orm.em.fork(), 'person:d', COMUNE, 'PAY', 'after-lost');
    // Within the grace period the missing number may be an insert under way: the sealer waits.
    expect(await sealerLog.seal(orm.em.fork(), HOUR)).toEqual({
      sealed: 0,
      skipped: 0,
      more: false,
    });
    await sleep(300);
    expect(await sealerLog.seal(orm.em.fork(), 200)).toEqual({
      sealed: 1,
      skipped: 1,
      more: false,
    });
    expect((await gaps()).map((g) => g.seq)).toContain(lostSeq);
    expect((await rowsOf(['after-lost']))[0]!.hash).not.toBeNull();
    expect((await sealerLog.verifyChain(orm.em.fork())).brokenAt).toBeUndefined();
    // A number missing without a record of its skip is a hole in the chain.
    const [after] = await rowsOf(['after-lost']);
    await sql(`alter table "${SEALER_SCHEMA}"."audit_event_gap" disable trigger user`);
    try {
      await sql(`delete from "${SEALER_SCHEMA}"."audit_event_gap" where "seq" = ?`, [lostSeq]);
      expect((await sealerLog.verifyChain(orm.em.fork())).brokenAt).toBe(Number(after!.seq));
      await sql(`insert into "${SEALER_SCHEMA}"."audit_event_gap" ("seq") values (?)`, [lostSeq]);
    } finally {
      await sql(`alter table "${SEALER_SCHEMA}"."audit_event_gap" enable trigger user`);
    }
    expect((await sealerLog.verifyChain(orm.em.fork())).brokenAt).toBeUndefined();
    expect(
      String(await rejection(() => sql(`delete from "${SEALER_SCHEMA}"."audit_event_gap"`))),
    ).toMatch(/append-only/);
  });

  it('refuses every UPDATE but a row’s first seal', async () => {
    await sealerLog.record(orm.em.fork(), 'person:e', COMUNE, 'PAY', 'update-me');
    const [row] = await rowsOf(['update-me']);
    const table = `"${SEALER_SCHEMA}"."audit_event"`;
    const refused = [
      // Changing the content of an unsealed row, with or without a seal.
      [`update ${table} set "actor" = 'x' where "seq" = ?`],
      [`update ${table} set "actor" = 'x', "prev_hash" = 'a', "hash" = 'b' where "seq" = ?`],
      // Half a seal.
      [`update ${table} set "hash" = 'b' where "seq" = ?`],
    ];
    for (const [statement] of refused) {
      expect(String(await rejection(() => sql(statement!, [row!.seq])))).toMatch(/append-only/);
    }
    await sealerLog.seal(orm.em.fork());
    const [sealed] = await rowsOf(['update-me']);
    expect(sealed!.hash).not.toBeNull();
    // A second seal, or unsealing.
    for (const statement of [
      `update ${table} set "prev_hash" = 'a', "hash" = 'b' where "seq" = ?`,
      `update ${table} set "prev_hash" = null, "hash" = null where "seq" = ?`,
    ]) {
      expect(String(await rejection(() => sql(statement, [row!.seq])))).toMatch(/append-only/);
    }
    expect((await rowsOf(['update-me']))[0]).toEqual(sealed);
  });

  it('reports a row left unsealed past the limit, as a row committed after its number was skipped', async () => {
    const late = openAppend('late');
    await late.ready;
    await sealerLog.record(orm.em.fork(), 'person:f', COMUNE, 'PAY', 'on-time');
    await sleep(300);
    // The sealer takes the open insert for rolled back and seals past it; then it commits.
    expect(await sealerLog.seal(orm.em.fork(), 200)).toMatchObject({ sealed: 1, skipped: 1 });
    await late.commit();
    expect(await sealerLog.seal(orm.em.fork(), 200)).toMatchObject({ sealed: 0 });
    const [lateRow] = await rowsOf(['late']);
    expect(lateRow!.hash).toBeNull();
    // The chain itself is intact; the row outside it is the alert.
    const status = await sealerLog.checkAndStore(orm.em.fork(), 100);
    expect(status).toMatchObject({
      brokenAt: null,
      unsealedFrom: Number(lateRow!.seq),
      unsealedRows: 1,
    });
    expect(await sealerLog.status(orm.em.fork(), ADMIN)).toMatchObject({
      unsealedFrom: Number(lateRow!.seq),
    });
    // Not yet past a longer limit.
    expect(await sealerLog.checkAndStore(orm.em.fork(), HOUR)).toMatchObject({
      unsealedFrom: null,
    });
  });

  it('finds a sealed row tampered with after sealing', async () => {
    await sealerLog.record(orm.em.fork(), 'person:g', COMUNE, 'PAY', 'tamper-me');
    await sealerLog.record(orm.em.fork(), 'person:g', COMUNE, 'PAY', 'tamper-next');
    await sealerLog.seal(orm.em.fork());
    const [victim] = await rowsOf(['tamper-me']);
    expect(victim!.hash).not.toBeNull();
    await sql(`alter table "${SEALER_SCHEMA}"."audit_event" disable trigger user`);
    try {
      await sql(`update "${SEALER_SCHEMA}"."audit_event" set "subject" = 'other' where "seq" = ?`, [
        victim!.seq,
      ]);
    } finally {
      await sql(`alter table "${SEALER_SCHEMA}"."audit_event" enable trigger user`);
    }
    expect((await sealerLog.verifyChain(orm.em.fork())).brokenAt).toBe(Number(victim!.seq));
  });
});
