// `npm run bench -- ies` (issue 17, "Benchmarks"). Asserts nothing; prints:
// 1. member-to-member IES payments with the circuit's fee (`payIesPaymentRequest`) through the
//    gateway at BENCH_CLIENTS (50) clients: BENCH_PAYMENTS (2,000) payments by as many citizens
//    (each its own wallet) to BENCH_PAYEES (3) shops (their wallets and the circuit's fees account
//    are hot accounts), each with a fresh idempotency key; an answer without a definite outcome
//    is retried with the same key. Payments per second, p50/p95/p99;
// 2. in the same run, the POS payment (`chargeCard`, 1 €) at as many clients, as many payments
//    (as corporate.ts), and the ratio of the two rates;
// 3. after the run: the euro reserve (the issuer's reserve entries) = the IES in circulation (the
//    issuer's debits less credits) = what the circuit's accounts hold, the fees account's credits = the fees of
//    the payments, no hold left, the books' invariants.
// Seeding: the circuit's members and their IES through `@welfare/ies-circuit/testing` (issued with
// the ledger's `issue`), everything else through the gateway.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_CIRCUIT_CODE, DEMO_MEMBER_IDS } from '@welfare/ies-circuit/demo';
import { iesFigures, seedIesMembers, seedIesPaymentRequest } from '@welfare/ies-circuit/testing';
import { startPlatform } from '@welfare/platform';
import { createTestDatabase, startTestPostgres } from '@welfare/kit/testing';
import pg from 'pg';
import { citizenToken } from '../support/citizen.js';
import { DEMO_CAMPAIGN_ID, DEMO_COMUNE_ID, DEMO_PASSWORD, demoEmail } from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import {
  accreditShop,
  beneficiaryFiscalCode,
  bookProblems,
  chargeCard,
  creditCampaign,
  pendingHolds,
  seedCards,
} from '../support/money.js';
import { burst, failures, line, rate } from './lib.js';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const PAYMENTS = Number(process.env.BENCH_PAYMENTS ?? 2_000);
const PAYEES = Number(process.env.BENCH_PAYEES ?? 3);
const POS_AMOUNT = 100;
/** Each payer's IES: never the limit (at most 5 € + 10 cents of fee a payment). */
const FUNDS = (Math.ceil(PAYMENTS / CLIENTS) + 2) * 520;

const PAY = /* GraphQL */ `
  mutation ($input: IesPayInput!) {
    payIesPaymentRequest(input: $input) {
      id
      amountCents
      feeCents
    }
  }
`;

const postgres = await startTestPostgres();
const work = await mkdtemp(join(tmpdir(), 'welfare-bench-ies-'));
const databaseUrl = await createTestDatabase(postgres.url, 'bench_ies');
const platform = await startPlatform({
  databaseUrl,
  dataDir: work,
  randomPorts: true,
  nodeEnv: 'test',
  web: false,
  demoData: true,
  log: () => undefined,
});
const db = new pg.Client({ connectionString: databaseUrl });
await db.connect();
try {
  const gateway = platform.urls.gateway;

  // The payers (citizens, each its own wallet) and the payees (the demo shop and other shops).
  const fiscalCodes = Array.from({ length: CLIENTS }, (_, n) => beneficiaryFiscalCode(500_000 + n));
  await seedIesMembers(
    databaseUrl,
    DEMO_CIRCUIT_CODE,
    fiscalCodes.map((fiscalCode, n) => ({
      fiscalCode,
      displayName: `Pagatore ${n}`,
      issuedCents: FUNDS,
    })),
  );
  const shops = await seedIesMembers(
    databaseUrl,
    DEMO_CIRCUIT_CODE,
    Array.from({ length: PAYEES - 1 }, (_, n) => ({
      kind: 'BUSINESS' as const,
      displayName: `Bottega ${n}`,
    })),
  );
  const requests = await Promise.all(
    [DEMO_MEMBER_IDS.shop, ...shops].map((id) => seedIesPaymentRequest(databaseUrl, id)),
  );
  const tokens: string[] = [];
  for (let f = 0; f < CLIENTS; f += 10) {
    await Promise.all(
      fiscalCodes.slice(f, f + 10).map(async (fc, i) => {
        tokens[f + i] = await citizenToken(platform, fc);
      }),
    );
  }
  const before = await iesFigures(databaseUrl, DEMO_CIRCUIT_CODE);

  let retried = 0;
  let feesPaid = 0;
  /** One payment; an answer without a definite outcome retried with the same key. */
  const payOnce = async (i: number, w: number): Promise<string | null> => {
    const input = {
      requestId: requests[i % requests.length]!,
      amountCents: 100 + ((i * 37) % 400),
      idempotencyKey: randomUUID(),
    };
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const answer = await gql<{ payIesPaymentRequest: { feeCents: number } }>(
        gateway,
        PAY,
        { input },
        { token: tokens[w]! },
      ).catch(() => null);
      const paid = answer?.data?.payIesPaymentRequest;
      if (paid) {
        feesPaid += paid.feeCents;
        return null;
      }
      const code = answer?.errors?.[0]?.extensions?.code;
      if (answer && code !== 'SERVICE_UNAVAILABLE' && code !== 'INTERNAL_SERVER_ERROR')
        return `${String(code ?? answer.status)}`;
      retried += 1;
      await new Promise((r) => setTimeout(r, Math.min(1_000, 50 * 2 ** attempt)));
    }
    return 'no definite outcome after 20 attempts';
  };
  const warmUp = await burst(CLIENTS, CLIENTS, payOnce);
  const feesOfWarmUp = feesPaid;
  const payments = await burst(CLIENTS, PAYMENTS, (i, w) => payOnce(CLIENTS + i, w));

  // The POS side, same clients, same count: a family's card at the demo shop (as corporate.ts).
  const manager = await login(gateway, demoEmail('COMUNE', 'MANAGER'), DEMO_PASSWORD);
  const families = await seedCards(db, {
    dataDir: work,
    comuneId: DEMO_COMUNE_ID,
    campaignId: DEMO_CAMPAIGN_ID,
    staffId: manager.viewer.person.id,
    count: CLIENTS,
    amountCents: 1_000_000,
  });
  await creditCampaign(gateway, manager.token, DEMO_CAMPAIGN_ID, CLIENTS * 1_000_000 + 10_000_000);
  const owner = await login(gateway, demoEmail('MERCHANT', 'OWNER'), DEMO_PASSWORD);
  const merchantId = owner.viewer.memberships.find((m) => m.organisation.kind === 'MERCHANT')
    ?.organisation.id;
  if (!merchantId) throw new Error('the demo owner has no merchant');
  const accreditationId = await accreditShop(
    gateway,
    { token: owner.token, merchantId },
    manager.token,
    DEMO_CAMPAIGN_ID,
  );
  const cashier = (await login(gateway, demoEmail('MERCHANT', 'CASHIER'), DEMO_PASSWORD)).token;
  const pos = await burst(CLIENTS, PAYMENTS, async (_i, w) => {
    const answer = await chargeCard(gateway, cashier, {
      key: randomUUID(),
      accreditationId,
      fiscalCode: families[w]!.fiscalCode,
      amountCents: POS_AMOUNT,
    });
    return answer.data?.chargeCard
      ? null
      : `${answer.status} ${answer.errors?.[0]?.extensions?.code ?? 'NO_CODE'}`;
  });

  // After the run.
  const after = await iesFigures(databaseUrl, DEMO_CIRCUIT_CODE);
  const holds = (await pendingHolds(db)).length + (await pendingHolds(db, 'ies_circuit')).length;
  const problems = [
    ...(await bookProblems(db)),
    ...(await bookProblems(db, 'ies_circuit')).map((p) => `ies_circuit: ${p}`),
    ...after.problems.map((p) => `ies_circuit (checkInvariants): ${p}`),
  ];

  console.log(
    `\nIES circuit benchmark: ${CLIENTS} clients (payers), ${requests.length} payees, ${availableParallelism()} CPUs`,
  );
  console.log(
    `\n1. member-to-member payments with the fee (payIesPaymentRequest through the gateway; + ${warmUp.ms.length} warm-up, ${failures(warmUp)} failed)`,
  );
  if (failures(warmUp))
    console.log(`  warm-up errors: ${JSON.stringify(Object.fromEntries(warmUp.errors))}`);
  console.log(line('IES payment, 1-5 IES + fee, to 3 hot shops', payments));
  console.log(`    answers without a definite outcome retried with the same key: ${retried}`);
  console.log(line(`POS chargeCard (${POS_AMOUNT / 100} €, same run, same clients)`, pos));
  console.log(`  ratio IES payments / POS payments: ${(rate(payments) / rate(pos)).toFixed(3)}`);
  console.log(`\n2. after the run`);
  console.log(
    `  euro reserve: ${(after.reserveCents / 100).toFixed(2)}; ` +
      `IES in circulation (issuer's debits - credits): ${(after.issuedCents / 100).toFixed(2)}; ` +
      `held by the circuit's accounts: ${(after.heldCents / 100).toFixed(2)} ` +
      `(${after.reserveCents === after.issuedCents && after.issuedCents === after.heldCents ? 'equal' : 'DIFFERENT'})`,
  );
  const feesCredited = after.feeCreditsCents - before.feeCreditsCents;
  const feesRecorded = after.paymentFeesCents - before.paymentFeesCents;
  console.log(
    `  fees: account credited ${(feesCredited / 100).toFixed(2)}, payments' fees ${(feesRecorded / 100).toFixed(2)}, ` +
      `answered to the clients ${(feesPaid / 100).toFixed(2)} (warm-up ${(feesOfWarmUp / 100).toFixed(2)}) ` +
      `(${feesCredited === feesRecorded && feesRecorded === feesPaid ? 'add up' : 'DO NOT ADD UP'})`,
  );
  console.log(`  holds left pending: ${holds} (IES pending ${after.pendingCents})`);
  console.log(`  book invariants: ${problems.length === 0 ? 'ok' : problems.join('; ')}`);
} finally {
  await db.end();
  await platform.stop();
  await postgres.teardown();
  await rm(work, { recursive: true, force: true });
}
