import type { EntityManager } from '@mikro-orm/postgresql';
import { Circuit } from '../circuit/circuit.entity.js';
import { accountCodes, book } from '../ledger/ledger.js';
import { Member } from '../member/member.entity.js';

/* The fund module's reads and locks (the book's own tables only through the kit's Book API). */

/** A circuit in which a citizen can pay a provider with IES. */
export interface PayingCircuit {
  circuit: Circuit;
  /** The citizen's ACTIVE membership. */
  citizen: Member;
  /** The provider's ACTIVE membership, accepting IES. */
  provider: Member;
  /** The citizen's wallet code (`circuit:<c>:member:<m>`). */
  walletCode: string;
  /** What the citizen can spend of it now (posted credits less debits and holds), 0 or more. */
  availableCents: number;
}

/**
 * The ACTIVE circuits in which the citizen (by codice fiscale) is an ACTIVE member and the
 * provider organisation an ACTIVE member that accepts IES, with the citizen's available balance
 * (a wallet never opened has none). By circuit name. Reads only.
 */
export async function payingCircuits(
  em: EntityManager,
  fiscalCode: string,
  providerId: string,
): Promise<PayingCircuit[]> {
  const citizens = await em.find(Member, { fiscalCode, status: 'ACTIVE' });
  if (!citizens.length) return [];
  const circuitIds = citizens.map((m) => m.circuitId);
  const [providers, circuits] = await Promise.all([
    em.find(Member, {
      organisationId: providerId,
      status: 'ACTIVE',
      acceptsIes: true,
      circuitId: { $in: circuitIds },
    }),
    em.find(
      Circuit,
      { id: { $in: circuitIds }, status: 'ACTIVE' },
      { orderBy: { name: 'asc', id: 'asc' } },
    ),
  ]);
  const pairs = circuits.flatMap((circuit) => {
    const citizen = citizens.find((m) => m.circuitId === circuit.id);
    const provider = providers.find((m) => m.circuitId === circuit.id);
    return citizen && provider
      ? [{ circuit, citizen, provider, walletCode: accountCodes.wallet(circuit.id, citizen.id) }]
      : [];
  });
  if (!pairs.length) return [];
  const accounts = await book.accounts(em, { codes: pairs.map((p) => p.walletCode) });
  const byCode = new Map(accounts.map((a) => [a.code, a]));
  return pairs.map((p) => ({
    ...p,
    availableCents: Math.max(0, byCode.get(p.walletCode)?.available ?? 0),
  }));
}
