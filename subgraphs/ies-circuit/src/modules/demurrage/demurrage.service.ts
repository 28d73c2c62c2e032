import type { EntityManager } from '@mikro-orm/postgresql';
import { InsufficientFunds, TransferConflict } from '@welfare/kit/book';
import { romeDay } from '@welfare/kit/dates';
import type { Circuit } from '../circuit/circuit.entity.js';
import type { CircuitRepository } from '../circuit/circuit.repository.js';
import { shareOf } from '../fee/fee.js';
import {
  AccountKind,
  TransferCode,
  book,
  deterministicId,
  openCircuitAccounts,
} from '../ledger/ledger.js';

/** What one pass did. */
export interface DemurrageOutcome {
  /** Wallets charged demurrage now (0 when they all were this month). */
  demurrageCharged: number;
  demurrageCents: number;
  /** Wallets whose unspent IES expired now. */
  expired: number;
  expiredCents: number;
}

/** The id of a wallet's demurrage of a month (`YYYY-MM`): once per wallet and month, ever. */
export const demurrageTransferId = (walletId: string, month: string) =>
  deterministicId('ies-circuit', 'demurrage', walletId, month);

/**
 * The circuits' optional rules on idle money, run on a schedule (`DemurrageJob`) and safe to run
 * again at any time:
 * - demurrage: `demurrageBasisPoints` of each wallet's balance a month, to the fees account
 *   (DEMURRAGE), once per wallet per calendar month (Rome time) by its deterministic id;
 * - expiry: a wallet with no movement for `expiryMonths` months gives its balance to the rewards
 *   account (EXPIRY), where it funds rewards again (the IES stay in circulation, backed by the
 *   same euro), once per idle period (the id names the wallet's last movement).
 */
export class DemurrageService {
  constructor(
    private readonly circuits: CircuitRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Every circuit with a rule on idle money, once. */
  async run(em: EntityManager, onSkip?: (walletId: string, err: unknown) => void) {
    const total: DemurrageOutcome = {
      demurrageCharged: 0,
      demurrageCents: 0,
      expired: 0,
      expiredCents: 0,
    };
    for (const circuit of await this.circuits.list(em)) {
      if (circuit.status !== 'ACTIVE') continue;
      if (circuit.demurrageBasisPoints === 0 && !circuit.expiryMonths) continue;
      const one = await this.runCircuit(em, circuit, onSkip);
      total.demurrageCharged += one.demurrageCharged;
      total.demurrageCents += one.demurrageCents;
      total.expired += one.expired;
      total.expiredCents += one.expiredCents;
    }
    return total;
  }

  /** One circuit's demurrage of the current month and its expiries. */
  async runCircuit(
    em: EntityManager,
    circuit: Circuit,
    onSkip?: (walletId: string, err: unknown) => void,
  ): Promise<DemurrageOutcome> {
    const out: DemurrageOutcome = {
      demurrageCharged: 0,
      demurrageCents: 0,
      expired: 0,
      expiredCents: 0,
    };
    const now = this.now();
    const month = romeDay(now).slice(0, 7);
    const accounts = await openCircuitAccounts(em, circuit.id);
    const wallets = await book.accounts(em, {
      owner: { kind: 'member', scopeIds: [circuit.id], accountKind: AccountKind.WALLET },
    });
    for (const wallet of wallets) {
      try {
        if (circuit.expiryMonths) {
          const cents = await this.expire(
            em,
            wallet.id,
            accounts.rewards,
            circuit.expiryMonths,
            now,
          );
          if (cents > 0) {
            out.expired += 1;
            out.expiredCents += cents;
            continue;
          }
        }
        if (circuit.demurrageBasisPoints > 0) {
          const id = demurrageTransferId(wallet.id, month);
          if ((await book.transfersById(em, [id])).length) continue;
          const [fresh] = await book.accounts(em, { ids: [wallet.id] });
          const cents = shareOf(fresh?.available ?? 0, circuit.demurrageBasisPoints);
          if (cents <= 0) continue;
          await book.transfer(em, {
            id,
            debit: wallet.id,
            credit: accounts.fees,
            amount: cents,
            code: TransferCode.DEMURRAGE,
            reference: `demurrage:${month}`,
          });
          out.demurrageCharged += 1;
          out.demurrageCents += cents;
        }
      } catch (err) {
        // A wallet spent meanwhile (or charged by another process): tried again at the next pass.
        if (err instanceof InsufficientFunds || err instanceof TransferConflict)
          onSkip?.(wallet.id, err);
        else throw err;
      }
    }
    return out;
  }

  /** Expires a wallet idle for `months` months: its balance to the rewards. Returns the cents. */
  private async expire(
    em: EntityManager,
    walletId: string,
    rewards: string,
    months: number,
    now: Date,
  ): Promise<number> {
    const { items } = await book.statement(em, { ids: [walletId] }, { limit: 1 });
    const last = items[0];
    if (!last) return 0;
    const limit = new Date(now);
    limit.setUTCMonth(limit.getUTCMonth() - months);
    if (last.createdAt > limit) return 0;
    const [wallet] = await book.accounts(em, { ids: [walletId] });
    const cents = wallet?.available ?? 0;
    if (cents <= 0) return 0;
    await book.transfer(em, {
      id: deterministicId('ies-circuit', 'expiry', walletId, String(last.seq)),
      debit: walletId,
      credit: rewards,
      amount: cents,
      code: TransferCode.EXPIRY,
      reference: `expiry:${months}`,
    });
    return cents;
  }
}
