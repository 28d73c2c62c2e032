import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import type { Circuit } from './circuit.entity.js';
import { CircuitType } from './circuit.type.js';

/** The circuits: public reads. */
@Resolver(() => CircuitType)
export class CircuitResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [CircuitType], { description: 'Every IES circuit, by name. Public.' })
  iesCircuits(@Ctx() ctx: SubgraphContext): Promise<Circuit[]> {
    return this.services.circuits.list(ctx.em);
  }

  @Query(() => CircuitType, {
    description: 'An IES circuit by its public code. Public. NOT_FOUND when there is none.',
  })
  iesCircuit(
    @Arg('code', { description: 'The circuit’s public code (e.g. `balestrate`).' }) code: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Circuit> {
    return this.services.circuits.byCode(ctx.em, code);
  }

  @Query(() => [CircuitType], {
    description:
      'The circuits the caller manages (staff of their manager organisation). Empty for anyone else.',
  })
  myManagedIesCircuits(@Ctx() ctx: SubgraphContext): Promise<Circuit[]> {
    return this.services.circuits.managed(ctx.em, ctx.caller);
  }
}
