import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import type { Conversion } from './conversion.entity.js';
import type { ConversionAccount, SepaFile } from './conversion.service.js';
import {
  ConversionAccountType,
  ConversionRequestInput,
  ConversionStatusEnum,
  ConversionType,
  SepaFileType,
} from './conversion.type.js';

/** Conversions of IES to euro: requested by an organisation, decided by the circuit’s manager. */
@Resolver()
export class ConversionResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [ConversionAccountType], {
    description:
      'The circuits the organisation can convert IES in, with its wallet’s IES. Its owner, admins and managers only: UNAUTHENTICATED, FORBIDDEN.',
  })
  async iesConversionAccounts(
    @Arg('organisationId', () => ID, { description: 'The member organisation.' })
    organisationId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<object[]> {
    const accounts = await this.services.conversions.accounts(ctx.em, ctx.caller, organisationId);
    return accounts.map((a: ConversionAccount) => ({
      circuit: a.circuit,
      memberId: a.member.id,
      availableCents: a.availableCents,
      hasIban: Boolean(a.member.iban),
    }));
  }

  @Query(() => [ConversionType], {
    description: 'The organisation’s conversions in every circuit, newest first. As above.',
  })
  iesOrganisationConversions(
    @Arg('organisationId', () => ID, { description: 'The member organisation.' })
    organisationId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Conversion[]> {
    return this.services.conversions.ofOrganisation(ctx.em, ctx.caller, organisationId);
  }

  @Query(() => [ConversionType], {
    description: 'A circuit’s conversions (of one status), newest first. The circuit’s staff only.',
  })
  iesCircuitConversions(
    @Arg('circuitId', () => ID, { description: 'The circuit.' }) circuitId: string,
    @Arg('status', () => ConversionStatusEnum, { nullable: true, description: 'Only these.' })
    status: 'PENDING' | 'APPROVED' | 'REJECTED' | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Conversion[]> {
    return this.services.conversions.ofCircuit(ctx.em, ctx.caller, circuitId, status);
  }

  @Mutation(() => ConversionType, {
    description:
      'Requests a conversion of the organisation’s IES to euro: the circuit’s conversion fee, the rest held for the payout until the manager decides. BAD_USER_INPUT on amountCents (not above the fee, more than the wallet holds); CONFLICT without an IBAN. Once per client key.',
  })
  requestIesConversion(
    @Arg('input', () => ConversionRequestInput) input: ConversionRequestInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Conversion> {
    return this.services.conversions.request(ctx.em, ctx.caller, input);
  }

  @Mutation(() => ConversionType, {
    description:
      'Approves a pending conversion: the IES destroyed, the euro leaving the reserve (paid by the SEPA file). Again: returned as it is. CONFLICT when rejected or expired. The circuit’s MANAGER only.',
  })
  approveIesConversion(
    @Arg('id', () => ID, { description: 'The conversion.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Conversion> {
    return this.services.conversions.approve(ctx.em, ctx.caller, id);
  }

  @Mutation(() => ConversionType, {
    description:
      'Rejects a pending conversion with a reason: the IES and the fee back in the wallet. CONFLICT when approved. The circuit’s MANAGER only.',
  })
  rejectIesConversion(
    @Arg('id', () => ID, { description: 'The conversion.' }) id: string,
    @Arg('reason', { description: 'Why (3 to 500 characters), shown to the organisation.' })
    reason: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Conversion> {
    return this.services.conversions.reject(ctx.em, ctx.caller, id, reason);
  }

  @Mutation(() => SepaFileType, {
    description:
      'The SEPA credit transfer file (pain.001.001.03) paying approved conversions of the circuit (those named, or all approved). Audited. The circuit’s MANAGER only.',
  })
  exportIesConversionsSepa(
    @Arg('circuitId', () => ID, { description: 'The circuit.' }) circuitId: string,
    @Arg('conversionIds', () => [ID], {
      defaultValue: [],
      description: 'The approved conversions to pay; empty: every approved one.',
    })
    conversionIds: string[],
    @Ctx() ctx: SubgraphContext,
  ): Promise<SepaFile> {
    return this.services.conversions.sepaFile(ctx.em, ctx.caller, circuitId, conversionIds);
  }
}
