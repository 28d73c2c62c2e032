import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '@welfare/kit';
import { DomainError, FieldErrors } from '@welfare/kit/errors';
import type { Circuit } from '../circuit/circuit.entity.js';
import type { CircuitService } from '../circuit/circuit.service.js';
import { TransferCode, accountCodes, book } from '../ledger/ledger.js';
import type { Member } from '../member/member.entity.js';
import type { MemberRepository } from '../member/member.repository.js';
import { requireCitizen, requireOrganisationRole } from '../shared/access.js';

/** The movement codes shown in a wallet (the book's transfer codes, OTHER for any later one). */
export const MOVEMENT_CODES = [...Object.values(TransferCode), 'OTHER'] as const;
export type MovementCode = (typeof MOVEMENT_CODES)[number];

/** A member's wallet as its owner reads it. */
export interface Wallet {
  member: Member;
  circuit: Circuit;
  /** The wallet's book account (null: not opened yet, nothing on it). */
  accountId: string | null;
  /** Posted credits minus posted debits, in cents. */
  balanceCents: number;
  /** What the member can spend now (the balance less its pending holds), in cents. */
  availableCents: number;
}

/** One movement of a wallet. */
export interface WalletMovement {
  transferId: string;
  at: Date;
  /** Signed from the wallet's side: positive when IES reach it, negative when they leave. */
  amountCents: number;
  code: MovementCode;
  status: string;
  /** The other member's name, the circuit's name for its own accounts, null otherwise. */
  counterpartyName: string | null;
}

export interface MovementPage {
  items: WalletMovement[];
  /** Pass as `before` for the next (older) page; null at the end. */
  nextCursor: string | null;
}

const NOT_A_MEMBER = {
  it: 'Non sei socio di questo circuito IES.',
  en: 'You are not a member of this IES circuit.',
};

/**
 * Wallets: a member reads its own (as a citizen by the codice fiscale of their login, as an
 * organisation by the caller's role in it), never another's. The balance and movements come from
 * the kit's book (the wallet account `circuit:<c>:member:<m>`); reading opens nothing.
 */
export class WalletService {
  constructor(
    private readonly members: MemberRepository,
    private readonly circuits: CircuitService,
  ) {}

  /** The caller's wallet in the circuit (the organisation's when `organisationId` is given). */
  async mine(
    em: EntityManager,
    caller: Caller,
    code: string,
    organisationId?: string | null,
  ): Promise<Wallet> {
    let member: Member | null;
    if (organisationId) {
      requireOrganisationRole(caller, organisationId);
      const circuit = await this.circuits.byCode(em, code);
      member = await this.members.organisationIn(em, circuit.id, organisationId);
      if (!member) throw DomainError.notFound(NOT_A_MEMBER);
      return this.read(em, circuit, member);
    }
    const person = requireCitizen(caller);
    const circuit = await this.circuits.byCode(em, code);
    member = await this.members.citizenIn(em, circuit.id, person.fiscalCode);
    if (!member) throw DomainError.notFound(NOT_A_MEMBER);
    return this.read(em, circuit, member);
  }

  private async read(em: EntityManager, circuit: Circuit, member: Member): Promise<Wallet> {
    const [account] = await book.accounts(em, {
      codes: [accountCodes.wallet(circuit.id, member.id)],
    });
    return {
      member,
      circuit,
      accountId: account?.id ?? null,
      balanceCents: account?.posted ?? 0,
      availableCents: account?.available ?? 0,
    };
  }

  /** A page of the wallet's movements, newest first. */
  async movements(
    em: EntityManager,
    wallet: Wallet,
    first: number,
    before?: string | null,
  ): Promise<MovementPage> {
    const errors = new FieldErrors();
    if (!Number.isInteger(first) || first < 1 || first > 100) {
      errors.add('first', 'Da 1 a 100.', 'From 1 to 100.');
    }
    const cursor = before ? Number(before) : undefined;
    if (before && (!/^[0-9]{1,15}$/.test(before) || !cursor || cursor < 1)) {
      errors.add('before', 'Cursore non valido.', 'Invalid cursor.');
    }
    errors.throwIfAny();
    if (!wallet.accountId) return { items: [], nextCursor: null };
    const statement = await book.statement(
      em,
      { ids: [wallet.accountId] },
      { limit: first, ...(cursor ? { before: cursor } : {}) },
    );
    const counterpartyIds = [...new Set(statement.items.map((m) => m.counterpartyId))];
    const counterparties = counterpartyIds.length
      ? await book.accounts(em, { ids: counterpartyIds })
      : [];
    const memberIds = counterparties
      .filter((a) => a.owner?.kind === 'member')
      .map((a) => a.owner!.id);
    const names = new Map(
      (await this.members.byIds(em, memberIds)).map((m) => [m.id, m.displayName]),
    );
    const nameOf = new Map(
      counterparties.map((a) => [
        a.id,
        a.owner?.kind === 'member'
          ? (names.get(a.owner.id) ?? null)
          : a.owner?.kind === 'circuit'
            ? wallet.circuit.name
            : null,
      ]),
    );
    const known = new Set<string>(Object.values(TransferCode));
    return {
      items: statement.items.map((m) => ({
        transferId: m.transferId,
        at: m.createdAt,
        amountCents: m.amount,
        code: (m.code && known.has(m.code) ? m.code : 'OTHER') as MovementCode,
        status: m.status,
        counterpartyName: nameOf.get(m.counterpartyId) ?? null,
      })),
      nextCursor: statement.next === null ? null : String(statement.next),
    };
  }
}
