import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '@welfare/kit';
import type { CircuitService } from '../circuit/circuit.service.js';
import type { MembershipService } from '../member/membership.service.js';
import type { Wallet, WalletService } from '../wallet/wallet.service.js';

/**
 * A person's IES wallets (`Person.iesWallets`): the memberships `myIesMemberships` lists (as a
 * citizen by the codice fiscale of their login, and those of the organisations they act for), each
 * read by `WalletService.mine` with its own checks. Only the person themselves sees them: anyone
 * else (another person, a platform admin, a service, the anonymous) gets an empty list, as
 * identity's private `Person.memberships` does.
 */
export class PersonWalletService {
  constructor(
    private readonly memberships: MembershipService,
    private readonly wallets: WalletService,
    private readonly circuits: CircuitService,
  ) {}

  /** The wallets of the person `personId` when the caller is that person; [] otherwise. */
  async ofPerson(em: EntityManager, caller: Caller, personId: string): Promise<Wallet[]> {
    if (caller.kind !== 'person' || caller.personId !== personId) return [];
    const members = await this.memberships.mine(em, caller);
    const wallets: Wallet[] = [];
    for (const member of members) {
      const circuit = await this.circuits.byId(em, member.circuitId);
      wallets.push(await this.wallets.mine(em, caller, circuit.code, member.organisationId));
    }
    return wallets;
  }
}
