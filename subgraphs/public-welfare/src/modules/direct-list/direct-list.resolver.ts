import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import { CorrectDirectListEntryInput } from './direct-list.input.js';
import {
  BeneficiaryListImportType,
  DirectListBeneficiaryPage,
  DirectListCorrectionType,
} from './direct-list.type.js';

/** Measures decided outside the platform: a list of beneficiaries imported into a campaign. */
@Resolver()
export class DirectListResolver {
  constructor(private readonly services: Services) {}

  @Mutation(() => BeneficiaryListImportType, {
    description:
      'Staff (OPERATOR, MANAGER) of the campaign’s Comune import a list of beneficiaries decided outside the platform into a PUBLISHED campaign: a CSV `codice_fiscale;importo;motivo` (Italian headers, encoding and separator detected as imports do, euro with a decimal comma). Each beneficiary becomes an APPROVED application of origin DIRECT_LIST with the amount and the reason, so cards are issued and topped up as for any approved application. All or nothing: bad lines, a beneficiary who already applied through the portal, a different amount for one already in the list, or a total over the budget left are rejections and nothing is written. The same beneficiary with the same amount again changes nothing. NOT_FOUND for another Comune’s campaign; CONFLICT unless PUBLISHED; BAD_USER_INPUT (field `file`) for an empty or oversized file.',
  })
  importBeneficiaryList(
    @Arg('campaignId', () => ID, { description: 'The campaign.' }) campaignId: string,
    @Arg('contentBase64', { description: 'The CSV file, base64 (at most 2 MiB decoded).' })
    contentBase64: string,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.directList
      .importList(ctx.em, ctx.caller, campaignId, contentBase64)
      .then((r) => ({
        ...r,
        encoding: r.format?.encoding ?? null,
        separator: r.format?.separator ?? null,
        rejections: r.rejections.map((x) => ({
          line: x.line,
          field: x.field,
          reasonIt: x.reason.it,
          reasonEn: x.reason.en,
        })),
      }));
  }

  @Mutation(() => DirectListCorrectionType, {
    description:
      'MANAGER of the campaign’s Comune: corrects one entry of a list decided outside the platform, its amount or its withdrawal, only while no credit has been given for it. Atomic with the budget’s commitment (an increase beyond the budget is refused); audited (CORRECT_BENEFICIARY) and written on the case’s timeline (AMOUNT_CORRECTED or WITHDRAWN, with the reason). The same correction again changes nothing (`changed` false). BAD_USER_INPUT (field `amountCents` or `withdraw`) once credit exists (then `revokeBenefit` revokes the benefit and takes the unspent credit back), for a withdrawn entry, or for a withdrawal while the holder’s card was issued for this entry (a card cannot be voided); (`amountCents`, `reason`) for bad input. NOT_FOUND for another Comune’s entry or one not from a list; FORBIDDEN for an OPERATOR.',
  })
  correctDirectListEntry(
    @Arg('input', () => CorrectDirectListEntryInput, { description: 'The correction.' })
    input: CorrectDirectListEntryInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<DirectListCorrectionType> {
    return this.services.directList.correctEntry(ctx.em, ctx.caller, input);
  }

  @Query(() => DirectListBeneficiaryPage, {
    description:
      'Staff (OPERATOR, MANAGER) of the campaign’s Comune: the campaign’s beneficiaries imported from lists decided outside the platform (not withdrawn), by protocol number, with whether a card is issued and what was credited. NOT_FOUND for another Comune’s campaign; BAD_USER_INPUT (`first`, `after`) for a bad page. Written to the audit log (SEARCH_CASES).',
  })
  directListBeneficiaries(
    @Arg('campaignId', () => ID, { description: 'The campaign.' }) campaignId: string,
    @Arg('first', () => Int, { defaultValue: 50, description: 'Page size, 1 to 200.' })
    first: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor of the previous page.' })
    after: string | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<DirectListBeneficiaryPage> {
    return this.services.directList.beneficiaries(ctx.em, ctx.caller, campaignId, first, after);
  }
}
