import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import { DemurrageRunType } from './demurrage.type.js';

/** The manual run of a circuit's demurrage and expiry (the scheduled job's pass, now). */
@Resolver()
export class DemurrageResolver {
  constructor(private readonly services: Services) {}

  @Mutation(() => DemurrageRunType, {
    description:
      'Runs the circuit’s demurrage and expiry now (its MANAGER; FORBIDDEN otherwise), as the hourly job does: each wallet is charged once a month, so running twice in a month charges once. Audited. Nothing is charged for a circuit not ACTIVE.',
  })
  runIesDemurrage(
    @Arg('circuitId', () => ID, { description: 'The circuit.' }) circuitId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<DemurrageRunType> {
    return this.services.demurrageRuns.run(ctx.em, ctx.caller, circuitId);
  }
}
