// Scenario helpers for the card payments (crash test, POS benchmark): beneficiary cards seeded
// with SQL, the shop and the credit through the gateway, and the book's invariants read with pg.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as codiceFiscaleModule from 'codice-fiscale-js';
import { PiiCipher, normaliseFiscalCode } from '@welfare/kit/pii';
import { developmentPinValue } from '@welfare/public-welfare/card-pin';
import type pg from 'pg';
import { DEMO_COMUNE_ID, DEMO_PASSWORD, demoEmail } from './demo.js';
import { gql, login, type GraphQLResponse } from './graphql.js';
import { RECONCILE, type ReconciliationRun } from './reconciliation.js';

// CommonJS exporting `{ CodiceFiscale }` while its typings declare a default export.
const { CodiceFiscale } = codiceFiscaleModule as unknown as {
  CodiceFiscale: new (person: Record<string, unknown>) => { code: string };
};

/** The PIN of every seeded card. */
export const CARD_PIN = '246810';
/**
 * A legacy Argon2id hash (m=19456, t=2, p=1) of CARD_PIN, as cards issued before PINs became
 * keyed HMACs hold it: public-welfare rewrites it as HMAC at the card's next right PIN.
 */
export const LEGACY_CARD_PIN_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$xwbGhA3HroHXfY6X2E47jg$49pzEk48DnctPzmbn16rD7n/JKTnVeHFvFv6HuXmE+s';
/** The purpose public-welfare hashes codici fiscali under (imports/csv-columns.ts). */
const FISCAL_CODE_PURPOSE = 'fiscal-code';
/** public-welfare's PII key domain (src/services.ts `PII_DOMAIN`). */
const PII_DOMAIN = 'welfare-public-welfare';

const GIVEN = ['Mario', 'Anna', 'Luca', 'Rosa', 'Pietro', 'Sara', 'Gino', 'Carla', 'Ugo', 'Ida'];

/** A valid, deterministic codice fiscale for beneficiary `n` (unique for n < 3,000,000). */
export function beneficiaryFiscalCode(n: number): string {
  const year = 1930 + (n % 90);
  const month = (Math.floor(n / 90) % 12) + 1;
  const day = (Math.floor(n / 1080) % 28) + 1;
  const given = `${GIVEN[Math.floor(n / 30240) % 10]}${String.fromCharCode(65 + (Math.floor(n / 302400) % 10))}`;
  return new CodiceFiscale({
    name: given,
    surname: 'Pagatore',
    gender: 'M',
    day,
    month,
    year,
    birthplace: 'Balestrate',
    birthplaceProvincia: 'PA',
  }).code;
}

/** A 16-digit card number whose last digit is the Luhn check digit. */
function cardNumber(n: number): string {
  const body = `9${String(n).padStart(14, '0')}`;
  let sum = 0;
  for (let i = 0; i < body.length; i += 1) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}

export interface SeededCard {
  cardId: string;
  fiscalCode: string;
  applicationId: string;
}

/**
 * `count` APPROVED applications of the campaign (each entitled to `amountCents`) and a live ACTIVE
 * card for each holder with PIN CARD_PIN, written with SQL as the services would write them: the
 * codice fiscale hashed and encrypted with the run's PII key (read from `dev-secrets.json`), the
 * PIN as its HMAC under the development PIN key (the platform's processes run without PIN_KEY),
 * or as the legacy Argon2id hash with `legacyPins`.
 */
export async function seedCards(
  client: pg.Client,
  options: {
    dataDir: string;
    comuneId: string;
    campaignId: string;
    staffId: string;
    count: number;
    amountCents: number;
    first?: number;
    legacyPins?: boolean;
    /**
     * Only the applications (their holders already have a live card: a second campaign's
     * applications, credited to the same cards); `cardId` is then empty.
     */
    applicationsOnly?: boolean;
    /** The protocol numbers' prefix (unique in a Comune): `PAY` unless told. */
    protocolPrefix?: string;
  },
): Promise<SeededCard[]> {
  const secrets = JSON.parse(await readFile(join(options.dataDir, 'dev-secrets.json'), 'utf8')) as {
    PII_KEY: string;
  };
  const pii = new PiiCipher(Buffer.from(secrets.PII_KEY, 'base64'), PII_DOMAIN);
  const first = options.first ?? 0;
  const cards: SeededCard[] = [];
  for (let start = 0; start < options.count; start += 500) {
    const apps: unknown[] = [];
    const appRows: string[] = [];
    const cardParams: unknown[] = [];
    const cardRows: string[] = [];
    for (let i = start; i < Math.min(options.count, start + 500); i += 1) {
      const n = first + i;
      const fiscalCode = beneficiaryFiscalCode(n);
      const hash = pii.lookupHash(FISCAL_CODE_PURPOSE, normaliseFiscalCode(fiscalCode));
      const cipher = pii.encrypt(fiscalCode);
      const applicationId = randomUUID();
      const cardId = randomUUID();
      cards.push({ cardId: options.applicationsOnly ? '' : cardId, fiscalCode, applicationId });
      const a = apps.length;
      apps.push(
        applicationId,
        hash,
        cipher,
        `${options.protocolPrefix ?? 'PAY'}-${n}`,
        options.amountCents,
      );
      appRows.push(
        `($${a + 1}, '${options.campaignId}', '${options.comuneId}', 'APPROVED', $${a + 2}, $${a + 3}, '${options.staffId}', '{}'::jsonb, '[]'::jsonb, $${a + 4}, now(), $${a + 5}, now(), '${options.staffId}')`,
      );
      const c = cardParams.length;
      cardParams.push(
        cardId,
        cardNumber(n),
        hash,
        cipher,
        options.legacyPins ? LEGACY_CARD_PIN_HASH : developmentPinValue(cardId, CARD_PIN),
        randomBytes(16).toString('base64url'),
        applicationId,
      );
      cardRows.push(
        `($${c + 1}, '${options.comuneId}', $${c + 2}, $${c + 3}, $${c + 4}, $${c + 5}, $${c + 6}, $${c + 7}, '${options.staffId}')`,
      );
    }
    await client.query(
      `insert into public_welfare.application (id, campaign_id, comune_id, status,
         applicant_fiscal_code_hash, applicant_fiscal_code_cipher, created_by, answers, checks,
         protocol_number, submitted_at, amount_cents, decided_at, decided_by)
       values ${appRows.join(', ')}`,
      apps,
    );
    if (options.applicationsOnly) continue;
    await client.query(
      `insert into public_welfare.card (id, comune_id, number, holder_fiscal_code_hash,
         holder_fiscal_code_cipher, pin_hash, qr_nonce, application_id, issued_by)
       values ${cardRows.join(', ')}`,
      cardParams,
    );
  }
  return cards;
}

function must<T>(answer: { data?: T | null; errors?: unknown }, what: string): T {
  if (!answer.data || answer.errors) {
    throw new Error(`${what} failed: ${JSON.stringify(answer.errors)}`);
  }
  return answer.data;
}

/**
 * Through the gateway: the campaign's budget raised to `budgetCents` (MANAGER) and every
 * APPROVED application credited to its card (`topUpCampaign`, tranche 1 at 100%).
 */
export async function creditCampaign(
  gateway: string,
  managerToken: string,
  campaignId: string,
  budgetCents: number,
): Promise<{ creditedCents: number; withoutCard: number }> {
  must(
    await gql(
      gateway,
      `mutation($c: ID!, $b: SafeInt!) { setCampaignBudget(campaignId: $c, budgetCents: $b) { id } }`,
      { c: campaignId, b: budgetCents },
      { token: managerToken },
    ),
    'setCampaignBudget',
  );
  const topUp = must(
    await gql<{ topUpCampaign: { creditedCents: number; withoutCard: number } }>(
      gateway,
      `mutation($c: ID!) { topUpCampaign(campaignId: $c) { creditedCents withoutCard } }`,
      { c: campaignId },
      { token: managerToken },
    ),
    'topUpCampaign',
  );
  return topUp.topUpCampaign;
}

/**
 * Through the gateway: the merchant's OWNER asks to join the campaign (FOOD) and the Comune's
 * MANAGER accredits the shop. Returns the accreditation id.
 */
export async function accreditShop(
  gateway: string,
  owner: { token: string; merchantId: string },
  managerToken: string,
  campaignId: string,
): Promise<string> {
  const requested = must(
    await gql<{ requestShopAccreditation: { id: string } }>(
      gateway,
      `mutation($input: ShopAccreditationInput!) { requestShopAccreditation(input: $input) { id } }`,
      {
        input: {
          merchantId: owner.merchantId,
          campaignId,
          partitaIva: '12345678903',
          iban: 'IT60 X054 2811 1010 0000 0123 456',
          businessName: 'Alimentari Da Rosa',
          categories: ['FOOD', 'HYGIENE'],
          pointsOfSale: [{ name: 'Centro', address: 'Via Roma 1, Balestrate' }],
        },
      },
      { token: owner.token },
    ),
    'requestShopAccreditation',
  );
  const id = requested.requestShopAccreditation.id;
  must(
    await gql(
      gateway,
      `mutation($id: ID!) { decideShopAccreditation(id: $id, status: ACCREDITED) { id status } }`,
      { id },
      { token: managerToken },
    ),
    'decideShopAccreditation',
  );
  return id;
}

export const CHARGE = /* GraphQL */ `
  mutation Charge($input: ChargeCardInput!) {
    chargeCard(input: $input) {
      payment {
        id
        amountCents
      }
      residualCents
    }
  }
`;

export interface ChargeAnswer {
  chargeCard: { payment: { id: string; amountCents: number }; residualCents: number };
}

/**
 * One card payment through the gateway, as the till sends it: by codice fiscale, the demo PIN
 * and category FOOD unless told otherwise.
 */
export function chargeCard(
  gatewayUrl: string,
  token: string,
  payment: {
    key: string;
    accreditationId: string;
    fiscalCode: string;
    amountCents: number;
    pin?: string;
    category?: string;
  },
): Promise<GraphQLResponse<ChargeAnswer>> {
  return gql<ChargeAnswer>(
    gatewayUrl,
    CHARGE,
    {
      input: {
        idempotencyKey: payment.key,
        accreditationId: payment.accreditationId,
        card: { fiscalCode: payment.fiscalCode },
        pin: payment.pin ?? CARD_PIN,
        amountCents: payment.amountCents,
        category: payment.category ?? 'FOOD',
      },
    },
    { token },
  );
}

/** The schemas that hold a kit book: every one is checked by `bookProblems` unless told one. */
export const BOOK_SCHEMAS = ['public_welfare', 'corporate_welfare', 'ies_circuit'] as const;

/**
 * The book's invariants read straight from its tables (the checks of the kit's
 * `Book.checkInvariants`): every account's totals equal the sums of its transfers, debits equal
 * credits, no account but an ISSUER below zero, every pending credit of a hot account is the posted
 * credit of its transfer. A hot account's posted credits are its row's and its pending credits
 * (not yet folded) together. Returns the problems found: of the one book in `schema`, or of every
 * book of the platform (`BOOK_SCHEMAS`: the Comuni's voucher credit, the employers' plan credit
 * and the IES circuits), each problem prefixed with its schema. A book with a reserve (its
 * `book_reserve_entry` table) also has every issuer's reserve equal to its circulation, and no
 * posted issuer transfer without its entry.
 */
export async function bookProblems(client: pg.Client, schema?: string): Promise<string[]> {
  if (schema !== undefined) return schemaBookProblems(client, schema);
  const problems: string[] = [];
  for (const each of BOOK_SCHEMAS) {
    problems.push(...(await schemaBookProblems(client, each)).map((p) => `${each}: ${p}`));
  }
  return problems;
}

/** `bookProblems` of one schema's book. */
async function schemaBookProblems(client: pg.Client, schema: string): Promise<string[]> {
  const A = `"${schema}"."book_account"`;
  const T = `"${schema}"."book_transfer"`;
  const P = `"${schema}"."book_pending_credit"`;
  /** Each account's credits not yet folded into its row. */
  const unfolded = `(select account_id, sum(amount) as total from ${P} group by account_id)`;
  const problems: string[] = [];
  await client.query('begin isolation level repeatable read read only');
  try {
    const { rows: totals } = await client.query<{
      dp: string;
      cp: string;
      dpe: string;
      cpe: string;
    }>(
      `select coalesce(sum(debits_posted), 0)::text as dp,
         (coalesce(sum(credits_posted), 0) + (select coalesce(sum(amount), 0) from ${P}))::text as cp,
         coalesce(sum(debits_pending), 0)::text as dpe, coalesce(sum(credits_pending), 0)::text as cpe
       from ${A}`,
    );
    const t = totals[0]!;
    if (t.dp !== t.cp) problems.push(`debits posted ${t.dp} <> credits posted ${t.cp}`);
    if (t.dpe !== t.cpe) problems.push(`debits pending ${t.dpe} <> credits pending ${t.cpe}`);
    const { rows: moved } = await client.query<{ posted: string }>(
      `select coalesce(sum(amount) filter (where status = 'POSTED' and expires_at is null), 0)::text as posted
       from ${T}`,
    );
    if (moved[0]!.posted !== t.dp) {
      problems.push(`transfers moved ${moved[0]!.posted}, accounts record ${t.dp}`);
    }
    const { rows: mismatched } = await client.query<{ code: string }>(
      `with moves as (
         select debit_account_id as account_id,
           case when status = 'POSTED' and expires_at is null then amount else 0 end as dp, 0 as cp,
           case when status = 'PENDING' then amount else 0 end as dpe, 0 as cpe
         from ${T}
         union all
         select credit_account_id, 0, case when status = 'POSTED' and expires_at is null then amount else 0 end,
           0, case when status = 'PENDING' then amount else 0 end
         from ${T}
       ), sums as (
         select account_id, sum(dp) as dp, sum(cp) as cp, sum(dpe) as dpe, sum(cpe) as cpe
         from moves group by account_id
       )
       select a.code from ${A} a left join sums s on s.account_id = a.id
         left join ${unfolded} u on u.account_id = a.id
       where a.debits_posted <> coalesce(s.dp, 0)
         or a.credits_posted + coalesce(u.total, 0) <> coalesce(s.cp, 0)
         or a.debits_pending <> coalesce(s.dpe, 0) or a.credits_pending <> coalesce(s.cpe, 0)`,
    );
    for (const m of mismatched)
      problems.push(`account ${m.code}: totals differ from its transfers`);
    const { rows: negative } = await client.query<{ code: string; available: string }>(
      `select a.code,
         (a.credits_posted + coalesce(u.total, 0) - a.debits_posted - a.debits_pending)::text as available
       from ${A} a left join ${unfolded} u on u.account_id = a.id
       where a.kind <> 'ISSUER'
         and a.credits_posted + coalesce(u.total, 0) - a.debits_posted - a.debits_pending < 0`,
    );
    for (const n of negative) problems.push(`account ${n.code} below zero: ${n.available}`);
    const { rows: strays } = await client.query<{ transfer_id: string }>(
      `select p.transfer_id from ${P} p
         join ${T} t on t.id = p.transfer_id join ${A} a on a.id = p.account_id
       where t.status <> 'POSTED' or t.expires_at is not null or t.credit_account_id <> p.account_id
         or t.amount <> p.amount or not a.hot`,
    );
    for (const p of strays)
      problems.push(`pending credit of transfer ${p.transfer_id} is not its posted credit`);
    const { rows: reserveTable } = await client.query<{ found: string | null }>(
      `select to_regclass('"${schema}"."book_reserve_entry"')::text as found`,
    );
    if (reserveTable[0]!.found) problems.push(...(await reserveProblems(client, schema)));
  } finally {
    await client.query('rollback');
  }
  return problems;
}

/**
 * A book with a reserve: each issuer's reserve (the sum of its entries) equals its circulation
 * (debits less credits, those not yet folded counted), and every posted transfer moving an issuer
 * has its entry (in the caller's read-only transaction).
 */
async function reserveProblems(client: pg.Client, schema: string): Promise<string[]> {
  const A = `"${schema}"."book_account"`;
  const T = `"${schema}"."book_transfer"`;
  const P = `"${schema}"."book_pending_credit"`;
  const E = `"${schema}"."book_reserve_entry"`;
  const problems: string[] = [];
  const { rows: issuers } = await client.query<{
    code: string;
    reserve: string;
    circulation: string;
  }>(
    `select a.code,
       (select coalesce(sum(e.amount), 0) from ${E} e where e.issuer_account_id = a.id)::text as reserve,
       (a.debits_posted - a.credits_posted
         - (select coalesce(sum(p.amount), 0) from ${P} p where p.account_id = a.id))::text as circulation
     from ${A} a where a.kind = 'ISSUER'`,
  );
  for (const i of issuers) {
    if (i.reserve !== i.circulation)
      problems.push(`issuer ${i.code}: reserve ${i.reserve} <> circulation ${i.circulation}`);
  }
  const { rows: missing } = await client.query<{ id: string }>(
    `select t.id from ${T} t
     where t.status = 'POSTED' and t.expires_at is null
       and exists (select 1 from ${A} a where a.kind = 'ISSUER'
                   and a.id in (t.debit_account_id, t.credit_account_id))
       and not exists (select 1 from ${E} e where e.transfer_id = t.id)`,
  );
  for (const m of missing) problems.push(`issuer transfer ${m.id} has no reserve entry`);
  return problems;
}

/**
 * The holds still pending in the book (two-phase transfers neither posted, voided nor expired),
 * lapsed or not: after a checkout ends, PAID or FAILED, none of its legs may be left here.
 */
export async function pendingHolds(
  client: pg.Client,
  schema = 'public_welfare',
): Promise<{ id: string; reference: string | null; amount: number }[]> {
  const { rows } = await client.query<{ id: string; reference: string | null; amount: string }>(
    `select id, reference, amount::text from "${schema}"."book_transfer" where status = 'PENDING'`,
  );
  return rows.map((r) => ({ ...r, amount: Number(r.amount) }));
}

/**
 * Every transfer of a checkout's fund leg in public-welfare's book (the fund contract names them
 * `fund-leg:<legId>;…`), in order: its `HOLD` (status PENDING, then POSTED, VOIDED or EXPIRED),
 * the `CLOSE` of the hold (its capture, POSTED, or its release, VOIDED), and any plain `TRANSFER`
 * (a refund).
 */
export async function legTransfers(
  client: pg.Client,
  legId: string,
): Promise<
  { kind: 'HOLD' | 'CLOSE' | 'TRANSFER'; code: string; status: string; amount: number }[]
> {
  const { rows } = await client.query<{
    kind: 'HOLD' | 'CLOSE' | 'TRANSFER';
    code: string;
    status: string;
    amount: string;
  }>(
    `select case when pending_id is not null then 'CLOSE' when expires_at is not null then 'HOLD'
         else 'TRANSFER' end as kind, code, status, amount::text
     from public_welfare.book_transfer
     where reference like $1
       or pending_id in (select id from public_welfare.book_transfer where reference like $1)
     order by seq`,
    [`fund-leg:${legId};%`],
  );
  return rows.map((r) => ({ ...r, amount: Number(r.amount) }));
}

/**
 * Locks the book account `code` (FOR UPDATE) in `client`'s open transaction: whatever moves its
 * money waits until that transaction ends (a test orders concurrent payments with it).
 */
export async function lockBookAccount(client: pg.Client, code: string): Promise<void> {
  const { rowCount } = await client.query(
    `select id from public_welfare.book_account where code = $1 for update`,
    [code],
  );
  if (rowCount !== 1) throw new Error(`no book account ${code}`);
}

/** What a card can spend of a campaign's credit now (posted credits less debits and holds). */
export async function cardCredit(
  client: pg.Client,
  cardId: string,
  campaignId: string,
): Promise<number> {
  const { rows } = await client.query<{ balance: string }>(
    `select (credits_posted - debits_posted - debits_pending)::text as balance
     from public_welfare.book_account where code = $1`,
    [`card:${cardId}:campaign:${campaignId}`],
  );
  return Number(rows[0]?.balance ?? NaN);
}

/** The demo Comune (Comune di Balestrate), whose money every money test moves. */
const DEMO_COMUNE = DEMO_COMUNE_ID;

/**
 * The money reconciliation above the book (issue 11), run now through the gateway by the demo
 * Comune's manager: what does not add up, as `CHECK subject` lines (empty when all is well).
 */
export async function reconciliationProblems(
  gatewayUrl: string,
  comuneId = DEMO_COMUNE,
): Promise<string[]> {
  const { token } = await login(gatewayUrl, demoEmail('COMUNE', 'MANAGER'), DEMO_PASSWORD);
  const run = await gql<{ reconcileMoney: ReconciliationRun }>(
    gatewayUrl,
    RECONCILE,
    { c: comuneId },
    { token },
  );
  if (!run.data) throw new Error(`reconcileMoney: ${JSON.stringify(run.errors)}`);
  return run.data.reconcileMoney.problems.map(
    (p) => `${p.check} ${p.subject} (expected ${p.expectedCents}, found ${p.actualCents})`,
  );
}

/** The value at quantile `q` (0..1) of `values`. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}
