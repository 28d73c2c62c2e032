import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ConfigError, createLogger } from '@welfare/kit';
import { openOrm } from '@welfare/kit/orm';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadPublicWelfareConfig } from '../src/config.js';
import {
  MessageDispatcher,
  backoffDelay,
  safeErrorText,
  type DispatcherSettings,
} from '../src/modules/messages/dispatcher.js';
import type { MessageChannel, MessageStatus } from '../src/modules/messages/message.entity.js';
import type { NotifyInput } from '../src/modules/messages/message.service.js';
import {
  NOT_DELIVERED_NOTE,
  PortalTransport,
  SmsTransport,
  SmtpTransport,
  createTransports,
  deliverySecrets,
  type MessageTransport,
  type OutgoingMessage,
} from '../src/modules/messages/transports.js';
import { publicWelfareOrmSettings } from '../src/orm.js';
import { COMUNE_A, setupSuite, type Suite } from './helpers.js';

const logger = createLogger('messages-test', 'silent');

const SMTP_USER = 'welfare-mailer';
const SMTP_PASSWORD = 'S3cretMailPassw0rd';
const SMTP_FROM = 'Comune di Prova <noreply@comune.prova.it>';
const SMS_API_KEY = 'sms-key-7f3a9c1e5b2d8f40';

let suite: Suite;

beforeAll(async () => {
  suite = await setupSuite('messages_delivery');
});
afterAll(() => suite.close());
beforeEach(async () => {
  await suite.orm.em.getConnection().execute(`delete from "public_welfare"."message"`);
});

// ---------------------------------------------------------------------------------------------
// Test doubles of the outside world: a real SMTP server and a fake SMS provider over HTTP.

interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  user: string | undefined;
}

interface MailServer {
  port: number;
  received: ReceivedMail[];
  close(): Promise<void>;
}

async function startMailServer(options: Partial<SMTPServerOptions> = {}): Promise<MailServer> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: false,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) {
        callback(null, { user: auth.username });
      } else {
        callback(new Error('Invalid username or password'));
      }
    },
    onRcptTo(address, _session, callback) {
      if (address.address.endsWith('@unknown.test')) {
        const err = new Error('No such user here') as Error & { responseCode: number };
        err.responseCode = 550;
        callback(err);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          user: typeof session.user === 'string' ? session.user : undefined,
        });
        callback();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface SmsRequest {
  headers: IncomingMessage['headers'];
  body: unknown;
}

interface SmsProvider {
  url: string;
  requests: SmsRequest[];
  /** The status of each next answer, in order; 200 once the list is used up. */
  statuses: number[];
  close(): Promise<void>;
}

async function startSmsProvider(): Promise<SmsProvider> {
  const provider: Omit<SmsProvider, 'url' | 'close'> = { requests: [], statuses: [] };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      provider.requests.push({
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
      });
      const status = provider.statuses.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      if (status === 200) {
        res.end(JSON.stringify({ id: `sms-${provider.requests.length}` }));
      } else {
        // A careless provider echoing the credentials: they must not reach last_error.
        res.end(JSON.stringify({ error: 'unavailable', auth: req.headers.authorization }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    ...provider,
    url: `http://127.0.0.1:${port}/v1/sms`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Quoted-printable to text (what nodemailer writes for a body with accented letters). */
function decodeQuotedPrintable(text: string): string {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A header of a raw message, unfolded. */
function header(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const line = head
    .split(/\r?\n/)
    .find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

// ---------------------------------------------------------------------------------------------

const SETTINGS: DispatcherSettings = {
  batchSize: 20,
  pollMs: 20,
  maxAttempts: 8,
  retryBaseMs: 1000,
  retryMaxMs: 60_000,
  sendTimeoutMs: 5000,
};

interface Row {
  id: string;
  channel: MessageChannel;
  recipient: string;
  status: MessageStatus;
  attempts: number;
  last_error: string | null;
  sent_at: string | null;
  /** next_attempt_at - now(), in ms. */
  wait_ms: number;
}

async function rows(): Promise<Row[]> {
  const found = await suite.orm.em.getConnection().execute<(Row & { wait_ms: string })[]>(
    `select "id", "channel", "recipient", "status", "attempts", "last_error", "sent_at",
            extract(epoch from ("next_attempt_at" - now())) * 1000 as "wait_ms"
       from "public_welfare"."message" order by "created_at", "channel"`,
  );
  return found.map((r) => ({ ...r, wait_ms: Number(r.wait_ms) }));
}

/** Makes every PENDING message due now (instead of waiting for the backoff). */
async function makeDue(): Promise<void> {
  await suite.orm.em
    .getConnection()
    .execute(
      `update "public_welfare"."message" set "next_attempt_at" = now() where "status" = 'PENDING'`,
    );
}

function received(params: { protocolNumber?: string } = {}) {
  return {
    template: 'APPLICATION_RECEIVED' as const,
    params: {
      protocolNumber: params.protocolNumber ?? '2026/0001',
      campaignTitle: 'Buoni libro',
      submittedAt: new Date('2026-12-07T14:05:09Z'),
      dueBy: '2027-01-06',
    },
  };
}

/** `notify` in a transaction of its own, as a service would call it. */
async function notify(input: Partial<NotifyInput<'APPLICATION_RECEIVED'>>): Promise<number> {
  return suite.orm.em.fork().transactional((em) =>
    suite.services.messages.notify(em, {
      comuneId: COMUNE_A,
      to: {},
      ...received(),
      ...input,
    }),
  );
}

function dispatcher(
  transports: Partial<Record<MessageChannel, MessageTransport>>,
  settings: Partial<DispatcherSettings> = {},
  orm: MikroORM = suite.orm,
  secrets: string[] = [SMTP_PASSWORD, SMS_API_KEY],
): MessageDispatcher {
  return new MessageDispatcher(
    orm,
    { PORTAL: new PortalTransport(), ...transports } as Record<MessageChannel, MessageTransport>,
    { ...SETTINGS, ...settings },
    logger,
    secrets,
  );
}

function smtp(port: number, password = SMTP_PASSWORD): SmtpTransport {
  return new SmtpTransport({
    url: `smtp://${SMTP_USER}:${password}@127.0.0.1:${port}`,
    from: SMTP_FROM,
    timeoutMs: 5000,
  });
}

function sms(provider: SmsProvider): SmsTransport {
  return new SmsTransport({
    url: provider.url,
    apiKey: SMS_API_KEY,
    sender: 'ComuneProva',
    timeoutMs: 5000,
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('transports deliver for real', () => {
  let mail: MailServer;
  let provider: SmsProvider;
  beforeAll(async () => {
    mail = await startMailServer();
    provider = await startSmsProvider();
  });
  afterAll(async () => {
    await mail.close();
    await provider.close();
  });
  beforeEach(() => {
    mail.received.length = 0;
    provider.requests.length = 0;
    provider.statuses.length = 0;
  });

  it('sends an EMAIL through the SMTP server, logged in, with the subject, the recipient’s language only and a Message-ID from the row', async () => {
    await notify({
      to: { email: 'cittadino@example.it' },
      ...received({ protocolNumber: 'P-77' }),
    });
    const transport = smtp(mail.port);
    const result = await dispatcher({ EMAIL: transport }).dispatchOnce();
    await transport.close();
    expect(result).toEqual({ claimed: 1, sent: 1, retried: 0, failed: 0 });

    const [row] = await rows();
    expect(row).toMatchObject({ channel: 'EMAIL', status: 'SENT', attempts: 1, last_error: null });
    expect(row!.sent_at).not.toBeNull();

    expect(mail.received).toHaveLength(1);
    const message = mail.received[0]!;
    expect(message.user).toBe(SMTP_USER);
    expect(message.from).toBe('noreply@comune.prova.it');
    expect(message.to).toEqual(['cittadino@example.it']);
    expect(header(message.raw, 'Subject')).toBe('Domanda ricevuta: protocollo P-77');
    expect(header(message.raw, 'Message-ID')).toBe(`<${row!.id}@comune.prova.it>`);
    const body = decodeQuotedPrintable(message.raw);
    expect(body).toContain(
      'la Sua domanda per «Buoni libro» è stata ricevuta il 07/12/2026 alle ore 15:05 con il numero di protocollo P-77.',
    );
    expect(body).toContain('entro il 06/01/2027');
    // Italian only (no language chosen): no English text.
    expect(body).not.toContain('Your application');
  });

  it('posts an SMS to the provider by the documented contract and keeps nothing else', async () => {
    await notify({ to: { phone: '+393331234567' } });
    const result = await dispatcher({ SMS: sms(provider) }).dispatchOnce();
    expect(result.sent).toBe(1);
    const [row] = await rows();
    expect(row).toMatchObject({ channel: 'SMS', status: 'SENT', attempts: 1, last_error: null });

    expect(provider.requests).toHaveLength(1);
    const request = provider.requests[0]!;
    expect(request.headers.authorization).toBe(`Bearer ${SMS_API_KEY}`);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['idempotency-key']).toBe(row!.id);
    expect(request.body).toEqual({
      to: '+393331234567',
      text: expect.stringContaining('«Buoni libro»') as unknown,
      reference: row!.id,
      sender: 'ComuneProva',
    });
  });

  it('PORTAL messages are SENT by the dispatcher itself, with no provider', async () => {
    await notify({ to: { fiscalCodeHash: 'a'.repeat(64) } });
    expect((await rows())[0]).toMatchObject({ status: 'PENDING', attempts: 0 });
    const result = await dispatcher({}).dispatchOnce();
    expect(result.sent).toBe(1);
    expect((await rows())[0]).toMatchObject({
      channel: 'PORTAL',
      status: 'SENT',
      last_error: null,
    });
  });

  it('a recipient the mail server refuses (550) FAILS at once; other messages of the batch go out', async () => {
    await notify({ to: { email: 'nobody@unknown.test' }, dedupeKey: 'a' });
    await notify({ to: { email: 'someone@example.it' }, dedupeKey: 'b' });
    const transport = smtp(mail.port);
    const result = await dispatcher({ EMAIL: transport }).dispatchOnce();
    await transport.close();
    expect(result).toEqual({ claimed: 2, sent: 1, retried: 0, failed: 1 });
    const byRecipient = Object.fromEntries((await rows()).map((r) => [r.recipient, r]));
    expect(byRecipient['nobody@unknown.test']).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(byRecipient['nobody@unknown.test']!.last_error).toMatch(/^SMTP 550/);
    expect(byRecipient['someone@example.it']).toMatchObject({ status: 'SENT' });
    expect(mail.received.map((m) => m.to)).toEqual([['someone@example.it']]);
  });

  it('a wrong SMTP password is retried later (a setting to fix), and the password is never stored', async () => {
    await notify({ to: { email: 'cittadino@example.it' } });
    const wrong = 'Wr0ngPassw0rdValue';
    const transport = smtp(mail.port, wrong);
    const result = await dispatcher({ EMAIL: transport }, {}, suite.orm, [wrong]).dispatchOnce();
    await transport.close();
    expect(result.retried).toBe(1);
    const [row] = await rows();
    expect(row).toMatchObject({ status: 'PENDING', attempts: 1 });
    expect(row!.last_error).toMatch(/auth|login/i);
    expect(row!.last_error).not.toContain(wrong);
    expect(row!.last_error).not.toContain(SMTP_USER + ':');
    expect(mail.received).toHaveLength(0);
  });

  it('an unreachable mail server is retried', async () => {
    const down = await startMailServer();
    const port = down.port;
    await down.close();
    await notify({ to: { email: 'cittadino@example.it' } });
    const transport = smtp(port);
    const result = await dispatcher({ EMAIL: transport }).dispatchOnce();
    await transport.close();
    expect(result.retried).toBe(1);
    const [row] = await rows();
    expect(row).toMatchObject({ status: 'PENDING', attempts: 1 });
    expect(row!.last_error).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION/);
    expect(row!.last_error).not.toContain(SMTP_PASSWORD);
  });

  it('SMS: 503 twice, then accepted: retried with exponential backoff, one message in the end', async () => {
    provider.statuses.push(503, 503);
    await notify({ to: { phone: '+393331234567' } });
    const d = dispatcher({ SMS: sms(provider) });

    expect(await d.dispatchOnce()).toMatchObject({ claimed: 1, retried: 1 });
    let [row] = await rows();
    expect(row).toMatchObject({ status: 'PENDING', attempts: 1, sent_at: null });
    // First retry after retryBaseMs (1 s).
    expect(row!.wait_ms).toBeGreaterThan(800);
    expect(row!.wait_ms).toBeLessThanOrEqual(1000);
    expect(row!.last_error).toContain('503');
    // The provider echoed the key: redacted.
    expect(row!.last_error).not.toContain(SMS_API_KEY);
    expect(row!.last_error).toContain('[redacted]');

    // Not due yet: nothing claimed.
    expect((await d.dispatchOnce()).claimed).toBe(0);
    expect(provider.requests).toHaveLength(1);

    await makeDue();
    expect(await d.dispatchOnce()).toMatchObject({ claimed: 1, retried: 1 });
    [row] = await rows();
    expect(row).toMatchObject({ status: 'PENDING', attempts: 2 });
    // Doubled: 2 s.
    expect(row!.wait_ms).toBeGreaterThan(1800);
    expect(row!.wait_ms).toBeLessThanOrEqual(2000);

    await makeDue();
    expect(await d.dispatchOnce()).toMatchObject({ claimed: 1, sent: 1 });
    [row] = await rows();
    expect(row).toMatchObject({ status: 'SENT', attempts: 3 });
    expect(row!.sent_at).not.toBeNull();
    // Every attempt carried the same idempotency key.
    expect(new Set(provider.requests.map((r) => r.headers['idempotency-key']))).toEqual(
      new Set([row!.id]),
    );
    expect(provider.requests).toHaveLength(3);
  });

  it('FAILED after MESSAGE_MAX_ATTEMPTS, and never tried again', async () => {
    provider.statuses.push(500, 500, 500, 500, 500);
    await notify({ to: { phone: '+393331234567' } });
    const d = dispatcher({ SMS: sms(provider) }, { maxAttempts: 3 });
    for (let attempt = 1; attempt <= 3; attempt++) {
      await d.dispatchOnce();
      await makeDue();
    }
    const [row] = await rows();
    expect(row).toMatchObject({ status: 'FAILED', attempts: 3, sent_at: null });
    expect(row!.last_error).toContain('500');
    expect(await d.dispatchOnce()).toMatchObject({ claimed: 0 });
    expect(provider.requests).toHaveLength(3);
  });

  it('SMS: a 4xx refusal (bad number) FAILS at once; 429 is retried', async () => {
    provider.statuses.push(422);
    await notify({ to: { phone: '+390000' }, dedupeKey: 'bad' });
    await dispatcher({ SMS: sms(provider) }).dispatchOnce();
    expect((await rows())[0]).toMatchObject({ status: 'FAILED', attempts: 1 });

    provider.statuses.push(429);
    await notify({ to: { phone: '+393331234567' }, dedupeKey: 'busy' });
    await dispatcher({ SMS: sms(provider) }).dispatchOnce();
    expect((await rows())[1]).toMatchObject({ status: 'PENDING', attempts: 1 });
  });

  it('a transport that never answers times out and is retried', async () => {
    const hanging: MessageTransport = {
      channel: 'SMS',
      send: () => new Promise(() => undefined),
    };
    await notify({ to: { phone: '+393331234567' } });
    const result = await dispatcher({ SMS: hanging }, { sendTimeoutMs: 200 }).dispatchOnce();
    expect(result.retried).toBe(1);
    expect((await rows())[0]!.last_error).toContain('no answer within 200 ms');
  });
});

describe('without providers', () => {
  it('the embedded run records EMAIL and SMS as SENT with a note; PORTAL as SENT', async () => {
    await notify({
      to: { email: 'a@example.it', phone: '+393331234567', fiscalCodeHash: 'b'.repeat(64) },
    });
    const transports = createTransports({
      smtp: null,
      sms: null,
      unconfigured: 'outbox',
      sendTimeoutMs: 1000,
    });
    await dispatcher(transports).dispatchOnce();
    const byChannel = Object.fromEntries((await rows()).map((r) => [r.channel, r]));
    expect(byChannel.EMAIL).toMatchObject({ status: 'SENT', last_error: NOT_DELIVERED_NOTE });
    expect(byChannel.SMS).toMatchObject({ status: 'SENT', last_error: NOT_DELIVERED_NOTE });
    expect(byChannel.PORTAL).toMatchObject({ status: 'SENT', last_error: null });
  });

  it('production marks them FAILED instead: nothing pretends to be delivered', async () => {
    await notify({ to: { email: 'a@example.it', phone: '+393331234567' } });
    const transports = createTransports({
      smtp: null,
      sms: null,
      unconfigured: 'fail',
      sendTimeoutMs: 1000,
    });
    await dispatcher(transports).dispatchOnce();
    for (const row of await rows()) {
      expect(row).toMatchObject({ status: 'FAILED', attempts: 1 });
      expect(row.last_error).toBe(`no ${row.channel} provider configured`);
    }
  });
});

describe('two dispatchers at once', () => {
  it('deliver 200 messages through the SMTP server, each exactly once', async () => {
    const mail = await startMailServer();
    const second = await openOrm(publicWelfareOrmSettings(suite.orm.config.get('clientUrl'), 5), {
      migrate: false,
    });
    try {
      await suite.orm.em.fork().transactional(async (em) => {
        for (let i = 0; i < 200; i++) {
          await suite.services.messages.notify(em, {
            comuneId: COMUNE_A,
            to: { email: `cittadino${i}@example.it` },
            ...received({ protocolNumber: `C-${i}` }),
          });
        }
      });
      // Each delivery takes a moment, so the two dispatchers' batches overlap.
      const counted = (transport: SmtpTransport, count: { n: number }): MessageTransport => ({
        channel: 'EMAIL',
        send: async (message: OutgoingMessage) => {
          count.n++;
          await new Promise((r) => setTimeout(r, 2));
          return transport.send(message);
        },
        close: () => transport.close(),
      });
      const one = { n: 0 };
      const two = { n: 0 };
      const a = dispatcher({ EMAIL: counted(smtp(mail.port), one) }, { batchSize: 10, pollMs: 5 });
      const b = dispatcher(
        { EMAIL: counted(smtp(mail.port), two) },
        { batchSize: 10, pollMs: 5 },
        second,
      );
      a.start();
      b.start();
      await waitFor(async () => (await rows()).every((r) => r.status !== 'PENDING'), 60_000);
      await Promise.all([a.stop(), b.stop()]);

      const all = await rows();
      expect(all.filter((r) => r.status === 'SENT')).toHaveLength(200);
      expect(all.every((r) => r.attempts === 1)).toBe(true);
      // Both took part, and together they made exactly 200 deliveries.
      expect(one.n).toBeGreaterThan(0);
      expect(two.n).toBeGreaterThan(0);
      expect(one.n + two.n).toBe(200);
      // The SMTP server got each message once.
      expect(mail.received).toHaveLength(200);
      const ids = mail.received.map((m) => header(m.raw, 'Message-ID'));
      expect(new Set(ids).size).toBe(200);
      expect(new Set(mail.received.map((m) => m.to[0])).size).toBe(200);
    } finally {
      await second.close();
      await mail.close();
    }
  });
});

describe('start and stop', () => {
  it('a started dispatcher delivers what is written; after stop it sends nothing more', async () => {
    const sent: string[] = [];
    const recording: MessageTransport = {
      channel: 'EMAIL',
      send: (message) => {
        sent.push(message.recipient);
        return Promise.resolve({});
      },
    };
    const d = dispatcher({ EMAIL: recording }, { pollMs: 10 });
    d.start();
    await notify({ to: { email: 'first@example.it' } });
    await waitFor(async () => (await rows())[0]?.status === 'SENT');
    await d.stop();
    await notify({ to: { email: 'second@example.it' }, dedupeKey: 'second' });
    await new Promise((r) => setTimeout(r, 100));
    expect(sent).toEqual(['first@example.it']);
    expect((await rows()).map((r) => r.status)).toEqual(['SENT', 'PENDING']);
  });
});

describe('notify', () => {
  const to = { email: 'a@example.it', phone: '+393331234567', fiscalCodeHash: 'c'.repeat(64) };

  it('writes one PENDING message per channel; the same dedupeKey writes nothing again', async () => {
    expect(await notify({ to, dedupeKey: 'application:1:received' })).toBe(3);
    expect(await notify({ to, dedupeKey: 'application:1:received' })).toBe(0);
    expect(await suite.count('message')).toBe(3);
    expect(await notify({ to, dedupeKey: 'application:2:received' })).toBe(3);
    expect(await suite.count('message')).toBe(6);
    // Without a key every call writes.
    expect(await notify({ to: { email: 'a@example.it' } })).toBe(1);
    expect(await notify({ to: { email: 'a@example.it' } })).toBe(1);
    expect(await suite.count('message')).toBe(8);
    expect((await rows()).every((r) => r.status === 'PENDING' && r.attempts === 0)).toBe(true);
  });

  it('two transactions with the same dedupeKey at once write the messages once', async () => {
    const results = await Promise.all([
      notify({ to, dedupeKey: 'race' }),
      notify({ to, dedupeKey: 'race' }),
    ]);
    expect(results.sort()).toEqual([0, 3]);
    expect(await suite.count('message')).toBe(3);
  });

  it('belongs to the caller’s transaction: a rollback leaves no message', async () => {
    await expect(
      suite.orm.em.fork().transactional(async (em) => {
        await suite.services.messages.notify(em, {
          comuneId: COMUNE_A,
          to,
          ...received(),
        });
        throw new Error('the caller fails');
      }),
    ).rejects.toThrow('the caller fails');
    expect(await suite.count('message')).toBe(0);
  });
});

describe('helpers', () => {
  it('backoff doubles from the base and stops at the maximum', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, 1000, 10_000))).toEqual([
      1000, 2000, 4000, 8000, 10_000,
    ]);
    expect(backoffDelay(500, 1000, 3_600_000)).toBe(3_600_000);
  });

  it('error texts lose secrets, credentials in URLs and bearer tokens, and are bounded', () => {
    const err = new Error('connect to smtp://mailer:hunter22pw@mail.example.it failed', {
      cause: new Error('Authorization: Bearer abc.def-ghi rejected; key=topsecretkey'),
    });
    const text = safeErrorText(err, ['topsecretkey']);
    expect(text).not.toContain('hunter22pw');
    expect(text).not.toContain('abc.def-ghi');
    expect(text).not.toContain('topsecretkey');
    expect(text).toContain('smtp://[redacted]@mail.example.it');
    expect(safeErrorText(new Error('x'.repeat(2000)), [])).toHaveLength(500);
  });

  it('deliverySecrets lists the SMTP password and the SMS key', () => {
    const secrets = deliverySecrets({
      smtp: { url: `smtp://${SMTP_USER}:${SMTP_PASSWORD}@mail.example.it:587`, from: SMTP_FROM },
      sms: { url: 'https://sms.example.it/send', apiKey: SMS_API_KEY, sender: null },
      unconfigured: 'fail',
      sendTimeoutMs: 1000,
    });
    expect(secrets).toContain(SMTP_PASSWORD);
    expect(secrets).toContain(SMS_API_KEY);
  });
});

describe('configuration', () => {
  const base = {
    DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
    GATEWAY_PUBLIC_KEY: '{"kty":"OKP","crv":"Ed25519","x":"abc"}',
  };
  const issues = (env: NodeJS.ProcessEnv): string => {
    try {
      loadPublicWelfareConfig(env);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as Error).message;
    }
    return '';
  };

  it('defaults: 8 attempts, a poll every second, providers recorded only (not production)', () => {
    const config = loadPublicWelfareConfig(base);
    expect(config.dispatcher).toMatchObject({ maxAttempts: 8, pollMs: 1000 });
    expect(config.delivery).toMatchObject({ smtp: null, sms: null, unconfigured: 'outbox' });
  });

  it('reads the SMTP and SMS settings', () => {
    const config = loadPublicWelfareConfig({
      ...base,
      SMTP_URL: 'smtps://u:p@mail.example.it:465',
      SMTP_FROM: SMTP_FROM,
      SMS_PROVIDER_URL: 'https://sms.example.it/send',
      SMS_API_KEY,
      MESSAGE_MAX_ATTEMPTS: '5',
      MESSAGE_POLL_MS: '250',
    });
    expect(config.delivery.smtp).toEqual({
      url: 'smtps://u:p@mail.example.it:465',
      from: SMTP_FROM,
    });
    expect(config.delivery.sms).toEqual({
      url: 'https://sms.example.it/send',
      apiKey: SMS_API_KEY,
      sender: null,
    });
    expect(config.dispatcher).toMatchObject({ maxAttempts: 5, pollMs: 250 });
  });

  it('refuses incomplete or malformed settings, naming them', () => {
    expect(issues({ ...base, SMTP_URL: 'smtp://mail.example.it' })).toContain('SMTP_FROM');
    expect(issues({ ...base, SMTP_URL: 'http://mail.example.it', SMTP_FROM })).toContain(
      'SMTP_URL',
    );
    expect(issues({ ...base, SMS_PROVIDER_URL: 'https://sms.example.it' })).toContain(
      'SMS_API_KEY',
    );
    expect(issues({ ...base, MESSAGE_MAX_ATTEMPTS: '0' })).toContain('MESSAGE_MAX_ATTEMPTS');
    expect(issues({ ...base, MESSAGE_POLL_MS: 'soon' })).toContain('MESSAGE_POLL_MS');
  });

  it('production needs a mail server, and fails messages of a channel without a provider', () => {
    const production = {
      ...base,
      NODE_ENV: 'production',
      PII_KEY: Buffer.alloc(32, 1).toString('base64'),
      PIN_KEY: Buffer.alloc(32, 2).toString('base64'),
    };
    expect(issues(production)).toContain('SMTP_URL: required in production');
    const config = loadPublicWelfareConfig({
      ...production,
      SMTP_URL: 'smtp://mail.example.it:587',
      SMTP_FROM,
    });
    expect(config.delivery.unconfigured).toBe('fail');
    expect(issues({ ...production, SMTP_URL: 'smtp://x:587', SMTP_FROM })).toBe('');
  });
});
