import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import type { MovementPage, Wallet } from './wallet.service.js';
import { MovementPageType, WalletType } from './wallet.type.js';

/** A member's wallet: its balance and movements, for the member only. */
@Resolver(() => WalletType)
export class WalletResolver {
  constructor(private readonly services: Services) {}

  @Query(() => WalletType, {
    description:
      'The caller’s wallet in a circuit: the citizen’s own (SPID/CIE login), or the organisation’s when organisationId is given (the caller acts for it). NOT_FOUND when not a member; FORBIDDEN for another organisation.',
  })
  iesWallet(
    @Arg('code', { description: 'The circuit’s public code.' }) code: string,
    @Arg('organisationId', () => ID, {
      nullable: true,
      description: 'The organisation whose wallet (identity Organisation id); none: the citizen’s.',
    })
    organisationId: string | null | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Wallet> {
    return this.services.wallets.mine(ctx.em, ctx.caller, code, organisationId);
  }

  @FieldResolver(() => MovementPageType, {
    description: 'The wallet’s movements, newest first, a page at a time.',
  })
  movements(
    @Root() wallet: Wallet,
    @Arg('first', () => Int, { defaultValue: 20, description: 'How many (1 to 100).' })
    first: number,
    @Arg('before', () => String, {
      nullable: true,
      description: 'The `nextCursor` of the previous page.',
    })
    before: string | null | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<MovementPage> {
    return this.services.wallets.movements(ctx.em, wallet, first, before);
  }
}
