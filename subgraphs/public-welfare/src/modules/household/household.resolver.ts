import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import type { IncomeDeclaration } from '../income/income-declaration.entity.js';
import { IncomeDeclarationType } from '../income/income-declaration.type.js';
import { OrganisationRef } from '../shared/references.type.js';
import type { HouseholdMember } from './household-member.entity.js';
import type { Household } from './household.entity.js';
import { HouseholdFilter } from './household.input.js';
import type { HouseholdPage, MyHouseholdMember } from './household.service.js';
import {
  HouseholdConnection,
  HouseholdMemberType,
  HouseholdType,
  MyHouseholdMemberType,
} from './household.type.js';

@Resolver(() => HouseholdType)
export class HouseholdResolver {
  constructor(private readonly services: Services) {}

  @Query(() => HouseholdConnection, {
    description:
      'The Comune’s households by registry code, filtered, a page at a time. Staff of the Comune (OPERATOR, MANAGER) and platform admins only: FORBIDDEN otherwise, UNAUTHENTICATED when anonymous. A search by income criteria is written to the audit log.',
  })
  async households(
    @Arg('comuneId', () => ID, { description: 'The Comune (identity Organisation id).' })
    comuneId: string,
    @Arg('filter', () => HouseholdFilter, { nullable: true, description: 'Criteria to match.' })
    filter: HouseholdFilter | null,
    @Arg('first', () => Int, {
      nullable: true,
      description: 'Page size: 1 to 200 (50 by default).',
    })
    first: number | null,
    @Arg('after', () => String, {
      nullable: true,
      description: 'The `pageInfo.endCursor` of the previous page.',
    })
    after: string | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<HouseholdConnection> {
    const page: HouseholdPage = await this.services.households.search(
      ctx.em,
      ctx.caller,
      comuneId,
      filter ?? {},
      first ?? undefined,
      after,
    );
    return {
      nodes: page.nodes,
      totalCount: page.totalCount,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    };
  }

  @Query(() => HouseholdType, {
    nullable: true,
    description:
      'One household (null when it does not exist). Staff of its Comune and platform admins only: FORBIDDEN otherwise.',
  })
  household(
    @Arg('id', () => ID, { description: 'The household’s id.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Household | null> {
    return this.services.households.findById(ctx.em, ctx.caller, id);
  }

  @Query(() => [MyHouseholdMemberType], {
    description:
      'The members of the caller’s own households, found by the codice fiscale of their SPID/CIE login in the registries of every Comune (each person once, the caller first, then by birth date): whom a citizen may book a service for. Names, birth date and codice fiscale only, no income; not written to the audit log (it reads no income data nor case file). Empty when the login has no codice fiscale (staff logged in by e-mail) or the person is in no registry; UNAUTHENTICATED when anonymous.',
  })
  myHouseholdMembers(@Ctx() ctx: SubgraphContext): Promise<MyHouseholdMember[]> {
    return this.services.households.mine(ctx.em, ctx.caller);
  }

  @FieldResolver(() => OrganisationRef, { description: 'The Comune the household belongs to.' })
  comune(@Root() household: Household): OrganisationRef {
    return { id: household.comuneId };
  }

  @FieldResolver(() => Int, { description: 'Number of members.' })
  size(@Root() household: Household, @Ctx() ctx: SubgraphContext): Promise<number> {
    return this.services.households.size(ctx.em, household);
  }

  @FieldResolver(() => [HouseholdMemberType], {
    description: 'Members: the head first, then by birth date.',
  })
  members(@Root() household: Household, @Ctx() ctx: SubgraphContext): Promise<HouseholdMember[]> {
    return this.services.households.members(ctx.em, ctx.caller, household);
  }

  @FieldResolver(() => IncomeDeclarationType, {
    nullable: true,
    description:
      'The latest ISEE declaration of any member (by validity date), or null. Every read is written to the audit log (READ_INCOME).',
  })
  latestIncome(
    @Root() household: Household,
    @Ctx() ctx: SubgraphContext,
  ): Promise<IncomeDeclaration | null> {
    return this.services.households.latestIncome(ctx.em, ctx.caller, household);
  }
}

@Resolver(() => HouseholdMemberType)
export class HouseholdMemberResolver {
  constructor(private readonly services: Services) {}

  @FieldResolver(() => String, { description: 'Codice fiscale (upper case).' })
  fiscalCode(@Root() member: HouseholdMember): string {
    return this.services.households.fiscalCode(member.fiscalCodeCipher);
  }
}

@Resolver(() => IncomeDeclarationType)
export class IncomeDeclarationResolver {
  constructor(private readonly services: Services) {}

  @FieldResolver(() => String, { description: 'Codice fiscale of the declarant (upper case).' })
  declarantFiscalCode(@Root() declaration: IncomeDeclaration): string {
    return this.services.households.fiscalCode(declaration.declarantFiscalCodeCipher);
  }
}
