import type { EntityManager } from '@mikro-orm/postgresql';
import type { Circuit } from '../circuit/circuit.entity.js';
import type { CircuitService } from '../circuit/circuit.service.js';
import { TransferCode, book, openCircuitAccounts } from '../ledger/ledger.js';
import { MEMBER_KINDS, type MemberKind } from '../member/member.entity.js';
import type { FeeUse } from '../reserve/reserve.entity.js';
import type { ReserveRepository } from '../reserve/reserve.repository.js';

/** The ACTIVE members of a circuit of one kind. */
export interface MembersOfKind {
  kind: MemberKind;
  count: number;
}

/** A circuit's public figures, read from its book: the reserve and what it backs. */
export interface Transparency {
  circuit: Circuit;
  /** Euro in the reserve, in cents (the sum of the reserve entries). */
  reserveCents: number;
  /** IES issued against euro received (purchases and rewards funded), in cents. */
  issuedCents: number;
  /** IES destroyed against euro paid out (conversions, fees spent on costs), in cents. */
  redeemedCents: number;
  /** IES in circulation (issued less redeemed): equal to the reserve. */
  circulationCents: number;
  /** Fees collected (movements, conversions, demurrage), in cents. */
  feesCollectedCents: number;
  /** Fees put to a use, in cents. */
  feesUsedCents: number;
  /** Fees collected and not used yet. */
  feesBalanceCents: number;
  feeUses: FeeUse[];
  members: MembersOfKind[];
  updatedAt: Date;
}

/** A circuit's impact: where its IES were spent, who takes part. */
export interface Impact {
  circuit: Circuit;
  /** IES paid to member organisations (local spending), in cents. */
  localSpendingCents: number;
  /** Payments to member organisations. */
  localPayments: number;
  /** Member organisations that were paid. */
  organisationsPaid: number;
  members: MembersOfKind[];
  circulationCents: number;
  /** IES earned by taking part (rewards), in cents. */
  rewardsEarnedCents: number;
  /** Rewards earned. */
  rewardsCount: number;
  /** Members who earned at least one reward. */
  membersRewarded: number;
  updatedAt: Date;
}

const ISSUING = [TransferCode.ISSUANCE, TransferCode.REWARD_FUNDING] as string[];
const REDEEMING = [TransferCode.CONVERSION, TransferCode.FEE_USE] as string[];
const FEE_CODES = [
  TransferCode.FEE,
  TransferCode.CONVERSION_FEE,
  TransferCode.DEMURRAGE,
] as string[];
const SPENDING = [
  TransferCode.PAYMENT,
  TransferCode.CARD_FALLBACK,
  TransferCode.SERVICE_PAYMENT,
] as string[];

/**
 * The public figures of each circuit (no login): its reserve and circulation as the book holds
 * them (they are equal: the database refuses anything else at commit), its fees and their uses,
 * its members; and its impact (local spending, participation).
 */
export class TransparencyService {
  constructor(
    private readonly circuits: CircuitService,
    private readonly reserve: ReserveRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async figures(em: EntityManager, code: string): Promise<Transparency> {
    const circuit = await this.circuits.byCode(em, code);
    const accounts = await openCircuitAccounts(em, circuit.id);
    // One after the other: the reads share the request's connection.
    const [totals] = await book.reserveTotals(em, [accounts.issuer]);
    const issuerMoves = await book.movementTotals(em, { ids: [accounts.issuer] }, { by: 'set' });
    const [fees] = await book.accounts(em, { ids: [accounts.fees] });
    const feeMoves = await book.movementTotals(em, { ids: [accounts.fees] }, { by: 'set' });
    const feeUses = await this.reserve.feeUses(em, circuit.id);
    const members = await this.membersByKind(em, circuit.id);
    const sum = (rows: typeof issuerMoves, codes: string[], side: 'debits' | 'credits') =>
      rows
        .filter((r) => r.code !== null && codes.includes(r.code))
        .reduce((s, r) => s + r[side], 0);
    return {
      circuit,
      reserveCents: totals?.reserve ?? 0,
      circulationCents: totals?.circulation ?? 0,
      issuedCents: sum(issuerMoves, ISSUING, 'debits'),
      redeemedCents: sum(issuerMoves, REDEEMING, 'credits'),
      feesCollectedCents: sum(feeMoves, FEE_CODES, 'credits'),
      feesUsedCents: sum(feeMoves, [TransferCode.FEE_USE], 'debits'),
      feesBalanceCents: fees?.posted ?? 0,
      feeUses,
      members,
      updatedAt: this.now(),
    };
  }

  async impact(em: EntityManager, code: string): Promise<Impact> {
    const circuit = await this.circuits.byCode(em, code);
    const accounts = await openCircuitAccounts(em, circuit.id);
    const organisations = await this.organisationMemberIds(em, circuit.id);
    const spending = await book.movementGroups(
      em,
      { owner: { kind: 'member', scopeIds: [circuit.id] } },
      { by: ['owner'], codes: SPENDING },
    );
    const rewarded = await book.movementGroups(
      em,
      { ids: [accounts.rewards] },
      { by: ['counterpartyOwner'], codes: [TransferCode.REWARD] },
    );
    const [totals] = await book.reserveTotals(em, [accounts.issuer]);
    const members = await this.membersByKind(em, circuit.id);
    const paid = spending.filter((g) => g.ownerId && organisations.has(g.ownerId) && g.credits > 0);
    return {
      circuit,
      // Credits to a member organisation's wallet by a payment are local spending; its own
      // payments to others (debits) are not counted twice.
      localSpendingCents: paid.reduce((s, g) => s + g.credits, 0),
      localPayments: paid.reduce((s, g) => s + g.count, 0),
      organisationsPaid: paid.length,
      members,
      circulationCents: totals?.circulation ?? 0,
      rewardsEarnedCents: rewarded.reduce((s, g) => s + g.debits, 0),
      rewardsCount: rewarded.reduce((s, g) => s + g.count, 0),
      membersRewarded: rewarded.filter((g) => g.debits > 0).length,
      updatedAt: this.now(),
    };
  }

  /** Each kind's ACTIVE members (every kind listed, 0 included). */
  private async membersByKind(em: EntityManager, circuitId: string): Promise<MembersOfKind[]> {
    const rows = await em.execute<{ kind: string; count: string }[]>(
      `select kind, count(*)::text as count from "ies_circuit"."member"
        where circuit_id = ? and status = 'ACTIVE' group by kind`,
      [circuitId],
    );
    const byKind = new Map(rows.map((r) => [r.kind, Number(r.count)]));
    return MEMBER_KINDS.map((kind) => ({ kind, count: byKind.get(kind) ?? 0 }));
  }

  /** The ids of the circuit's member organisations (every kind but citizens). */
  private async organisationMemberIds(em: EntityManager, circuitId: string): Promise<Set<string>> {
    const rows = await em.execute<{ id: string }[]>(
      `select id from "ies_circuit"."member" where circuit_id = ? and kind <> 'CITIZEN'`,
      [circuitId],
    );
    return new Set(rows.map((r) => r.id));
  }
}
