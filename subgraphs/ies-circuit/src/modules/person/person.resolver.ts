import type { SubgraphContext } from '@welfare/kit';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import type { Wallet } from '../wallet/wallet.service.js';
import { WalletType } from '../wallet/wallet.type.js';
import { PersonIesRef } from './person.type.js';

/** The IES circuit's contribution to identity's `Person`: the person's own wallets. */
@Resolver(() => PersonIesRef)
export class PersonIesResolver {
  constructor(private readonly services: Services) {}

  @FieldResolver(() => [WalletType], {
    description:
      'The person’s IES wallets, one per membership of every status: as a citizen (SPID/CIE login, by the codice fiscale) and those of the organisations they act for. Each gives the circuit (code and name: the wallet page is found by the code, and by `member.organisationId` for an organisation’s), the membership’s status and kind, the balance and what can be spent, in cents. Only to the person themselves; [] to anyone else (platform admins included).',
  })
  iesWallets(@Root() person: PersonIesRef, @Ctx() ctx: SubgraphContext): Promise<Wallet[]> {
    return this.services.personWallets.ofPerson(ctx.em, ctx.caller, person.id);
  }
}
