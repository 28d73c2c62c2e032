import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import type { Circuit } from './circuit.entity.js';
import { CircuitRulesInput, CreateCircuitInput } from './circuit.input.js';
import { CircuitType } from './circuit.type.js';

/** The circuits: public reads; the manager's rules editor. */
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

  @Mutation(() => CircuitType, {
    description:
      'The circuit’s MANAGER (responsabile of its manager organisation) changes its rules, the whole set at once: field errors on bad values, nothing changed. Audited.',
  })
  updateIesCircuitRules(
    @Arg('circuitId', () => ID, { description: 'The circuit.' }) circuitId: string,
    @Arg('input', () => CircuitRulesInput, { description: 'The rules.' }) input: CircuitRulesInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Circuit> {
    return this.services.circuitRules.update(ctx.em, ctx.caller, circuitId, input);
  }

  @Mutation(() => CircuitType, {
    description:
      'Creates an IES circuit: by the MANAGER (responsabile) of a Comune for its own Comune, or by a platform admin for any Comune. Writes the circuit, its book accounts and the Comune as its ACTIVE member with a wallet, in one transaction; audited. Field errors on bad values or a taken `code`, nothing written.',
  })
  createIesCircuit(
    @Arg('input', () => CreateCircuitInput, { description: 'The new circuit.' })
    input: CreateCircuitInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Circuit> {
    return this.services.circuitCreate.create(ctx.em, ctx.caller, input);
  }
}
