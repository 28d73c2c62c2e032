import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Migration } from '@mikro-orm/migrations';
import { afterAll, beforeAll, beforeEach, describe, expect, it, inject } from 'vitest';
import { createLogger } from '../src/logger.js';
import { openOrm, type MikroORM } from '../src/orm.js';
import {
  backoffDelay,
  enqueueMessage,
  OutboxDispatcher,
  outboxTableSql,
  PermanentDeliveryError,
  PortalTransport,
  type DispatcherSettings,
  type MessageChannel,
  type MessageTransport,
  type NewOutboxMessage,
  type OutgoingMessage,
} from '../src/outbox/index.js';
import { createTestDatabase } from '../src/testing.js';

const SCHEMA = 'outbox_test';
const TABLE = { schema: SCHEMA };
const COMUNE = randomUUID();
const logger = createLogger('outbox-test', 'silent');

let orm: MikroORM;
const rows = () =>
  orm.em
    .fork()
    .execute<{ id: string; status: string; attempts: number; last_error: string | null }[]>(
      `select "id", "status", "attempts", "last_error" from "${SCHEMA}"."message" order by "created_at", "id"`,
    );

beforeAll(async () => {
  const url = await createTestDatabase(inject('postgresServerUrl'), 'kit_outbox');
  class CreateOutbox extends Migration {
    override up(): void {
      for (const statement of outboxTableSql(SCHEMA)) this.addSql(statement);
    }
  }
  orm = await openOrm(
    {
      clientUrl: url,
      schema: SCHEMA,
      entities: [],
      migrations: [{ name: 'Migration20260101000000_outbox', class: CreateOutbox }],
      poolMax: 10,
    },
    { migrate: true },
  );
});
afterAll(() => orm.close());
beforeEach(async () => {
  await orm.em.fork().execute(`delete from "${SCHEMA}"."message"`);
});

function message(over: Partial<NewOutboxMessage> = {}): NewOutboxMessage {
  return {
    comuneId: COMUNE,
    template: 'TEST',
    subjectRef: 'thing:1',
    channel: 'PORTAL',
    recipient: randomUUID(),
    language: 'it',
    subject: 'Oggetto',
    body: 'Testo',
    dedupeKey: null,
    ...over,
  };
}

const SETTINGS: DispatcherSettings = {
  batchSize: 10,
  pollMs: 50,
  maxAttempts: 3,
  retryBaseMs: 1,
  retryMaxMs: 1,
  sendTimeoutMs: 1_000,
};

/** A transport that records what it sends, and fails as told. */
class Recorder implements MessageTransport {
  readonly sent: OutgoingMessage[] = [];
  constructor(
    readonly channel: MessageChannel,
    private readonly fail: (m: OutgoingMessage) => Error | null = () => null,
    private readonly delayMs = 0,
  ) {}
  async send(m: OutgoingMessage) {
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    const err = this.fail(m);
    if (err) throw err;
    this.sent.push(m);
    return { providerId: `p-${m.id}` };
  }
}

function transports(email: MessageTransport): Record<MessageChannel, MessageTransport> {
  return { EMAIL: email, SMS: new Recorder('SMS'), PORTAL: new PortalTransport() };
}

describe('the kit’s outbox', () => {
  it('enqueues in the caller’s transaction: a rollback leaves no message; a dedupe key writes once', async () => {
    await expect(
      orm.em.fork().transactional(async (tx) => {
        await enqueueMessage(tx, TABLE, message());
        throw new Error('the event failed');
      }),
    ).rejects.toThrow('the event failed');
    expect(await rows()).toEqual([]);
    const first = await enqueueMessage(orm.em.fork(), TABLE, message({ dedupeKey: 'k1' }));
    const again = await enqueueMessage(orm.em.fork(), TABLE, message({ dedupeKey: 'k1' }));
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(again).toBeNull();
    expect(await rows()).toHaveLength(1);
  });

  it('refuses a language other than it/en and a bad schema name', async () => {
    await expect(
      enqueueMessage(orm.em.fork(), TABLE, message({ language: 'fr' as 'it' })),
    ).rejects.toThrow(/language/);
    expect(() => outboxTableSql('bad"schema')).toThrow(/Bad schema name/);
  });

  it('sends, retries with backoff and marks FAILED after the last attempt or a permanent refusal', async () => {
    const email = new Recorder('EMAIL', (m) =>
      m.recipient === 'never@x.it'
        ? new PermanentDeliveryError('550 no such user')
        : m.recipient === 'later@x.it'
          ? new Error('421 try again')
          : null,
    );
    const dispatcher = new OutboxDispatcher(orm, TABLE, transports(email), SETTINGS, logger);
    const ok = await enqueueMessage(
      orm.em.fork(),
      TABLE,
      message({ channel: 'EMAIL', recipient: 'ok@x.it' }),
    );
    const never = await enqueueMessage(
      orm.em.fork(),
      TABLE,
      message({ channel: 'EMAIL', recipient: 'never@x.it' }),
    );
    const later = await enqueueMessage(
      orm.em.fork(),
      TABLE,
      message({ channel: 'EMAIL', recipient: 'later@x.it' }),
    );
    expect(await dispatcher.dispatchOnce()).toEqual({ claimed: 3, sent: 1, retried: 1, failed: 1 });
    const byId = async () => new Map((await rows()).map((r) => [r.id, r]));
    let now = await byId();
    expect(now.get(ok!)).toMatchObject({ status: 'SENT', attempts: 1 });
    expect(now.get(never!)).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(now.get(later!)).toMatchObject({
      status: 'PENDING',
      attempts: 1,
      last_error: '421 try again',
    });
    await new Promise((r) => setTimeout(r, 5));
    await dispatcher.dispatchOnce();
    await new Promise((r) => setTimeout(r, 5));
    expect(await dispatcher.dispatchOnce()).toEqual({ claimed: 1, sent: 0, retried: 0, failed: 1 });
    now = await byId();
    expect(now.get(later!)).toMatchObject({ status: 'FAILED', attempts: 3 });
    // Nothing is due any more.
    expect(await dispatcher.dispatchOnce()).toEqual({ claimed: 0, sent: 0, retried: 0, failed: 0 });
    expect(email.sent.map((m) => m.recipient)).toEqual(['ok@x.it']);
    expect(backoffDelay(1, 100, 1_000)).toBe(100);
    expect(backoffDelay(3, 100, 1_000)).toBe(400);
    expect(backoffDelay(30, 100, 1_000)).toBe(1_000);
  });

  it('two dispatchers at once send each message exactly once', async () => {
    const email = new Recorder('EMAIL', () => null, 5);
    for (let i = 0; i < 60; i++) {
      await enqueueMessage(
        orm.em.fork(),
        TABLE,
        message({ channel: 'EMAIL', recipient: `r${i}@x.it` }),
      );
    }
    const a = new OutboxDispatcher(
      orm,
      TABLE,
      transports(email),
      { ...SETTINGS, batchSize: 7 },
      logger,
    );
    const b = new OutboxDispatcher(
      orm,
      TABLE,
      transports(email),
      { ...SETTINGS, batchSize: 7 },
      logger,
    );
    const drain = async (d: OutboxDispatcher) => {
      while ((await d.dispatchOnce()).claimed > 0);
    };
    await Promise.all([drain(a), drain(b), drain(a)]);
    expect(email.sent).toHaveLength(60);
    expect(new Set(email.sent.map((m) => m.id)).size).toBe(60);
    expect((await rows()).every((r) => r.status === 'SENT' && r.attempts === 1)).toBe(true);
  });
});
