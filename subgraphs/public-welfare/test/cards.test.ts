import { randomBytes, randomUUID } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { Algorithm, hash as argon2Hash } from '@node-rs/argon2';
import { ConfigError, createLogger, type Caller, type PersonCaller } from '@welfare/kit';
import { startSubgraph, type RunningSubgraph } from '@welfare/kit/subgraph';
import { createTokenSigner, generateGatewayKeys } from '@welfare/kit/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Application } from '../src/modules/application/application.entity.js';
import type { Campaign } from '../src/modules/campaign/campaign.entity.js';
import { DEVELOPMENT_PIN_KEY, loadPublicWelfareConfig } from '../src/config.js';
import { CardQrSigner, deriveQrKey, isValidCardNumber } from '../src/modules/card/card-codes.js';
import { PinKeyring, developmentPinValue, pinKeyId } from '../src/modules/card/card-pin.js';
import { Card } from '../src/modules/card/card.entity.js';
import { cardRoutes } from '../src/modules/card/card.routes.js';
import { buildPublicWelfareSchema } from '../src/schema.js';
import { createServices } from '../src/services.js';
import { LASTING_INCOME, PDF, campaignInput } from './campaign-fixtures.js';
import { CF, REGISTRY } from './fixtures.js';
import {
  ANONYMOUS,
  COMUNE_A,
  COMUNE_B,
  caught,
  errorCode,
  setupSuite,
  staff,
  type Suite,
} from './helpers.js';

let suite: Suite;
let server: RunningSubgraph;
let sign: Awaited<ReturnType<typeof createTokenSigner>>;
const operator = staff(COMUNE_A);
const manager = staff(COMUNE_A, 'MANAGER');
const operatorB = staff(COMUNE_B);
const managerB = staff(COMUNE_B, 'MANAGER');
const citizen = (fiscalCode: string): PersonCaller => ({
  kind: 'person',
  personId: randomUUID(),
  sessionId: randomUUID(),
  platformAdmin: false,
  memberships: [],
  fiscalCode,
});
const mario = citizen(CF.mario);
const rosa = citizen(CF.rosa);
const sara = citizen(CF.sara);
const em = () => suite.orm.em.fork();

let campaign: Campaign;
let approved: Application[];
let submittedOnly: Application;
/** What the issuance letters said, by codice fiscale. */
const letters = new Map<string, { pin: string; number: string }>();

// ---------------------------------------------------------------------------------------------
// Reading the PDF: pdfkit writes `N 0 obj`, a dictionary, an optional stream of /Length bytes
// (FlateDecode), `endobj`. Enough to find the pages in order and the text each one shows.

function pdfPages(pdf: Buffer): string[][] {
  const text = pdf.toString('latin1');
  const objects = new Map<number, { dict: string; stream?: Buffer }>();
  const header = /(\d+) 0 obj\n/g;
  let match: RegExpExecArray | null;
  while ((match = header.exec(text))) {
    const start = header.lastIndex;
    const endAt = text.indexOf('\nendobj', start);
    const inside = text.slice(start, endAt).indexOf('\nstream\n');
    if (inside === -1) {
      objects.set(Number(match[1]), { dict: text.slice(start, endAt) });
      header.lastIndex = endAt;
      continue;
    }
    const dict = text.slice(start, start + inside);
    const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
    const from = start + inside + '\nstream\n'.length;
    let stream = pdf.subarray(from, from + length);
    if (dict.includes('/FlateDecode') && !dict.includes('/Subtype /Image')) {
      stream = inflateSync(stream);
    }
    objects.set(Number(match[1]), { dict, stream });
    header.lastIndex = from + length;
  }
  const ref = (dict: string, key: string) =>
    Number(new RegExp(`/${key} (\\d+) 0 R`).exec(dict)?.[1]);
  const trailer = text.slice(text.lastIndexOf('trailer'));
  const catalog = objects.get(ref(trailer, 'Root'))!.dict;
  const tree = objects.get(ref(catalog, 'Pages'))!.dict;
  const kids = [...(/\/Kids \[([^\]]*)\]/.exec(tree)?.[1] ?? '').matchAll(/(\d+) 0 R/g)];
  expect(Number(/\/Count (\d+)/.exec(tree)?.[1])).toBe(kids.length);
  return kids.map(([, id]) => {
    const page = objects.get(Number(id))!.dict;
    const content = objects.get(ref(page, 'Contents'))!.stream!.toString('latin1');
    return [...content.matchAll(/\[([^\]]*)\]\s*TJ/g)].map(([, array = '']) =>
      [...array.matchAll(/<([0-9a-fA-F]*)>/g)]
        .map(([, hex = '']) => Buffer.from(hex, 'hex').toString('latin1'))
        .join(''),
    );
  });
}

/** The letter on one page: codice fiscale, number and PIN as printed. */
function letterOf(lines: string[]) {
  return {
    fiscalCode: lines.find((l) => /^[A-Z]{6}[0-9]{2}[A-Z][0-9]{2}[A-Z][0-9]{3}[A-Z]$/.test(l)),
    number: lines.find((l) => /^\d{4} \d{4} \d{4} \d{4}$/.test(l))?.replace(/ /g, ''),
    pin: lines.find((l) => /^\d{6}$/.test(l)),
  };
}

// ---------------------------------------------------------------------------------------------

const auth = async (caller: Caller) => ({
  authorization: `Bearer ${await sign('public-welfare', caller, 'req-1')}`,
});
const post = async (caller: Caller, path: string) =>
  fetch(`${server.url}${path}`, { method: 'POST', headers: await auth(caller) });

async function apply(who: PersonCaller, c: Campaign): Promise<Application> {
  const draft = await suite.services.applications.saveDraft(em(), who, {
    campaignId: c.id,
    privacyNoticeAcknowledged: true,
    acceptedDeclarations: ['TRUE'],
  });
  await suite.services.applications.addDocument(em(), who, draft.id, {
    code: 'ID',
    fileName: 'ci.pdf',
    content: PDF,
  });
  return suite.services.applications.submit(em(), who, draft.id);
}

const card = (id: string) => em().findOneOrFail(Card, { id }, { populate: ['pinHash'] });
const sql = (query: string, params: unknown[] = []) => em().getConnection().execute(query, params);
const cardOf = (fiscalCode: string) =>
  em().findOneOrFail(Card, {
    holderFiscalCodeHash: suite.services.applications.fiscalCodeHash(fiscalCode),
    status: { $ne: 'REPLACED' },
  });

beforeAll(async () => {
  suite = await setupSuite('cards');
  await suite.importText(operator, COMUNE_A, 'REGISTRY', REGISTRY);
  await suite.importText(operator, COMUNE_A, 'INCOME', LASTING_INCOME);
  const keys = await generateGatewayKeys();
  sign = await createTokenSigner(keys.privateKey);
  server = await startSubgraph({
    name: 'public-welfare',
    schema: await buildPublicWelfareSchema(suite.services),
    orm: suite.orm,
    host: '127.0.0.1',
    port: 0,
    gatewayPublicKey: keys.publicKey,
    logger: createLogger('public-welfare-test', 'silent'),
    routes: cardRoutes({ orm: suite.orm, cards: suite.services.cards }),
  });
  const created = await suite.services.campaigns.create(em(), operator, campaignInput(COMUNE_A));
  campaign = await suite.services.campaigns.publish(em(), manager, created.id);
  const forMario = await apply(mario, campaign);
  const forSara = await apply(sara, campaign);
  submittedOnly = await apply(rosa, campaign);
  const result = await suite.services.cases.bulkApprove(em(), operator, [forMario.id, forSara.id]);
  approved = result.approved;
  expect(approved.map((a) => a.status)).toEqual(['APPROVED', 'APPROVED']);
  expect(submittedOnly.status).toBe('SUBMITTED');
});
afterAll(() => server.stop());

describe('issuing cards', () => {
  it('refuses callers who are not staff of the Comune, and bad ids, writing nothing', async () => {
    const audits = await suite.count('audit_event');
    expect((await post(ANONYMOUS, `/files/cards/issue?campaignId=${campaign.id}`)).status).toBe(
      401,
    );
    expect((await post(operatorB, `/files/cards/issue?campaignId=${campaign.id}`)).status).toBe(
      404,
    );
    expect((await post(managerB, `/files/cards/issue?campaignId=${campaign.id}`)).status).toBe(404);
    expect((await post(mario, `/files/cards/issue?campaignId=${campaign.id}`)).status).toBe(404);
    const malformed = await post(operator, '/files/cards/issue?campaignId=nope');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      errors: [
        {
          extensions: {
            code: 'BAD_USER_INPUT',
            fields: [{ field: 'campaignId', message: { it: 'Identificativo non valido.' } }],
          },
        },
      ],
    });
    const unknown = await post(operator, `/files/cards/issue?campaignId=${randomUUID()}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({
      errors: [{ extensions: { code: 'NOT_FOUND', messages: { en: 'Campaign not found.' } } }],
    });
    expect(await suite.count('card')).toBe(0);
    expect(await suite.count('audit_event')).toBe(audits);
  });

  it('issues a card per approved applicant only and answers their letters with the PINs, once', async () => {
    const res = await post(operator, `/files/cards/issue?campaignId=${campaign.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-cards-issued')).toBe('2');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = pdfPages(pdf);
    expect(pages).toHaveLength(2);
    for (const lines of pages) {
      const letter = letterOf(lines);
      expect(letter.pin).toMatch(/^\d{6}$/);
      expect(isValidCardNumber(letter.number ?? '')).toBe(true);
      letters.set(letter.fiscalCode!, { pin: letter.pin!, number: letter.number! });
      const text = lines.join(' ');
      expect(text).toContain('Comune di Prova');
      expect(text).toContain('Buoni spesa di prova');
      expect(text).toContain('Dopo 5 PIN sbagliati la carta si blocca');
      expect(text).toContain('After 5 wrong PINs the card is locked');
      expect(text).toContain('Tieni segreto il PIN');
      expect(text.indexOf('Come si usa')).toBeLessThan(text.indexOf('How to use it'));
    }
    // The QR code is an image on each page.
    expect(pdf.toString('latin1').match(/\/Subtype \/Image/g)?.length).toBeGreaterThanOrEqual(2);
    expect([...letters.keys()].sort()).toEqual([CF.mario, CF.sara].sort());

    expect(await suite.count('card', COMUNE_A)).toBe(2);
    const marioCard = await cardOf(CF.mario);
    expect(marioCard.number).toBe(letters.get(CF.mario)!.number);
    expect(marioCard.status).toBe('ACTIVE');
    expect(marioCard.issuedBy).toBe(operator.personId);
    expect(approved.map((a) => a.id)).toContain(marioCard.applicationId);
    // The PINs printed are the cards' PINs.
    const check = await suite.services.cards.verifyPin(
      em(),
      marioCard.id,
      letters.get(CF.mario)!.pin,
    );
    expect(check).toEqual({ ok: true });
    // No card for the applicant whose application is only submitted.
    await expect(cardOf(CF.rosa)).rejects.toThrow();

    // Idempotent: nothing new to issue, no letters.
    const again = await post(manager, `/files/cards/issue?campaignId=${campaign.id}`);
    expect(again.status).toBe(204);
    expect(again.headers.get('x-cards-issued')).toBe('0');
    const service = await suite.services.cards.issueForCampaign(em(), operator, campaign.id);
    expect(service.issued).toHaveLength(0);
    expect(await suite.count('card', COMUNE_A)).toBe(2);
  });

  it('keeps PINs only as keyed HMACs with their key id: no PIN anywhere in the database', async () => {
    const devKeyId = pinKeyId(Buffer.from(DEVELOPMENT_PIN_KEY, 'base64'));
    const rows = await em()
      .getConnection()
      .execute<{ id: string; pin_hash: string }[]>(`select id, pin_hash from public_welfare.card`);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.pin_hash).toMatch(new RegExp(`^hmac-sha256\\$${devKeyId}\\$[A-Za-z0-9+/]{43}=$`));
    }
    // The value is the HMAC of the card's id and its PIN, under the (development) PIN key.
    for (const [fiscalCode, { pin }] of letters) {
      const { id } = await cardOf(fiscalCode);
      expect(rows.find((r) => r.id === id)!.pin_hash).toBe(developmentPinValue(id, pin));
    }
    // Equal PINs on two cards give different values.
    const [a, b] = rows;
    expect(suite.services.cards.pinValue(a!.id, '123456')).not.toBe(
      suite.services.cards.pinValue(b!.id, '123456'),
    );
    // The database refuses anything but an HMAC value or a (legacy) Argon2id hash.
    await expect(
      em()
        .getConnection()
        .execute(`update public_welfare.card set pin_hash = '123456' where id = ?`, [a!.id]),
    ).rejects.toThrow(/card_pin_hash_check/);
    const tables = await em()
      .getConnection()
      .execute<{ table_name: string }[]>(
        `select table_name from information_schema.tables where table_schema = 'public_welfare' and table_type = 'BASE TABLE'`,
      );
    let dump = '';
    for (const { table_name } of tables) {
      const all = await em()
        .getConnection()
        .execute<{ row: string }[]>(
          `select row_to_json(t)::text as row from public_welfare."${table_name}" t`,
        );
      dump += all.map((r) => r.row).join('\n');
    }
    expect(dump.length).toBeGreaterThan(1000);
    for (const { pin } of letters.values()) {
      expect(dump).not.toMatch(new RegExp(`(?<![0-9])${pin}(?![0-9])`));
    }
    // No codice fiscale in clear either.
    expect(dump).not.toContain(CF.mario);
  });

  it('issues for one approved application only, and never a second live card per holder', async () => {
    const notApproved = await caught(() =>
      suite.services.cards.issueForApplication(em(), operator, submittedOnly.id),
    );
    expect(notApproved.code).toBe('CONFLICT');
    const twice = await caught(() =>
      suite.services.cards.issueForApplication(em(), operator, approved[0]!.id),
    );
    expect(twice.code).toBe('CONFLICT');
    expect(
      (
        await caught(() =>
          suite.services.cards.issueForApplication(em(), operatorB, approved[0]!.id),
        )
      ).code,
    ).toBe('NOT_FOUND');
    // The database refuses a second live card for the same holder and Comune.
    await expect(
      em()
        .getConnection()
        .execute(
          `insert into public_welfare.card (id, comune_id, number, holder_fiscal_code_hash, holder_fiscal_code_cipher, pin_hash, qr_nonce, issued_by)
           select gen_random_uuid(), comune_id, '4111111111111111', holder_fiscal_code_hash, holder_fiscal_code_cipher, pin_hash, qr_nonce, issued_by
           from public_welfare.card limit 1`,
        ),
    ).rejects.toThrow(/card_one_live_per_holder/);
    expect(await suite.count('card')).toBe(2);
  });
});

describe('PINs', () => {
  it('counts wrong PINs, locks the card at the fifth, and unblocking clears the count', async () => {
    const saraCard = await cardOf(CF.sara);
    const { pin } = letters.get(CF.sara)!;
    const wrong = pin === '000000' ? '000001' : '000000';
    for (let i = 1; i <= 4; i++) {
      expect(await suite.services.cards.verifyPin(em(), saraCard.id, wrong)).toEqual({
        ok: false,
        reason: 'WRONG_PIN',
        attemptsLeft: 5 - i,
      });
    }
    // A right PIN clears the count; malformed PINs count as wrong ones.
    expect(await suite.services.cards.verifyPin(em(), saraCard.id, pin)).toEqual({ ok: true });
    expect((await card(saraCard.id)).pinFailures).toBe(0);
    for (const bad of ['12345', 'abcdef', `${pin}0`, '', 'x'.repeat(10_000)]) {
      expect((await suite.services.cards.verifyPin(em(), saraCard.id, bad)).ok).toBe(false);
    }
    expect((await card(saraCard.id)).pinFailures).toBe(5);
    const locked = await card(saraCard.id);
    expect(locked.status).toBe('BLOCKED');
    expect(locked.blockReason).toBe('PIN_LOCKED');
    // Locked: even the right PIN is refused now.
    expect(await suite.services.cards.verifyPin(em(), saraCard.id, pin)).toMatchObject({
      ok: false,
      reason: 'BLOCKED',
    });
    const asStaff = await suite.run<{ card: { locked: boolean; status: string } }>(
      `query ($id: ID!) { card(id: $id) { locked status blockReason pinFailures } }`,
      { id: saraCard.id },
      operator,
    );
    expect(asStaff.data?.card).toMatchObject({ locked: true, status: 'BLOCKED' });

    const unblocked = await suite.run<{ unblockCard: { status: string; pinFailures: number } }>(
      `mutation ($id: ID!) { unblockCard(id: $id) { status pinFailures locked blockReason } }`,
      { id: saraCard.id },
      operator,
    );
    expect(unblocked.data?.unblockCard).toEqual({
      status: 'ACTIVE',
      pinFailures: 0,
      locked: false,
      blockReason: null,
    });
    expect(await suite.services.cards.verifyPin(em(), saraCard.id, pin)).toEqual({ ok: true });
  });

  it('checks no more than 5 wrong PINs when 20 attempts arrive at once', async () => {
    const saraCard = await cardOf(CF.sara);
    const { pin } = letters.get(CF.sara)!;
    const wrong = pin === '999999' ? '999998' : '999999';
    const results = await Promise.all(
      Array.from({ length: 20 }, () => suite.services.cards.verifyPin(em(), saraCard.id, wrong)),
    );
    expect(results.every((r) => !r.ok)).toBe(true);
    const reasons = results.map((r) => (r.ok ? 'OK' : r.reason));
    // Exactly 5 attempts were checked: 4 counted as wrong, the fifth locked the card; the rest
    // were refused without a check.
    expect(reasons.filter((r) => r === 'WRONG_PIN')).toHaveLength(4);
    // Only the attempt that locked the card says so; the others find it blocked.
    expect(reasons.filter((r) => r === 'LOCKED')).toHaveLength(1);
    expect(reasons.filter((r) => r === 'BLOCKED')).toHaveLength(15);
    const after = await card(saraCard.id);
    expect(after.pinFailures).toBe(5);
    expect(after.status).toBe('BLOCKED');
    expect(after.blockReason).toBe('PIN_LOCKED');
    await suite.services.cards.unblock(em(), operator, saraCard.id);
  });

  it('never counts right PINs arriving together as failures, even at 4 failures', async () => {
    const saraCard = await cardOf(CF.sara);
    const { pin } = letters.get(CF.sara)!;
    await sql(`update public_welfare.card set pin_failures = 4 where id = ?`, [saraCard.id]);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => suite.services.cards.verifyPin(em(), saraCard.id, pin)),
    );
    expect(results).toEqual(Array(10).fill({ ok: true }));
    expect(await card(saraCard.id)).toMatchObject({ status: 'ACTIVE', pinFailures: 0 });
  });

  it('upgrades a legacy Argon2id PIN to HMAC at its next right entry, not at a wrong one', async () => {
    const saraCard = await cardOf(CF.sara);
    const { pin } = letters.get(CF.sara)!;
    const wrong = pin === '000000' ? '000001' : '000000';
    const legacy = await argon2Hash(pin, {
      algorithm: Algorithm.Argon2id,
      memoryCost: 19456,
      timeCost: 2,
      parallelism: 1,
    });
    await sql(`update public_welfare.card set pin_hash = ? where id = ?`, [legacy, saraCard.id]);
    expect(await suite.services.cards.verifyPin(em(), saraCard.id, wrong)).toEqual({
      ok: false,
      reason: 'WRONG_PIN',
      attemptsLeft: 4,
    });
    expect(await card(saraCard.id)).toMatchObject({ pinHash: legacy, pinFailures: 1 });
    expect(await suite.services.cards.verifyPin(em(), saraCard.id, pin)).toEqual({ ok: true });
    expect(await card(saraCard.id)).toMatchObject({
      pinHash: developmentPinValue(saraCard.id, pin),
      pinFailures: 0,
    });
    // Now the HMAC value answers, right and wrong.
    expect(await suite.services.cards.verifyPin(em(), saraCard.id, pin)).toEqual({ ok: true });
    expect((await suite.services.cards.verifyPin(em(), saraCard.id, wrong)).ok).toBe(false);
    expect(await suite.services.cards.verifyPin(em(), saraCard.id, pin)).toEqual({ ok: true });
  });

  it('rewrites a PIN under an older key with the current key at its next right entry', async () => {
    const saraCard = await cardOf(CF.sara);
    const { pin } = letters.get(CF.sara)!;
    const wrong = pin === '000000' ? '000001' : '000000';
    const devKey = Buffer.from(DEVELOPMENT_PIN_KEY, 'base64');
    const newKey = randomBytes(32);
    const underDev = developmentPinValue(saraCard.id, pin);
    expect((await card(saraCard.id)).pinHash).toBe(underDev);
    // A process with the new key, the development key kept as an older one.
    const rotated = createServices({
      piiKey: randomBytes(32),
      pinKeys: { current: newKey, older: [devKey] },
    }).cards;
    expect((await rotated.verifyPin(em(), saraCard.id, wrong)).ok).toBe(false);
    expect(await card(saraCard.id)).toMatchObject({ pinHash: underDev, pinFailures: 1 });
    expect(await rotated.verifyPin(em(), saraCard.id, pin)).toEqual({ ok: true });
    const underNew = (await card(saraCard.id)).pinHash;
    expect(underNew).toBe(new PinKeyring(newKey).value(saraCard.id, pin));
    expect(underNew.startsWith(`hmac-sha256$${pinKeyId(newKey)}$`)).toBe(true);
    expect((await card(saraCard.id)).pinFailures).toBe(0);
    // A process without that key refuses to judge the PIN (an error, no attempt counted).
    await expect(suite.services.cards.verifyPin(em(), saraCard.id, pin)).rejects.toThrow(
      /unknown key id/,
    );
    await expect(suite.services.cards.verifyPin(em(), saraCard.id, wrong)).rejects.toThrow(
      /unknown key id/,
    );
    expect(await card(saraCard.id)).toMatchObject({ pinHash: underNew, pinFailures: 0 });
    // And back: the development key current again, the new one older.
    const back = createServices({
      piiKey: randomBytes(32),
      pinKeys: { current: devKey, older: [newKey] },
    }).cards;
    expect(await back.verifyPin(em(), saraCard.id, pin)).toEqual({ ok: true });
    expect((await card(saraCard.id)).pinHash).toBe(underDev);
  });
});

describe('PIN key configuration', () => {
  const base = {
    DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
    GATEWAY_PUBLIC_KEY: '{"kty":"OKP","crv":"Ed25519","x":"abc"}',
  };
  const production = {
    ...base,
    NODE_ENV: 'production',
    PII_KEY: Buffer.alloc(32, 1).toString('base64'),
    SMTP_URL: 'smtp://mail.example.it:587',
    SMTP_FROM: 'Comune <noreply@comune.example.it>',
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
  const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');

  it('uses the public development key outside production, and requires PIN_KEY in production', () => {
    expect(loadPublicWelfareConfig(base).pinKeys).toEqual({
      current: Buffer.from(DEVELOPMENT_PIN_KEY, 'base64'),
      older: [],
    });
    expect(issues(production)).toContain('PIN_KEY: required in production');
    const config = loadPublicWelfareConfig({
      ...production,
      PIN_KEY: key(2),
      PIN_KEYS_OLD: `${key(3)}, ${key(4)}`,
    });
    expect(config.pinKeys).toEqual({
      current: Buffer.alloc(32, 2),
      older: [Buffer.alloc(32, 3), Buffer.alloc(32, 4)],
    });
  });

  it('refuses malformed PIN keys with a clear message', () => {
    for (const bad of ['secret', Buffer.alloc(16, 1).toString('base64'), `${key(2)}!`]) {
      expect(issues({ ...base, PIN_KEY: bad })).toContain('PIN_KEY: must be 32 bytes in base64');
    }
    expect(issues({ ...base, PIN_KEYS_OLD: `${key(3)},short` })).toContain(
      'PIN_KEYS_OLD: must be 32-byte keys in base64, separated by commas',
    );
    expect(issues({ ...base, PIN_KEY: key(2), PIN_KEYS_OLD: key(2) })).toContain(
      'PIN_KEYS_OLD: must not repeat a key, nor contain PIN_KEY',
    );
  });
});

describe('blocking and replacing', () => {
  it('blocks with a reason and unblocks; PIN_LOCKED and unknown reasons are refused', async () => {
    const marioCard = await cardOf(CF.mario);
    const pinLocked = await suite.run(
      `mutation ($id: ID!) { blockCard(id: $id, reason: PIN_LOCKED) { id } }`,
      { id: marioCard.id },
      operator,
    );
    expect(errorCode(pinLocked)).toBe('BAD_USER_INPUT');
    const unknown = await suite.run(
      `mutation ($id: ID!) { blockCard(id: $id, reason: LOST) { id } }`,
      { id: randomUUID() },
      operator,
    );
    expect(errorCode(unknown)).toBe('NOT_FOUND');
    const malformed = await suite.run(
      `mutation { blockCard(id: "x", reason: LOST) { id } }`,
      {},
      operator,
    );
    expect(errorCode(malformed)).toBe('BAD_USER_INPUT');
    expect((await card(marioCard.id)).status).toBe('ACTIVE');

    const blocked = await suite.run<{ blockCard: { status: string; blockReason: string } }>(
      `mutation ($id: ID!) { blockCard(id: $id, reason: LOST) { status blockReason blockedAt locked } }`,
      { id: marioCard.id },
      operator,
    );
    expect(blocked.data?.blockCard).toMatchObject({ status: 'BLOCKED', blockReason: 'LOST' });
    expect(
      await suite.services.cards.verifyPin(em(), marioCard.id, letters.get(CF.mario)!.pin),
    ).toMatchObject({ ok: false, reason: 'BLOCKED' });
    await suite.services.cards.unblock(em(), manager, marioCard.id);
    expect(
      await suite.services.cards.verifyPin(em(), marioCard.id, letters.get(CF.mario)!.pin),
    ).toEqual({ ok: true });
  });

  it('replaces a card: new number, PIN and QR code in a one-page letter; the old ones are dead', async () => {
    const old = await cardOf(CF.mario);
    const oldQr = suite.services.cards.qrPayload(old);
    expect((await post(operatorB, `/files/cards/replace?cardId=${old.id}`)).status).toBe(404);
    expect((await post(mario, `/files/cards/replace?cardId=${old.id}`)).status).toBe(404);
    expect((await post(operator, `/files/cards/replace?cardId=${randomUUID()}`)).status).toBe(404);
    expect((await post(operator, `/files/cards/replace?cardId=bad`)).status).toBe(400);
    expect(await suite.count('card')).toBe(2);

    const res = await post(operator, `/files/cards/replace?cardId=${old.id}`);
    expect(res.status).toBe(200);
    const pages = pdfPages(Buffer.from(await res.arrayBuffer()));
    expect(pages).toHaveLength(1);
    const letter = letterOf(pages[0]!);
    expect(pages[0]!.join(' ')).toContain('This card replaces the previous one');
    expect(letter.fiscalCode).toBe(CF.mario);

    const dead = await card(old.id);
    const fresh = await cardOf(CF.mario);
    expect(dead.status).toBe('REPLACED');
    expect(dead.replacedBy).toBe(fresh.id);
    expect(fresh.number).toBe(letter.number);
    expect(fresh.number).not.toBe(old.number);
    expect(fresh.qrNonce).not.toBe(old.qrNonce);
    expect(await suite.count('card')).toBe(3);
    // The new PIN works on the new card; the old card refuses even its right PIN.
    expect(await suite.services.cards.verifyPin(em(), fresh.id, letter.pin!)).toEqual({ ok: true });
    expect(
      await suite.services.cards.verifyPin(em(), old.id, letters.get(CF.mario)!.pin),
    ).toMatchObject({ ok: false, reason: 'REPLACED' });
    // The old QR code is refused; the new one names the new card.
    const oldScan = await caught(() => suite.services.cards.identifyByQr(em(), operator, oldQr));
    expect(oldScan.code).toBe('BAD_USER_INPUT');
    expect(oldScan.fields[0]!.field).toBe('qr');
    const scanned = await suite.services.cards.identifyByQr(
      em(),
      operator,
      suite.services.cards.qrPayload(fresh),
    );
    expect(scanned.id).toBe(fresh.id);
    // The old number belongs to no live card: the codice fiscale finds the new one.
    const byCf = await suite.services.cards.identifyByFiscalCode(
      em(),
      operator,
      COMUNE_A,
      CF.mario,
    );
    expect(byCf.id).toBe(fresh.id);
    expect(byCf.number).not.toBe(old.number);
    // A replaced card cannot be blocked, unblocked or replaced again.
    expect(
      (await caught(() => suite.services.cards.block(em(), operator, old.id, 'LOST'))).code,
    ).toBe('CONFLICT');
    expect((await caught(() => suite.services.cards.unblock(em(), operator, old.id))).code).toBe(
      'CONFLICT',
    );
    expect((await post(operator, `/files/cards/replace?cardId=${old.id}`)).status).toBe(409);
    letters.set(CF.mario, { pin: letter.pin!, number: letter.number! });
  });
});

describe('identifying a card', () => {
  it('refuses tampered, forged and malformed QR payloads, auditing nothing', async () => {
    const fresh = await cardOf(CF.mario);
    const good = suite.services.cards.qrPayload(fresh);
    const [version, id, nonce, signature] = good.split('.') as [string, string, string, string];
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    const saraCard = await cardOf(CF.sara);
    const saraId = suite.services.cards.qrPayload(saraCard).split('.')[1]!;
    const forger = new CardQrSigner(deriveQrKey(randomBytes(32)));
    const audits = await suite.count('audit_event');
    for (const bad of [
      [version, id, flip(nonce), signature].join('.'),
      [version, id, nonce, flip(signature)].join('.'),
      [version, saraId, nonce, signature].join('.'),
      forger.sign(fresh.id, fresh.qrNonce),
      forger.sign(saraCard.id, saraCard.qrNonce),
      '',
      'WC1',
      'not a qr code',
      good.replace('WC1', 'WC9'),
      `${good}${'A'.repeat(5000)}`,
    ]) {
      const err = await caught(() => suite.services.cards.identifyByQr(em(), operator, bad));
      expect(err.code, bad.slice(0, 50)).toBe('BAD_USER_INPUT');
      expect(err.fields.map((f) => f.field)).toEqual(['qr']);
    }
    expect(await suite.count('audit_event')).toBe(audits);
    // Another Comune's staff cannot identify A's card, even with its real QR code.
    expect(
      (await caught(() => suite.services.cards.identifyByQr(em(), operatorB, good))).code,
    ).toBe('NOT_FOUND');
    expect(
      (await caught(() => suite.services.cards.identifyByQr(em(), ANONYMOUS, good))).code,
    ).toBe('UNAUTHENTICATED');
    const ok = await suite.services.cards.identifyByQr(em(), operator, ` ${good} `);
    expect(ok.id).toBe(fresh.id);
    expect(await suite.count('audit_event')).toBe(audits + 1);
  });

  it('finds the live card by codice fiscale in its Comune only', async () => {
    const byCf = await suite.services.cards.identifyByFiscalCode(
      em(),
      operator,
      COMUNE_A,
      CF.sara.toLowerCase(),
    );
    expect(byCf.id).toBe((await cardOf(CF.sara)).id);
    const malformed = await caught(() =>
      suite.services.cards.identifyByFiscalCode(em(), operator, COMUNE_A, 'RSSMRA80A01A592X'),
    );
    expect(malformed.code).toBe('BAD_USER_INPUT');
    expect(malformed.fields.map((f) => f.field)).toEqual(['fiscalCode']);
    expect(
      (
        await caught(() =>
          suite.services.cards.identifyByFiscalCode(em(), operator, COMUNE_A, CF.rosa),
        )
      ).code,
    ).toBe('NOT_FOUND');
    expect(
      (
        await caught(() =>
          suite.services.cards.identifyByFiscalCode(em(), operatorB, COMUNE_A, CF.sara),
        )
      ).code,
    ).toBe('FORBIDDEN');
    expect(
      (
        await caught(() =>
          suite.services.cards.identifyByFiscalCode(em(), operatorB, COMUNE_B, CF.sara),
        )
      ).code,
    ).toBe('NOT_FOUND');
  });
});

describe('GraphQL and tenancy', () => {
  const CARD_FIELDS = `id number status locked holderFiscalCode qrPayload pinFailures replacedBy comune { id } issuedBy { id }`;

  it('lists and reads cards for the Comune’s staff, audited, and nothing for others', async () => {
    const audits = await suite.count('audit_event', COMUNE_A);
    const page = await suite.run<{
      cards: {
        nodes: { id: string; status: string }[];
        totalCount: number;
        hasNextPage: boolean;
        endCursor: string | null;
      };
    }>(
      `query ($c: ID!, $after: String) { cards(comuneId: $c, first: 2, after: $after) { nodes { ${CARD_FIELDS} } totalCount hasNextPage endCursor } }`,
      { c: COMUNE_A },
      operator,
    );
    expect(page.errors).toBeUndefined();
    expect(page.data?.cards.totalCount).toBe(3);
    expect(page.data?.cards.nodes).toHaveLength(2);
    expect(page.data?.cards.hasNextPage).toBe(true);
    const next = await suite.run<{ cards: { nodes: { id: string }[]; hasNextPage: boolean } }>(
      `query ($c: ID!, $after: String) { cards(comuneId: $c, first: 2, after: $after) { nodes { id } hasNextPage } }`,
      { c: COMUNE_A, after: page.data?.cards.endCursor },
      operator,
    );
    expect(next.data?.cards.nodes).toHaveLength(1);
    expect(next.data?.cards.hasNextPage).toBe(false);
    const replaced = await suite.run<{ cards: { nodes: { status: string; qrPayload: null }[] } }>(
      `query ($c: ID!) { cards(comuneId: $c, status: REPLACED) { nodes { status qrPayload } } }`,
      { c: COMUNE_A },
      operator,
    );
    expect(replaced.data?.cards.nodes).toEqual([{ status: 'REPLACED', qrPayload: null }]);
    expect(await suite.count('audit_event', COMUNE_A)).toBe(audits + 3);

    const marioCard = await cardOf(CF.mario);
    const one = await suite.run<{ card: Record<string, unknown> }>(
      `query ($id: ID!) { card(id: $id) { ${CARD_FIELDS} } }`,
      { id: marioCard.id },
      operator,
    );
    expect(one.data?.card).toMatchObject({
      id: marioCard.id,
      holderFiscalCode: CF.mario,
      qrPayload: null,
      issuedBy: { id: operator.personId },
      comune: { id: COMUNE_A },
    });
    expect(await suite.count('audit_event', COMUNE_A)).toBe(audits + 4);

    for (const who of [operatorB, managerB, sara, rosa]) {
      const list = await suite.run(
        `query ($c: ID!) { cards(comuneId: $c) { totalCount } }`,
        { c: COMUNE_A },
        who,
      );
      expect(errorCode(list)).toBe('FORBIDDEN');
      const read = await suite.run<{ card: unknown }>(
        `query ($id: ID!) { card(id: $id) { id } }`,
        { id: marioCard.id },
        who,
      );
      expect(read.data?.card).toBeNull();
      const block = await suite.run(
        `mutation ($id: ID!) { blockCard(id: $id, reason: STOLEN) { id } }`,
        { id: marioCard.id },
        who,
      );
      expect(errorCode(block)).toBe('NOT_FOUND');
      const unblock = await suite.run(
        `mutation ($id: ID!) { unblockCard(id: $id) { id } }`,
        { id: marioCard.id },
        who,
      );
      expect(errorCode(unblock)).toBe('NOT_FOUND');
    }
    expect(errorCode(await suite.run(`{ myCards { id } }`, {}, ANONYMOUS))).toBe('UNAUTHENTICATED');
    expect(
      errorCode(
        await suite.run(
          `query ($c: ID!) { cards(comuneId: $c) { totalCount } }`,
          { c: COMUNE_A },
          ANONYMOUS,
        ),
      ),
    ).toBe('UNAUTHENTICATED');
    const b = await suite.run<{ cards: { totalCount: number } }>(
      `query ($c: ID!) { cards(comuneId: $c) { totalCount } }`,
      { c: COMUNE_B },
      operatorB,
    );
    expect(b.data?.cards.totalCount).toBe(0);
    const badPage = await suite.run(
      `query ($c: ID!) { cards(comuneId: $c, first: 0, after: "???") { totalCount } }`,
      { c: COMUNE_A },
      operator,
    );
    expect(errorCode(badPage)).toBe('BAD_USER_INPUT');
    // Nothing changed, nothing audited for the refused callers.
    expect(await suite.count('audit_event', COMUNE_A)).toBe(audits + 4);
    expect((await card(marioCard.id)).status).toBe('ACTIVE');
  });

  it('shows a citizen their own live card with its QR payload, and nobody else’s', async () => {
    const marioCard = await cardOf(CF.mario);
    const mine = await suite.run<{
      myCards: {
        id: string;
        qrPayload: string;
        holderFiscalCode: string;
        issuedBy: null;
        status: string;
      }[];
    }>(`{ myCards { ${CARD_FIELDS} } }`, {}, mario);
    expect(mine.errors).toBeUndefined();
    expect(mine.data?.myCards).toHaveLength(1);
    const [only] = mine.data!.myCards;
    expect(only).toMatchObject({
      id: marioCard.id,
      status: 'ACTIVE',
      holderFiscalCode: CF.mario,
      issuedBy: null,
    });
    // The payload to render is the card's real QR code.
    expect((await suite.services.cards.identifyByQr(em(), operator, only!.qrPayload)).id).toBe(
      marioCard.id,
    );
    const own = await suite.run<{ card: { qrPayload: string } }>(
      `query ($id: ID!) { card(id: $id) { qrPayload } }`,
      { id: marioCard.id },
      mario,
    );
    expect(own.data?.card.qrPayload).toBe(only!.qrPayload);
    const others = await suite.run<{ card: unknown }>(
      `query ($id: ID!) { card(id: $id) { id } }`,
      { id: (await cardOf(CF.sara)).id },
      mario,
    );
    expect(others.data?.card).toBeNull();
    const rosaCards = await suite.run<{ myCards: unknown[] }>(`{ myCards { id } }`, {}, rosa);
    expect(rosaCards.data?.myCards).toEqual([]);
    const staffCards = await suite.run<{ myCards: unknown[] }>(`{ myCards { id } }`, {}, operator);
    expect(staffCards.data?.myCards).toEqual([]);
  });
});
