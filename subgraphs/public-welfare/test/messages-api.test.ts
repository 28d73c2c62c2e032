import { createLogger, type PersonCaller } from '@welfare/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageDispatcher } from '../src/modules/messages/dispatcher.js';
import { PORTAL_RECIPIENT_LABEL } from '../src/modules/messages/message-query.service.js';
import { MessageTemplate } from '../src/modules/messages/message.type.js';
import { createTransports } from '../src/modules/messages/transports.js';
import {
  ADMIN,
  ANONYMOUS,
  CITIZEN,
  caught,
  COMUNE_A,
  COMUNE_B,
  COOP_ADMIN,
  SERVICE,
  errorCode,
  setupSuite,
  staff,
  type Suite,
} from './helpers.js';

const MARIO_CF = 'RSSMRA80A01H501U';
const ANNA_CF = 'BNCNNA82H55A592E';

const mario: PersonCaller = { ...CITIZEN, fiscalCode: MARIO_CF };
const anna: PersonCaller = { ...CITIZEN, fiscalCode: ANNA_CF };
const operatorA = staff(COMUNE_A);
const operatorB = staff(COMUNE_B);

let suite: Suite;
let marioHash: string;
let annaHash: string;

const SENT = `query($comuneId: ID!, $first: Int, $after: String, $template: MessageTemplate, $campaignId: ID) {
  sentMessages(comuneId: $comuneId, first: $first, after: $after, template: $template, campaignId: $campaignId) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id template channel recipient subject body status attempts createdAt sentAt lastError }
  }
}`;
const MINE = `query($first: Int, $after: String) {
  myMessages(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id channel recipient subject body status attempts createdAt sentAt lastError }
  }
}`;

interface MessageNode {
  id: string;
  /** Only in `sentMessages` (SENT asks for it). */
  template?: string;
  channel: string;
  recipient: string;
  subject: string;
  body: string;
  status: string;
  attempts: number;
  createdAt: string;
  sentAt: string | null;
  lastError: string | null;
}
interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: MessageNode[];
}

async function notify(
  comuneId: string,
  to: { email?: string; phone?: string; fiscalCodeHash?: string },
  protocolNumber: string,
): Promise<void> {
  await suite.orm.em.fork().transactional((em) =>
    suite.services.messages.notify(em, {
      comuneId,
      to,
      template: 'APPLICATION_RECEIVED',
      params: {
        protocolNumber,
        campaignTitle: 'Buoni libro',
        submittedAt: new Date('2026-12-07T14:05:00Z'),
        dueBy: null,
      },
    }),
  );
}

/** One dispatcher pass as the embedded run makes it (no SMTP, no SMS provider). */
async function dispatch(): Promise<void> {
  const dispatcher = new MessageDispatcher(
    suite.orm,
    createTransports({ smtp: null, sms: null, unconfigured: 'outbox', sendTimeoutMs: 1000 }),
    {
      batchSize: 100,
      pollMs: 10,
      maxAttempts: 8,
      retryBaseMs: 1000,
      retryMaxMs: 60_000,
      sendTimeoutMs: 1000,
    },
    createLogger('messages-api-test', 'silent'),
  );
  await dispatcher.dispatchOnce();
}

beforeAll(async () => {
  suite = await setupSuite('messages_api');
  marioHash = suite.services.messageQueries.portalRecipient(MARIO_CF);
  annaHash = suite.services.messageQueries.portalRecipient(ANNA_CF);
  // Comune A: Mario by portal, email and SMS; Anna by portal. Comune B: Mario by portal.
  await notify(
    COMUNE_A,
    { fiscalCodeHash: marioHash, email: 'mario@example.it', phone: '+393331234567' },
    'A-1',
  );
  await notify(COMUNE_A, { fiscalCodeHash: annaHash }, 'A-2');
  await notify(COMUNE_B, { fiscalCodeHash: marioHash }, 'B-1');
  await dispatch();
  // Written after the pass: still PENDING.
  await notify(COMUNE_A, { fiscalCodeHash: marioHash }, 'A-3');
});
afterAll(() => suite.close());

async function sent(caller: typeof ADMIN | typeof ANONYMOUS, variables: Record<string, unknown>) {
  return suite.run<{ sentMessages: Page }>(SENT, variables, caller);
}

describe('sentMessages', () => {
  it('shows the Comune’s messages to its staff, newest first, with the delivery status', async () => {
    const result = await sent(operatorA, { comuneId: COMUNE_A });
    expect(result.errors).toBeUndefined();
    const page = result.data!.sentMessages;
    expect(page.totalCount).toBe(5);
    expect(page.pageInfo).toEqual({ hasNextPage: false, endCursor: expect.any(String) as unknown });
    // Newest first: A-3 (pending), then A-2, then A-1's three channels.
    expect(page.nodes.map((n) => n.subject.match(/A-\d/)?.[0])).toEqual([
      'A-3',
      'A-2',
      'A-1',
      'A-1',
      'A-1',
    ]);
    const [pending, ...rest] = page.nodes;
    expect(pending).toMatchObject({
      channel: 'PORTAL',
      status: 'PENDING',
      attempts: 0,
      sentAt: null,
      lastError: null,
    });
    expect(rest.every((n) => n.status === 'SENT' && n.attempts === 1 && n.sentAt)).toBe(true);
    // Each row says its kind: these are all acknowledgements of an application.
    expect(page.nodes.map((n) => n.template)).toEqual(Array(5).fill('APPLICATION_RECEIVED'));
    const byChannel = Object.fromEntries(
      page.nodes.filter((n) => n.subject.includes('A-1')).map((n) => [n.channel, n]),
    );
    expect(byChannel.EMAIL).toMatchObject({
      recipient: 'mario@example.it',
      lastError: 'embedded: not delivered',
    });
    expect(byChannel.SMS).toMatchObject({ recipient: '+393331234567' });
    expect(byChannel.PORTAL).toMatchObject({ recipient: PORTAL_RECIPIENT_LABEL, lastError: null });
    expect(byChannel.PORTAL!.body).toContain('«Buoni libro»');
    expect(PORTAL_RECIPIENT_LABEL).toBe('Area personale / Personal area');
    // Never the codice fiscale hash, nor another Comune's message.
    const text = JSON.stringify(result.data);
    expect(text).not.toContain(marioHash);
    expect(text).not.toContain(annaHash);
    expect(text).not.toContain('B-1');
  });

  it('managers and platform admins read it too', async () => {
    for (const caller of [staff(COMUNE_A, 'MANAGER'), ADMIN]) {
      const result = await sent(caller, { comuneId: COMUNE_A });
      expect(result.data?.sentMessages.totalCount).toBe(5);
    }
  });

  it('an operator of another Comune gets FORBIDDEN and no data', async () => {
    const result = await sent(operatorB, { comuneId: COMUNE_A });
    expect(errorCode(result)).toBe('FORBIDDEN');
    expect(result.data).toBeNull();
    // Their own Comune shows only its own message.
    const own = await sent(operatorB, { comuneId: COMUNE_B });
    expect(own.data?.sentMessages.nodes.map((n) => n.subject.match(/[AB]-\d/)?.[0])).toEqual([
      'B-1',
    ]);
  });

  it('citizens, other kinds of organisation and anonymous callers are refused', async () => {
    expect(errorCode(await sent(mario, { comuneId: COMUNE_A }))).toBe('FORBIDDEN');
    expect(errorCode(await sent(COOP_ADMIN, { comuneId: COMUNE_A }))).toBe('FORBIDDEN');
    expect(errorCode(await sent(ANONYMOUS, { comuneId: COMUNE_A }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await sent(operatorA, { comuneId: 'not-a-uuid' }))).toBe('BAD_USER_INPUT');
  });

  it('pages with first/after without gaps or repeats; bad page arguments are BAD_USER_INPUT', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    const sizes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const result = await sent(operatorA, { comuneId: COMUNE_A, first: 2, after });
      const page: Page = result.data!.sentMessages;
      sizes.push(page.nodes.length);
      seen.push(...page.nodes.map((n) => n.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(sizes).toEqual([2, 2, 1]);
    expect(new Set(seen).size).toBe(5);
    const all = await sent(operatorA, { comuneId: COMUNE_A });
    expect(seen).toEqual(all.data!.sentMessages.nodes.map((n) => n.id));

    for (const variables of [
      { first: 0 },
      { first: 201 },
      { after: 'garbage' },
      { after: Buffer.from('["x","y"]').toString('base64url') },
    ]) {
      const result = await sent(operatorA, { comuneId: COMUNE_A, ...variables });
      expect(errorCode(result), JSON.stringify(variables)).toBe('BAD_USER_INPUT');
    }
  });
});

describe('sentMessages filtered by kind and campaign', () => {
  const CAMPAIGN_1 = '0b7c2d1e-0000-4000-8000-0000000c0001';
  const CAMPAIGN_2 = '0b7c2d1e-0000-4000-8000-0000000c0002';
  const remind = (comuneId: string, campaignId: string, campaignTitle: string) =>
    suite.orm.em.fork().transactional((em) =>
      suite.services.messages.notify(em, {
        comuneId,
        campaignId,
        to: { email: 'mario@example.it' },
        template: 'CREDIT_EXPIRING',
        params: { campaignTitle, availableCents: 1250, spendingUntil: '2026-12-31' },
      }),
    );
  const subjects = (page: Page | undefined) => page?.nodes.map((n) => n.body.match(/«(.+?)»/)?.[1]);

  beforeAll(async () => {
    // Comune A: two reminders (two campaigns) besides its 5 APPLICATION_RECEIVED; Comune B: one.
    await remind(COMUNE_A, CAMPAIGN_1, 'Dote scuola');
    await remind(COMUNE_A, CAMPAIGN_2, 'Centri estivi');
    await remind(COMUNE_B, CAMPAIGN_1, 'Altrove');
  });

  it('only the credit-expiry reminders, of one campaign too, paged, within the Comune', async () => {
    const reminders = await sent(operatorA, { comuneId: COMUNE_A, template: 'CREDIT_EXPIRING' });
    expect(reminders.errors).toBeUndefined();
    expect(reminders.data!.sentMessages.totalCount).toBe(2);
    expect(subjects(reminders.data!.sentMessages)).toEqual(['Centri estivi', 'Dote scuola']);
    expect(reminders.data!.sentMessages.nodes.map((n) => n.template)).toEqual([
      'CREDIT_EXPIRING',
      'CREDIT_EXPIRING',
    ]);
    const first = await sent(operatorA, {
      comuneId: COMUNE_A,
      template: 'CREDIT_EXPIRING',
      first: 1,
    });
    expect(first.data!.sentMessages.pageInfo.hasNextPage).toBe(true);
    const second = await sent(operatorA, {
      comuneId: COMUNE_A,
      template: 'CREDIT_EXPIRING',
      first: 1,
      after: first.data!.sentMessages.pageInfo.endCursor,
    });
    expect(subjects(second.data!.sentMessages)).toEqual(['Dote scuola']);
    expect(second.data!.sentMessages.pageInfo.hasNextPage).toBe(false);

    const ofCampaign = await sent(operatorA, { comuneId: COMUNE_A, campaignId: CAMPAIGN_1 });
    expect(subjects(ofCampaign.data!.sentMessages)).toEqual(['Dote scuola']);
    const both = await sent(operatorA, {
      comuneId: COMUNE_A,
      template: 'APPLICATION_RECEIVED',
      campaignId: CAMPAIGN_1,
    });
    expect(both.data!.sentMessages.totalCount).toBe(0);
    const received = await sent(operatorA, {
      comuneId: COMUNE_A,
      template: 'APPLICATION_RECEIVED',
    });
    expect(received.data!.sentMessages.totalCount).toBe(5);
    // Unfiltered: every kind, each row with its own.
    const all = (await sent(operatorA, { comuneId: COMUNE_A })).data!.sentMessages;
    expect(all.totalCount).toBe(7);
    expect(all.nodes.map((n) => n.template)).toEqual([
      'CREDIT_EXPIRING',
      'CREDIT_EXPIRING',
      ...Array<string>(5).fill('APPLICATION_RECEIVED'),
    ]);
  });

  it('another Comune’s staff get nothing of it; Comune B sees only its own reminder', async () => {
    const other = await sent(operatorB, { comuneId: COMUNE_A, template: 'CREDIT_EXPIRING' });
    expect(errorCode(other)).toBe('FORBIDDEN');
    expect(other.data).toBeNull();
    const own = await sent(operatorB, {
      comuneId: COMUNE_B,
      template: 'CREDIT_EXPIRING',
      campaignId: CAMPAIGN_1,
    });
    expect(subjects(own.data!.sentMessages)).toEqual(['Altrove']);
  });

  it('an unknown kind or a malformed campaign id is BAD_USER_INPUT', async () => {
    const badKind = await sent(operatorA, { comuneId: COMUNE_A, template: 'REMINDER' });
    expect(badKind.data).toBeUndefined();
    expect(badKind.errors?.[0]?.message).toContain('MessageTemplate');
    const error = await caught(() =>
      suite.services.messageQueries.sent(suite.orm.em.fork(), operatorA, COMUNE_A, 50, null, {
        template: 'REMINDER',
        campaignId: 'not-a-uuid',
      }),
    );
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.fields.map((f) => f.field).sort()).toEqual(['campaignId', 'template']);
    const badCampaign = await sent(operatorA, { comuneId: COMUNE_A, campaignId: 'not-a-uuid' });
    expect(errorCode(badCampaign)).toBe('BAD_USER_INPUT');
  });
});

describe('myMessages', () => {
  async function mine(caller: typeof ADMIN | typeof ANONYMOUS, variables = {}) {
    return suite.run<{ myMessages: Page }>(MINE, variables, caller);
  }

  it('a citizen reads the PORTAL messages delivered to their codice fiscale, from every Comune', async () => {
    const result = await mine(mario);
    expect(result.errors).toBeUndefined();
    const page = result.data!.myMessages;
    // B-1 and A-1 (A-3 is still PENDING; the email and SMS are not in the personal area).
    expect(page.totalCount).toBe(2);
    expect(page.nodes.map((n) => n.subject.match(/[AB]-\d/)?.[0])).toEqual(['B-1', 'A-1']);
    for (const node of page.nodes) {
      expect(node).toMatchObject({
        channel: 'PORTAL',
        status: 'SENT',
        recipient: PORTAL_RECIPIENT_LABEL,
        lastError: null,
      });
    }
    expect(JSON.stringify(result.data)).not.toContain(marioHash);
  });

  it('not someone else’s: Anna sees only hers', async () => {
    const page = (await mine(anna)).data!.myMessages;
    expect(page.nodes.map((n) => n.subject.match(/[AB]-\d/)?.[0])).toEqual(['A-2']);
  });

  it('the codice fiscale is matched as normalised (lower case, spaces)', async () => {
    const page = (await mine({ ...mario, fiscalCode: ' rssmra80a01h501u ' })).data!.myMessages;
    expect(page.totalCount).toBe(2);
  });

  it('a message shows once it is delivered', async () => {
    await dispatch();
    const page = (await mine(mario)).data!.myMessages;
    expect(page.nodes.map((n) => n.subject.match(/[AB]-\d/)?.[0])).toEqual(['A-3', 'B-1', 'A-1']);
    const second = (await mine(mario, { first: 1, after: page.pageInfo.endCursor })).data!;
    expect(second.myMessages.nodes).toEqual([]);
    const paged = (await mine(mario, { first: 2 })).data!.myMessages;
    expect(paged.pageInfo.hasNextPage).toBe(true);
    const rest = (await mine(mario, { first: 2, after: paged.pageInfo.endCursor })).data!;
    expect(rest.myMessages.nodes.map((n) => n.id)).toEqual([page.nodes[2]!.id]);
  });

  it('UNAUTHENTICATED when anonymous; empty for staff without a codice fiscale', async () => {
    const anonymous = await mine(ANONYMOUS);
    expect(errorCode(anonymous)).toBe('UNAUTHENTICATED');
    expect(anonymous.data).toBeNull();
    for (const caller of [operatorA, ADMIN, SERVICE]) {
      const page = (await mine(caller)).data!.myMessages;
      expect(page).toEqual({
        totalCount: 0,
        pageInfo: { hasNextPage: false, endCursor: null },
        nodes: [],
      });
    }
    expect(errorCode(await mine(mario, { first: 500 }))).toBe('BAD_USER_INPUT');
  });
});

describe('the language of the messages', () => {
  const LANGUAGE = `{ myMessageLanguage }`;
  const SET = `mutation($l: String!) { setMyMessageLanguage(language: $l) }`;
  const LUCIA_CF = 'VRDLCU85M41F205X';
  const lucia: PersonCaller = { ...CITIZEN, fiscalCode: LUCIA_CF };
  const language = async (caller: typeof ADMIN | typeof ANONYMOUS) =>
    suite.run<{ myMessageLanguage: string }>(LANGUAGE, {}, caller);
  const set = async (caller: typeof ADMIN | typeof ANONYMOUS, l: string) =>
    suite.run<{ setMyMessageLanguage: string }>(SET, { l }, caller);
  const written = (protocol: string) =>
    suite.orm.em
      .fork()
      .getConnection()
      .execute<{ channel: string; language: string; subject: string; body: string }[]>(
        `select channel, language, subject, body from public_welfare.message
          where subject like ? order by channel`,
        [`%${protocol}%`],
      );

  it('is Italian until chosen; bad values and people without a codice fiscale change nothing', async () => {
    expect((await language(lucia)).data?.myMessageLanguage).toBe('it');
    expect((await language(operatorA)).data?.myMessageLanguage).toBe('it');
    expect(errorCode(await language(ANONYMOUS))).toBe('UNAUTHENTICATED');

    const bad = await set(lucia, 'fr');
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    const original = bad.errors?.[0]?.originalError as { fields?: { field: string }[] } | undefined;
    expect(original?.fields?.map((f) => f.field)).toEqual(['language']);
    expect(errorCode(await set(operatorA, 'en'))).toBe('FORBIDDEN');
    expect(errorCode(await set(ANONYMOUS, 'en'))).toBe('UNAUTHENTICATED');
    expect(await suite.count('message_language')).toBe(0);
    expect((await language(lucia)).data?.myMessageLanguage).toBe('it');
  });

  it('writes every later message to the person in the language chosen, on every channel', async () => {
    const luciaHash = suite.services.messageQueries.portalRecipient(LUCIA_CF);
    await notify(COMUNE_B, { fiscalCodeHash: luciaHash, email: 'lucia@example.it' }, 'L-1');
    expect((await written('L-1')).map((m) => [m.channel, m.language])).toEqual([
      ['EMAIL', 'it'],
      ['PORTAL', 'it'],
    ]);

    expect((await set(lucia, 'en')).data?.setMyMessageLanguage).toBe('en');
    expect((await language({ ...lucia, fiscalCode: 'vrdlcu85m41f205x' })).data).toEqual({
      myMessageLanguage: 'en',
    });
    await notify(COMUNE_B, { fiscalCodeHash: luciaHash, email: 'lucia@example.it' }, 'L-2');
    const english = await written('L-2');
    expect(english.map((m) => [m.channel, m.language])).toEqual([
      ['EMAIL', 'en'],
      ['PORTAL', 'en'],
    ]);
    for (const message of english) {
      expect(message.subject).toBe('Application received: protocol number L-2');
      expect(message.body).toContain(
        'your application for “Buoni libro” was received on 07/12/2026 at 15:05',
      );
      expect(message.body).not.toMatch(/domanda|ricevuta|protocollo/i);
    }
    // The earlier message keeps its language; back to Italian for the next ones.
    expect((await written('L-1')).every((m) => m.language === 'it')).toBe(true);
    expect((await set(lucia, 'it')).data?.setMyMessageLanguage).toBe('it');
    await notify(COMUNE_B, { fiscalCodeHash: luciaHash }, 'L-3');
    expect((await written('L-3'))[0]).toMatchObject({
      language: 'it',
      subject: 'Domanda ricevuta: protocollo L-3',
    });
  });
});

describe('the kinds of message the database accepts', () => {
  /** A Comune of its own: the rows of this block never reach the counts above. */
  const COMUNE_K = '0b7c2d1e-0000-4000-8000-00000000c0c0';
  const insert = (template: string) =>
    suite.orm.em
      .fork()
      .getConnection()
      .execute(
        `insert into public_welfare.message
           (id, comune_id, template, channel, recipient, subject, body)
         values (gen_random_uuid(), ?, ?, 'EMAIL', 'kinds@example.it', 'kinds', 'kinds')`,
        [COMUNE_K, template],
      );

  it('refuses a row of an unknown kind (a bug in SQL cannot write it); accepts every MessageTemplate value', async () => {
    for (const unknown of ['REMINDER', 'payment', '']) {
      await expect(insert(unknown), unknown).rejects.toThrow(/message_template_check/);
    }
    expect(await suite.count('message', COMUNE_K)).toBe(0);
    // A value added to the enum without a migration widening the constraint fails here.
    const kinds = Object.values(MessageTemplate);
    expect(kinds.length).toBeGreaterThan(0);
    for (const kind of kinds) await insert(kind);
    expect(await suite.count('message', COMUNE_K)).toBe(kinds.length);
    const page = await sent(staff(COMUNE_K), { comuneId: COMUNE_K, first: 200 });
    expect(page.data!.sentMessages.nodes.map((n) => n.template).sort()).toEqual([...kinds].sort());
  });
});

describe('sentMessages paged with both filters', () => {
  /** A Comune of its own, with more than a page (50) of one kind about one campaign. */
  const COMUNE_P = '0b7c2d1e-0000-4000-8000-00000000d0d0';
  const CAMPAIGN = '0b7c2d1e-0000-4000-8000-0000000c0003';
  const OTHER_CAMPAIGN = '0b7c2d1e-0000-4000-8000-0000000c0004';
  const MATCHING = 57;

  beforeAll(async () => {
    // Two rows a second (ties on created_at: the cursor's id decides), the 50th and 51st sharing
    // one; beside them, at the same instants, rows that differ in one filter only (kind, campaign,
    // Comune).
    await suite.orm.em
      .fork()
      .getConnection()
      .execute(
        `insert into public_welfare.message
           (id, comune_id, campaign_id, template, channel, recipient, subject, body, created_at)
         select gen_random_uuid(), d.comune_id::uuid, d.campaign_id::uuid, d.template, 'EMAIL',
           'paging@example.it', d.label || ' ' || g.i, 'paging',
           timestamptz '2026-12-01 10:00:00+00' - (g.i / 2) * interval '1 second'
         from (values (?, ?, 'PAYMENT', 'match', ${MATCHING}),
                      (?, ?, 'DECISION', 'other kind', 60),
                      (?, ?, 'PAYMENT', 'other campaign', 60),
                      (?, ?, 'PAYMENT', 'other Comune', 60))
           as d(comune_id, campaign_id, template, label, n)
         cross join lateral generate_series(1, d.n) as g(i)`,
        [COMUNE_P, CAMPAIGN, COMUNE_P, CAMPAIGN, COMUNE_P, OTHER_CAMPAIGN, COMUNE_B, CAMPAIGN],
      );
  });

  it('the second page keeps the kind and the campaign and shows the rest, nothing else', async () => {
    const filters = { comuneId: COMUNE_P, template: 'PAYMENT', campaignId: CAMPAIGN };
    const operator = staff(COMUNE_P);
    const first = await sent(operator, filters);
    expect(first.errors).toBeUndefined();
    const one = first.data!.sentMessages;
    expect(one.totalCount).toBe(MATCHING);
    expect(one.nodes).toHaveLength(50);
    expect(one.pageInfo.hasNextPage).toBe(true);

    const second = await sent(operator, { ...filters, after: one.pageInfo.endCursor });
    expect(second.errors).toBeUndefined();
    const two = second.data!.sentMessages;
    expect(two.totalCount).toBe(MATCHING);
    expect(two.nodes).toHaveLength(MATCHING - 50);
    expect(two.pageInfo.hasNextPage).toBe(false);
    // The page boundary falls between two rows of the same instant.
    expect(two.nodes[0]!.createdAt).toBe(one.nodes[49]!.createdAt);

    // Every matching row once, newest first, and none of the others.
    const nodes = [...one.nodes, ...two.nodes];
    expect(nodes.every((n) => n.template === 'PAYMENT' && /^match \d+$/.test(n.subject))).toBe(
      true,
    );
    const expected = await suite.orm.em
      .fork()
      .getConnection()
      .execute<{ id: string }[]>(
        `select id from public_welfare.message
          where comune_id = ? and template = 'PAYMENT' and campaign_id = ?
          order by created_at desc, id desc`,
        [COMUNE_P, CAMPAIGN],
      );
    expect(nodes.map((n) => n.id)).toEqual(expected.map((r) => r.id));
  });
});
