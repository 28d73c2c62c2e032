import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { openOrm } from '@welfare/kit/orm';
import { Circuit } from './modules/circuit/circuit.entity.js';
import { TransferCode, book, issue, accountCodes, openWallet } from './modules/ledger/ledger.js';
import { Member, type MemberKind } from './modules/member/member.entity.js';
import { PaymentRequest } from './modules/payment/payment.entity.js';
import { iesCircuitOrmSettings } from './orm.js';

/*
 * Seeding and checks for the cross-process tests and the benchmarks (`@welfare/ies-circuit/testing`):
 * members with IES bought through `issue` (the only way IES comes into being), payment requests,
 * and the circuit's figures read through the book's API. Never loaded by the subgraph itself.
 */

/** A member to seed (ACTIVE), holding `issuedCents` of IES. */
export interface SeedMember {
  kind?: MemberKind;
  fiscalCode?: string;
  organisationId?: string;
  displayName: string;
  issuedCents?: number;
}

/** Opens the subgraph's ORM on `databaseUrl` for `fn`, then closes it. */
async function withOrm<T>(
  databaseUrl: string,
  fn: (em: Awaited<ReturnType<typeof openOrm>>['em']) => Promise<T>,
): Promise<T> {
  const orm = await openOrm(iesCircuitOrmSettings(databaseUrl, 4), { migrate: false });
  try {
    return await fn(orm.em.fork());
  } finally {
    await orm.close(true);
  }
}

/** Seeds ACTIVE members of the circuit, each with its wallet and IES issued; returns their ids. */
export function seedIesMembers(
  databaseUrl: string,
  circuitCode: string,
  members: readonly SeedMember[],
): Promise<string[]> {
  return withOrm(databaseUrl, async (em) => {
    const circuit = await em.findOneOrFail(Circuit, { code: circuitCode });
    const ids: string[] = [];
    for (const m of members) {
      const kind = m.kind ?? 'CITIZEN';
      const member = em.create(Member, {
        circuitId: circuit.id,
        kind,
        status: 'ACTIVE',
        displayName: m.displayName,
        ...(kind === 'CITIZEN'
          ? { personId: randomUUID(), fiscalCode: m.fiscalCode }
          : {
              organisationId: m.organisationId ?? randomUUID(),
              vatNumber: '06345670829',
              address: 'Via Roma 1, Balestrate',
              iban: 'IT14G0503643600000000456789',
              acceptsIes: kind === 'BUSINESS',
            }),
      });
      await em.flush();
      const walletId = await openWallet(em, member);
      if (m.issuedCents) {
        await issue(em, {
          id: randomUUID(),
          circuitId: circuit.id,
          creditAccountId: walletId,
          amount: m.issuedCents,
          code: TransferCode.ISSUANCE,
          reserveReference: `seeded purchase ${member.id}`,
        });
      }
      ids.push(member.id);
    }
    return ids;
  });
}

/** A payment request of the member (without an amount unless given), valid for a day. */
export function seedIesPaymentRequest(
  databaseUrl: string,
  payeeMemberId: string,
  amountCents: number | null = null,
): Promise<string> {
  return withOrm(databaseUrl, async (em) => {
    const payee = await em.findOneOrFail(Member, payeeMemberId);
    const request = em.create(PaymentRequest, {
      circuitId: payee.circuitId,
      payeeMemberId,
      amountCents,
      description: 'Cassa',
      expiresAt: new Date(Date.now() + 24 * 3600_000),
      createdBy: randomUUID(),
    });
    await em.flush();
    return request.id;
  });
}

/** A circuit's money, read through the book's API. */
export interface IesFigures {
  /** The issuer's debits less its credits: the IES in circulation (= the euro reserve). */
  issuedCents: number;
  /** The euro reserve: the sum of the issuer's reserve entries (the kit's `reserveTotals`). */
  reserveCents: number;
  /** What every other account of the circuit holds (wallets, fees, rewards, projects). */
  heldCents: number;
  /** The fees account's credits. */
  feeCreditsCents: number;
  /** The fees recorded on the circuit's payments. */
  paymentFeesCents: number;
  /** Holds still pending in the circuit's accounts. */
  pendingCents: number;
  /** The book's invariants (`checkInvariants`): empty when they hold. */
  problems: string[];
}

export function iesFigures(databaseUrl: string, circuitCode: string): Promise<IesFigures> {
  return withOrm(databaseUrl, (em) =>
    book.snapshot(em, async (view) => {
      const circuit = await view.findOneOrFail(Circuit, { code: circuitCode });
      const all = [
        ...(await book.accounts(view, { owner: { kind: 'circuit', ids: [circuit.id] } })),
        ...(await book.accounts(view, { owner: { kind: 'member', scopeIds: [circuit.id] } })),
        ...(await book.accounts(view, { owner: { kind: 'project', scopeIds: [circuit.id] } })),
      ];
      const issuer = all.find((a) => a.code === accountCodes.issuer(circuit.id))!;
      const fees = all.find((a) => a.code === accountCodes.fees(circuit.id))!;
      const [{ fees: paymentFees } = { fees: '0' }] = await view.execute<{ fees: string }[]>(
        `select coalesce(sum(fee_cents), 0)::text as fees from "ies_circuit"."payment" where circuit_id = ?`,
        [circuit.id],
      );
      const [reserve] = await book.reserveTotals(view, [issuer.id]);
      return {
        issuedCents: issuer.debitsPosted - issuer.creditsPosted,
        reserveCents: reserve?.reserve ?? 0,
        heldCents: all
          .filter((a) => a.id !== issuer.id)
          .reduce((s, a) => s + a.creditsPosted - a.debitsPosted, 0),
        feeCreditsCents: fees.creditsPosted,
        paymentFeesCents: Number(paymentFees),
        pendingCents: all.reduce((s, a) => s + a.debitsPending, 0),
        problems: (await book.checkInvariants(view)).problems,
      };
    }),
  );
}
