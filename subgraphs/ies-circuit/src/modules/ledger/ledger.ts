import type { EntityManager } from '@mikro-orm/postgresql';
import {
  Book,
  deterministicId,
  type AccountOwner,
  type ReserveMovement,
  type ReservePostInput,
} from '@welfare/kit/book';

/*
 * The ledger: this subgraph's access to its book, below every money module (issuance against the
 * reserve, payments and their fees, earning, conversion, donations, the card's fallback, catalogue
 * payments through the fund contract). It imports no other module: they depend on it.
 *
 * One unit: 1 IES = 1 euro cent in the book's integer amounts (`amount` 150 = 1.50 IES), backed one
 * to one by euro in the circuit's reserve.
 *
 * The accounts of a circuit `c`:
 * - `circuit:<c>:issuer` (ISSUER, hot, may go negative): its negative balance is the IES in
 *   circulation. It is debited only by an issuance (euro entered the reserve) and credited only by
 *   a redemption (euro left it); each of those carries its reserve entry (see `issue`, `redeem`).
 * - `circuit:<c>:fees` (FEES, hot): the fees collected, credited by every movement that pays one.
 * - `circuit:<c>:rewards` (REWARDS): IES issued for rewards (funded in euro by the Comune, an
 *   employer, a sponsor) and not yet earned by anybody.
 * - `circuit:<c>:member:<m>` (WALLET): a member's wallet; an organisation's wallet is hot (a shop
 *   is paid by many people at once).
 * - `circuit:<c>:project:<p>` (PROJECT): donations to a third-sector project.
 */

/**
 * The subgraph's book (the kit's tables in this schema), with a reserve: every posted transfer
 * that moves an issuer carries its reserve entry, checked by the database at commit. Only the
 * kit's API touches them.
 */
export const book = new Book('ies_circuit', { reserve: true });

/** Transfer codes of this subgraph's book. */
export const TransferCode = {
  /** IES bought with euro that entered the reserve (issuer to a wallet). */
  ISSUANCE: 'ISSUANCE',
  /** Rewards funded in euro (issuer to the circuit's rewards account). */
  REWARD_FUNDING: 'REWARD_FUNDING',
  /** A reward earned by taking part (rewards account to a wallet). */
  REWARD: 'REWARD',
  /** A payment between members (wallet to wallet), by QR code or at a till. */
  PAYMENT: 'PAYMENT',
  /** The fee of a movement (the payer's or the payee's wallet to the fees account). */
  FEE: 'FEE',
  /** A business's conversion to euro (wallet to issuer: held, posted when the manager approves). */
  CONVERSION: 'CONVERSION',
  /** The service fee of a conversion (wallet to the fees account). */
  CONVERSION_FEE: 'CONVERSION_FEE',
  /** A card payment at a till, the part beyond the voucher credit paid with IES. */
  CARD_FALLBACK: 'CARD_FALLBACK',
  /** A catalogue service paid with IES through the fund contract (hold, then post or void). */
  SERVICE_PAYMENT: 'SERVICE_PAYMENT',
  /** Part or all of a captured service payment given back. */
  SERVICE_REFUND: 'SERVICE_REFUND',
  /** A donation to a third-sector project (wallet to the project's account). */
  DONATION: 'DONATION',
  /** A closed project's IES, to its organisation's wallet (project account to wallet). */
  PROJECT_PAYOUT: 'PROJECT_PAYOUT',
  /** The circuit's demurrage on a balance (wallet to the fees account). */
  DEMURRAGE: 'DEMURRAGE',
  /** IES unspent past the circuit's expiry (wallet to the rewards account). */
  EXPIRY: 'EXPIRY',
  /** Fees put to a use the manager decided (fees account to a project, rewards, or redeemed). */
  FEE_USE: 'FEE_USE',
} as const;

/** A deterministic uuid from the parts (the kit's; re-exported for this subgraph's modules). */
export { deterministicId };

/** The owners of this book's accounts (the indexed owner columns the book's reads select by). */
export const owners = {
  circuit: (circuitId: string): AccountOwner => ({ kind: 'circuit', id: circuitId }),
  member: (memberId: string, circuitId: string): AccountOwner => ({
    kind: 'member',
    id: memberId,
    scopeId: circuitId,
  }),
  project: (projectId: string, circuitId: string): AccountOwner => ({
    kind: 'project',
    id: projectId,
    scopeId: circuitId,
  }),
};

/** The account codes (unique in the book). */
export const accountCodes = {
  issuer: (circuitId: string) => `circuit:${circuitId}:issuer`,
  fees: (circuitId: string) => `circuit:${circuitId}:fees`,
  rewards: (circuitId: string) => `circuit:${circuitId}:rewards`,
  wallet: (circuitId: string, memberId: string) => `circuit:${circuitId}:member:${memberId}`,
  project: (circuitId: string, projectId: string) => `circuit:${circuitId}:project:${projectId}`,
};

/** The account kinds. */
export const AccountKind = {
  ISSUER: 'ISSUER',
  FEES: 'FEES',
  REWARDS: 'REWARDS',
  WALLET: 'WALLET',
  PROJECT: 'PROJECT',
} as const;

/** The ids of a circuit's own accounts. */
export interface CircuitAccounts {
  issuer: string;
  fees: string;
  rewards: string;
}

/** Opens (or finds) a circuit's issuer, fees and rewards accounts. Idempotent. */
export async function openCircuitAccounts(
  em: EntityManager,
  circuitId: string,
): Promise<CircuitAccounts> {
  const owner = owners.circuit(circuitId);
  const byCode = await book.openAccounts(em, [
    {
      code: accountCodes.issuer(circuitId),
      kind: AccountKind.ISSUER,
      allowNegative: true,
      hot: true,
      owner,
    },
    { code: accountCodes.fees(circuitId), kind: AccountKind.FEES, hot: true, owner },
    { code: accountCodes.rewards(circuitId), kind: AccountKind.REWARDS, owner },
  ]);
  const id = (code: string) => {
    const account = byCode.get(code);
    if (!account) throw new Error(`ledger: account ${code} not opened`);
    return account.id;
  };
  return {
    issuer: id(accountCodes.issuer(circuitId)),
    fees: id(accountCodes.fees(circuitId)),
    rewards: id(accountCodes.rewards(circuitId)),
  };
}

/**
 * Opens (or finds) a member's wallet and returns its account id. An organisation's wallet is hot:
 * the payments it receives are appended, not queued on its row.
 */
export async function openWallet(
  em: EntityManager,
  member: { id: string; circuitId: string; kind: string },
): Promise<string> {
  return book.openAccountId(em, {
    code: accountCodes.wallet(member.circuitId, member.id),
    kind: AccountKind.WALLET,
    owner: owners.member(member.id, member.circuitId),
    hot: member.kind !== 'CITIZEN',
  });
}

/** What an issuance needs: the euro that entered the reserve and where the IES go. */
export interface IssueInput {
  /** The transfer's id (deterministic, so that a retry issues once). */
  id: string;
  circuitId: string;
  /** The account credited: a wallet (IES bought) or the rewards account (rewards funded). */
  creditAccountId: string;
  /** Cents of euro entered = cents of IES issued. */
  amount: number;
  code: typeof TransferCode.ISSUANCE | typeof TransferCode.REWARD_FUNDING;
  /** The euro movement that backs it (a bank transfer's reference, a payment's id). */
  reserveReference: string;
}

/**
 * Issues IES against euro that entered the circuit's reserve: issuer to `creditAccountId` and the
 * reserve entry of `+amount`, once per id. The only way IES comes into being.
 */
export async function issue(em: EntityManager, input: IssueInput): Promise<ReserveMovement> {
  const accounts = await openCircuitAccounts(em, input.circuitId);
  return book.issue(em, {
    id: input.id,
    debit: accounts.issuer,
    credit: input.creditAccountId,
    amount: input.amount,
    code: input.code,
    reference: input.reserveReference,
    reserveReference: input.reserveReference,
  });
}

/** What a redemption needs: the IES destroyed and the euro movement that pays them out. */
export interface RedeemInput {
  /** The transfer's id (deterministic, so that a retry redeems once). */
  id: string;
  circuitId: string;
  /** The account debited: the fees account (fees spent on the circuit's costs) or a wallet. */
  debitAccountId: string;
  /** Cents of IES destroyed = cents of euro leaving the reserve. */
  amount: number;
  code: typeof TransferCode.FEE_USE | typeof TransferCode.CONVERSION;
  /** The euro movement out of the reserve (a bank transfer's reference). */
  reserveReference: string;
}

/**
 * Destroys IES against euro that leaves the circuit's reserve: `debitAccountId` to the issuer and
 * the reserve entry of `-amount`, once per id. With `postRedemption`, the only way IES ends.
 */
export async function redeem(em: EntityManager, input: RedeemInput): Promise<ReserveMovement> {
  const accounts = await openCircuitAccounts(em, input.circuitId);
  return book.redeem(em, {
    id: input.id,
    debit: input.debitAccountId,
    credit: accounts.issuer,
    amount: input.amount,
    code: input.code,
    reference: input.reserveReference,
    reserveReference: input.reserveReference,
  });
}

/**
 * Posts a hold to the issuer (a conversion to euro the manager approved) with the reserve entry of
 * `-amount`: the euro leave the reserve as the IES are destroyed. Idempotent by id.
 */
export function postRedemption(
  em: EntityManager,
  input: ReservePostInput,
): Promise<ReserveMovement> {
  return book.postRedemption(em, input);
}
