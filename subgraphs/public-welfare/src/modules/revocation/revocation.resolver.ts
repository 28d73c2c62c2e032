import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import { RevokeBenefitInput } from './revocation.input.js';
import { BenefitRevocationType } from './revocation.type.js';

/** The revocation of a benefit already granted (decadenza). */
@Resolver()
export class RevocationResolver {
  constructor(private readonly services: Services) {}

  @Mutation(() => BenefitRevocationType, {
    description:
      'MANAGER of the campaign’s Comune: revokes the benefit of an APPROVED application, from the portal or a direct list (decadenza, DPR 445/2000 art. 75, e.g. after a false self-declaration found by the checks of art. 71). In one transaction: the holder’s unspent credit of that campaign goes back to the campaign (a SWEEP; other campaigns’ credit stays), the application becomes REVOKED (no later top-up, card issuance or reminder), the timeline gets a REVOKED event with the reason, the audit log REVOKE_BENEFIT. What was already spent stays spent and is reported (`spentCents`); its recovery happens outside the platform. The same revocation again changes nothing and answers the same. BAD_USER_INPUT (field `reason`) without a reason, (field `applicationId`) for an application in any other status; NOT_FOUND for another Comune’s application; FORBIDDEN for an OPERATOR.',
  })
  revokeBenefit(
    @Arg('input', () => RevokeBenefitInput, { description: 'The revocation.' })
    input: RevokeBenefitInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<BenefitRevocationType> {
    return this.services.revocations.revoke(ctx.em, ctx.caller, input);
  }
}
