import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import {
  ClaimOptionType,
  ClaimPageType,
  ClaimStatusEnum,
  ClaimType,
  toClaimOptionType,
  toClaimType,
} from './claim.type.js';
import type { ClaimStatus } from './claim.entity.js';

// Claims are filed with their receipts through the upload route (`claim.routes.ts`).
@Resolver(() => ClaimType)
export class ClaimResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [ClaimType], {
    description:
      'The caller’s own reimbursement claims at every employer, newest first (at most 100); empty for a person without a codice fiscale. UNAUTHENTICATED when not logged in.',
  })
  async myWelfareClaims(@Ctx() ctx: SubgraphContext): Promise<ClaimType[]> {
    return (await this.services.claims.mine(ctx.em, ctx.caller)).map(toClaimType);
  }

  @Query(() => [ClaimOptionType], {
    description:
      'The caller’s active plans on which a reimbursement can be claimed, with the purposes and the available credit. UNAUTHENTICATED when not logged in.',
  })
  async myWelfareClaimOptions(@Ctx() ctx: SubgraphContext): Promise<ClaimOptionType[]> {
    return (await this.services.claims.options(ctx.em, ctx.caller)).map(toClaimOptionType);
  }

  @Query(() => ClaimType, {
    description:
      'A claim with its receipts: the employer’s HR and the employee only (NOT_FOUND for anyone else).',
  })
  async welfareClaim(
    @Arg('id', () => ID, { description: 'The claim.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ClaimType> {
    return toClaimType(await this.services.claims.get(ctx.em, ctx.caller, id));
  }

  @Query(() => ClaimPageType, {
    description:
      'The employer’s reimbursement claims, oldest first, a page: its HR only (FORBIDDEN otherwise).',
  })
  async employerWelfareClaims(
    @Arg('employerId', () => ID, { description: 'The employer (identity Organisation id).' })
    employerId: string,
    @Arg('status', () => ClaimStatusEnum, {
      nullable: true,
      description: 'Only claims in this status (all by default).',
    })
    status: ClaimStatus | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1-200 (default 50).' })
    first: number | null,
    @Arg('offset', () => Int, { nullable: true, description: 'Claims skipped (default 0).' })
    offset: number | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ClaimPageType> {
    const page = await this.services.claims.queue(ctx.em, ctx.caller, employerId, {
      status,
      first,
      offset,
    });
    return { items: page.items.map(toClaimType), totalCount: page.totalCount };
  }

  @Mutation(() => ClaimType, {
    description:
      'Approves a claim (the employer’s HR): its amount moves from the employee’s credit to the plan’s payroll account, once (approving again returns it). CONFLICT when rejected or the credit no longer covers it; NOT_FOUND for anyone else.',
  })
  async approveWelfareClaim(
    @Arg('id', () => ID, { description: 'The claim.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ClaimType> {
    return toClaimType(await this.services.claims.approve(ctx.em, ctx.caller, id));
  }

  @Mutation(() => ClaimType, {
    description:
      'Rejects a claim with a reason the employee reads (the employer’s HR). CONFLICT when approved; NOT_FOUND for anyone else.',
  })
  async rejectWelfareClaim(
    @Arg('id', () => ID, { description: 'The claim.' }) id: string,
    @Arg('reason', () => String, { description: 'Why (3-1000 characters).' }) reason: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ClaimType> {
    return toClaimType(await this.services.claims.reject(ctx.em, ctx.caller, id, reason));
  }
}
