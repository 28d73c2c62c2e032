import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import type { FeeUse, ReserveReceipt } from './reserve.entity.js';
import {
  FeeUseInput,
  FeeUseType,
  ReserveReceiptInput,
  ReserveReceiptType,
} from './reserve.type.js';

/** The euro reserve: euro received (issuance) and the fees' uses. */
@Resolver()
export class ReserveResolver {
  constructor(private readonly services: Services) {}

  @Mutation(() => ReserveReceiptType, {
    description:
      'Records euro received into the circuit’s reserve and issues as many IES: into the member’s wallet (a purchase) or the rewards account (a rewards funding). Once per client key (a replay returns the first record; CONFLICT when it differs). The circuit’s staff only: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND; BAD_USER_INPUT with the fields.',
  })
  recordIesEuroReceived(
    @Arg('input', () => ReserveReceiptInput) input: ReserveReceiptInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ReserveReceipt> {
    return this.services.reserve.recordReceipt(ctx.em, ctx.caller, input);
  }

  @Query(() => [ReserveReceiptType], {
    description: 'The euro received by a circuit, newest first (100). The circuit’s staff only.',
  })
  iesReserveReceipts(
    @Arg('circuitId', () => ID, { description: 'The circuit.' }) circuitId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ReserveReceipt[]> {
    return this.services.reserve.receipts(ctx.em, ctx.caller, circuitId);
  }

  @Mutation(() => FeeUseType, {
    description:
      'Puts fees collected to a use: to the rewards, to a project, or to euro for the circuit’s costs (the IES redeemed, the euro leaving the reserve). At most the fees available (BAD_USER_INPUT on amountCents). Once per client key. The circuit’s MANAGER only.',
  })
  useIesFees(
    @Arg('input', () => FeeUseInput) input: FeeUseInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<FeeUse> {
    return this.services.reserve.useFees(ctx.em, ctx.caller, input);
  }
}
