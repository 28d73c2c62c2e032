// Issue 12, item 3, "PIN checks as payment systems do them": the 5-attempt lock is counted in the
// database (the card's row lock), not in a process. Two public-welfare processes serve one
// database, as two replicas do; payments are sent straight to each with signed gateway tokens.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTokenSigner } from '@welfare/kit/auth';
import { ServiceProcess } from '@welfare/platform';
import { developmentPinValue } from '@welfare/public-welfare/card-pin';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CAMPAIGN_ID, DEMO_COMUNE_ID, DEMO_PASSWORD, demoEmail } from '../support/demo.js';
import { gql, login, type GraphQLResponse } from '../support/graphql.js';
import {
  CARD_PIN,
  CHARGE,
  LEGACY_CARD_PIN_HASH,
  accreditShop,
  bookProblems,
  creditCampaign,
  seedCards,
  type ChargeAnswer,
  type SeededCard,
} from '../support/money.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

const COMUNE_ID = DEMO_COMUNE_ID;
const CAMPAIGN_ID = DEMO_CAMPAIGN_ID;
const ENTRY = fileURLToPath(
  new URL('../../subgraphs/public-welfare/dist/index.js', import.meta.url),
);
/** Not CARD_PIN. */
const WRONG_PIN = '000000';

describe('PIN attempts are counted in the database, across two public-welfare processes', () => {
  let platform: TestPlatform;
  let db: pg.Client;
  let second: ServiceProcess | undefined;
  /** The two processes' GraphQL endpoints. */
  let replicas: [string, string];
  let cashierToken: () => Promise<string>;
  let accreditationId: string;
  let cards: SeededCard[];
  let legacy: SeededCard;

  beforeAll(async () => {
    platform = await startTestPlatform();
    const gateway = platform.urls.gateway;
    db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    const manager = await login(gateway, demoEmail('COMUNE', 'MANAGER'), DEMO_PASSWORD);
    const owner = await login(gateway, demoEmail('MERCHANT', 'OWNER'), DEMO_PASSWORD);
    const cashier = await login(gateway, demoEmail('MERCHANT', 'CASHIER'), DEMO_PASSWORD);
    const merchantId = owner.viewer.memberships.find((m) => m.organisation.kind === 'MERCHANT')
      ?.organisation.id;
    expect(merchantId).toBeTruthy();
    const seed = { dataDir: platform.dataDir, comuneId: COMUNE_ID, campaignId: CAMPAIGN_ID };
    const staffId = manager.viewer.person.id;
    cards = await seedCards(db, { ...seed, staffId, count: 2, amountCents: 10_000, first: 900 });
    const legacySeeded = await seedCards(db, {
      ...seed,
      staffId,
      count: 1,
      amountCents: 10_000,
      first: 902,
      legacyPins: true,
    });
    legacy = legacySeeded[0]!;
    await creditCampaign(gateway, manager.token, CAMPAIGN_ID, 10_000_000);
    accreditationId = await accreditShop(
      gateway,
      { token: owner.token, merchantId: merchantId! },
      manager.token,
      CAMPAIGN_ID,
    );

    // What the gateway would send for the cashier: a token for public-welfare naming the caller.
    const sign = await createTokenSigner(platform.keys.privateKey);
    const caller = {
      kind: 'person' as const,
      personId: cashier.viewer.person.id,
      sessionId: randomUUID(),
      platformAdmin: false,
      memberships: cashier.viewer.memberships.map((m) => ({
        organisationId: m.organisation.id,
        organisationKind: m.organisation.kind as 'MERCHANT',
        role: m.role as 'CASHIER',
      })),
    };
    cashierToken = () => sign('public-welfare', caller, randomUUID());

    // The second replica: the same database and keys, no migrations, no demo data.
    const secrets = JSON.parse(
      await readFile(join(platform.dataDir, 'dev-secrets.json'), 'utf8'),
    ) as { PII_KEY: string };
    // It binds a port of its own choosing and reports it (no port has to stay free meanwhile).
    second = new ServiceProcess(
      {
        name: 'public-welfare-2',
        entry: ENTRY,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NODE_ENV: 'test',
          LOG_LEVEL: 'warn',
          APOLLO_TELEMETRY_DISABLED: '1',
          DATABASE_URL: platform.databaseUrl,
          GATEWAY_PUBLIC_KEY: platform.keys.publicKey,
          MIGRATE_ON_START: 'false',
          DEMO_DATA: 'false',
          PII_KEY: secrets.PII_KEY,
        },
        port: 0,
        readyPath: '/healthz',
      },
      // Its last lines are in the error if it fails to start.
      () => undefined,
    );
    await second.start();
    replicas = [platform.urls.subgraphs['public-welfare']!, `${second.url}/graphql`];
    expect(replicas[0]).not.toBe(replicas[1]);
  });

  afterAll(async () => {
    await second?.stop();
    await db?.end();
    await platform?.close();
  });

  /** One payment sent straight to replica `r`. */
  const charge = async (r: number, card: SeededCard, pin: string, amountCents = 100) =>
    gql<ChargeAnswer>(
      replicas[r % 2]!,
      CHARGE,
      {
        input: {
          idempotencyKey: randomUUID(),
          accreditationId,
          card: { fiscalCode: card.fiscalCode },
          pin,
          amountCents,
          category: 'FOOD',
        },
      },
      { headers: { authorization: `Bearer ${await cashierToken()}` } },
    );
  const outcome = (answer: GraphQLResponse<ChargeAnswer>): string => {
    if (answer.data?.chargeCard) return 'PAID';
    const reason = answer.errors?.[0]?.extensions?.reason;
    return typeof reason === 'string' ? reason : JSON.stringify(answer.errors ?? answer.status);
  };
  const cardRow = async (id: string) =>
    (
      await db.query<{
        status: string;
        block_reason: string | null;
        pin_failures: number;
        pin_hash: string;
      }>(
        `select status, block_reason, pin_failures, pin_hash from public_welfare.card where id = $1`,
        [id],
      )
    ).rows[0]!;

  it('30 wrong PINs at once over both processes: exactly 5 evaluated, then the card is blocked', async () => {
    const card = cards[0]!;
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => charge(i, card, WRONG_PIN)),
    );
    const reasons = answers.map(outcome);
    const count = (reason: string) => reasons.filter((r) => r === reason).length;
    expect({
      WRONG_PIN: count('WRONG_PIN'),
      PIN_LOCKED: count('PIN_LOCKED'),
      CARD_BLOCKED: count('CARD_BLOCKED'),
    }).toEqual({ WRONG_PIN: 4, PIN_LOCKED: 1, CARD_BLOCKED: 25 });
    // Each wrong PIN told how many tries were left: 4, 3, 2, 1, each once.
    const left = answers
      .filter((a) => outcome(a) === 'WRONG_PIN')
      .map((a) => Number(/\d+/.exec(a.errors![0]!.message)?.[0] ?? NaN))
      .sort();
    expect(left).toEqual([1, 2, 3, 4]);
    expect(await cardRow(card.cardId)).toMatchObject({
      status: 'BLOCKED',
      block_reason: 'PIN_LOCKED',
      pin_failures: 5,
    });
    const paid = await db.query(`select 1 from public_welfare.payment where card_id = $1`, [
      card.cardId,
    ]);
    expect(paid.rowCount).toBe(0);
    // Blocked: even the right PIN is refused now, by either process.
    expect(outcome(await charge(0, card, CARD_PIN))).toBe('CARD_BLOCKED');
    expect(outcome(await charge(1, card, CARD_PIN))).toBe('CARD_BLOCKED');
  });

  it('right PINs at once over both processes never count as failures, even at 4 failures', async () => {
    const card = cards[1]!;
    await db.query(`update public_welfare.card set pin_failures = 4 where id = $1`, [card.cardId]);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => charge(i, card, CARD_PIN)),
    );
    expect(answers.map(outcome)).toEqual(Array(20).fill('PAID'));
    expect(await cardRow(card.cardId)).toMatchObject({ status: 'ACTIVE', pin_failures: 0 });
  });

  it('upgrades a legacy Argon2id PIN to HMAC at its first right entry, whichever process takes it', async () => {
    expect(await cardRow(legacy.cardId)).toMatchObject({ pin_hash: LEGACY_CARD_PIN_HASH });
    expect(outcome(await charge(0, legacy, WRONG_PIN))).toBe('WRONG_PIN');
    expect(await cardRow(legacy.cardId)).toMatchObject({
      pin_hash: LEGACY_CARD_PIN_HASH,
      pin_failures: 1,
    });
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => charge(i, legacy, CARD_PIN)),
    );
    expect(answers.map(outcome)).toEqual(Array(10).fill('PAID'));
    expect(await cardRow(legacy.cardId)).toMatchObject({
      status: 'ACTIVE',
      pin_failures: 0,
      pin_hash: developmentPinValue(legacy.cardId, CARD_PIN),
    });
    expect(await bookProblems(db)).toEqual([]);
  });
});
