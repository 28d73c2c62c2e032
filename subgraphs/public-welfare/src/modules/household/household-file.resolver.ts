import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import type { Application } from '../application/application.entity.js';
import { ApplicationType } from '../application/application.type.js';
import type { Card } from '../card/card.entity.js';
import { CardType } from '../card/card.type.js';
import type { CampaignBalance } from '../credit/credit.service.js';
import { CampaignBalanceType } from '../credit/credit.type.js';
import type { IncomeDeclaration } from '../income/income-declaration.entity.js';
import { IncomeDeclarationType } from '../income/income-declaration.type.js';
import type { MessageView } from '../messages/message-query.service.js';
import { MessageType } from '../messages/message.type.js';
import type { Payment } from '../payment/payment.entity.js';
import { PaymentType } from '../payment/payment.type.js';
import { PersonRef } from '../shared/references.type.js';
import type { HouseholdAttachment } from './household-attachment.entity.js';
import type { HouseholdNote } from './household-note.entity.js';
import {
  AddHouseholdNoteInput,
  HouseholdAttachmentType,
  HouseholdNoteType,
  HouseholdSearchInput,
} from './household-file.type.js';
import type { Household } from './household.entity.js';
import { HouseholdType } from './household.type.js';

/**
 * The household file (issue 19): the registry search and, on `Household`, one field resolver per
 * part of what the Comune knows of it. Staff of the household's Comune only.
 */
@Resolver(() => HouseholdType)
export class HouseholdFileResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [HouseholdType], {
    description:
      'The Comune’s households with a member of this codice fiscale, a member whose family name starts so, or this registry code (every given criterion must hold), by registry code, at most 50. Staff of the Comune (OPERATOR, MANAGER) and platform admins only: FORBIDDEN otherwise, UNAUTHENTICATED when anonymous. BAD_USER_INPUT (field `search` for no criterion, `search.fiscalCode`, `search.familyName`, `search.code`) for invalid criteria.',
  })
  householdSearch(
    @Arg('comuneId', () => ID, { description: 'The Comune (identity Organisation id).' })
    comuneId: string,
    @Arg('search', () => HouseholdSearchInput, { description: 'What to look for.' })
    search: HouseholdSearchInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Household[]> {
    return this.services.householdFile.search(ctx.em, ctx.caller, comuneId, search);
  }

  @Mutation(() => HouseholdNoteType, {
    description:
      'Adds a social worker’s note to a household. Staff of its Comune only (FORBIDDEN otherwise, NOT_FOUND when no such household); BAD_USER_INPUT (field `note`) for an empty or longer than 4,000 characters text, nothing written. Written to the audit log (ADD_HOUSEHOLD_NOTE).',
  })
  addHouseholdNote(
    @Arg('input', () => AddHouseholdNoteInput, { description: 'The household and the text.' })
    input: AddHouseholdNoteInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<HouseholdNote> {
    return this.services.householdFile.addNote(ctx.em, ctx.caller, input);
  }

  @FieldResolver(() => [IncomeDeclarationType], {
    description:
      'Every ISEE declaration of any member, the latest validity first. Every read is written to the audit log (READ_INCOME).',
  })
  incomeHistory(
    @Root() household: Household,
    @Ctx() ctx: SubgraphContext,
  ): Promise<IncomeDeclaration[]> {
    return this.services.householdFile.incomeHistory(ctx.em, ctx.caller, household);
  }

  @FieldResolver(() => [ApplicationType], {
    description:
      'The household’s applications to any of the Comune’s measures (linked to it at submission, or of a member), newest first; drafts are not shown.',
  })
  applications(@Root() household: Household, @Ctx() ctx: SubgraphContext): Promise<Application[]> {
    return this.services.householdFile.applications(ctx.em, ctx.caller, household);
  }

  @FieldResolver(() => [CardType], {
    description: 'The Comune’s cards held by the members (replaced ones too), newest first.',
  })
  cards(@Root() household: Household, @Ctx() ctx: SubgraphContext): Promise<Card[]> {
    return this.services.householdFile.cards(ctx.em, ctx.caller, household);
  }

  @FieldResolver(() => [CampaignBalanceType], {
    description: 'The credit of the members’ cards that are not replaced, per card and campaign.',
  })
  cardBalances(
    @Root() household: Household,
    @Ctx() ctx: SubgraphContext,
  ): Promise<CampaignBalance[]> {
    return this.services.householdFile.balances(ctx.em, ctx.caller, household);
  }

  @FieldResolver(() => [PaymentType], {
    description: 'Payments at shops with the members’ cards, newest first (at most 100).',
  })
  cardPayments(@Root() household: Household, @Ctx() ctx: SubgraphContext): Promise<Payment[]> {
    return this.services.householdFile.payments(ctx.em, ctx.caller, household);
  }

  @FieldResolver(() => [MessageType], {
    description:
      'The Comune’s messages about the household, newest first (at most 100): those of its applications and those to a member’s personal area.',
  })
  messages(@Root() household: Household, @Ctx() ctx: SubgraphContext): Promise<MessageView[]> {
    return this.services.householdFile.messages(ctx.em, ctx.caller, household);
  }

  @FieldResolver(() => [HouseholdNoteType], {
    description:
      'The social workers’ notes, newest first. Every read is written to the audit log (READ_HOUSEHOLD_NOTES).',
  })
  notes(@Root() household: Household, @Ctx() ctx: SubgraphContext): Promise<HouseholdNote[]> {
    return this.services.householdFile.notes(ctx.em, ctx.caller, household);
  }

  @FieldResolver(() => [HouseholdAttachmentType], {
    description:
      'The files social workers attached, newest first (what they are; each download of a content is written to the audit log, READ_HOUSEHOLD_ATTACHMENT). Attaching is an upload: `POST /files/household-attachments?householdId=&name=&description=` through the gateway.',
  })
  attachments(
    @Root() household: Household,
    @Ctx() ctx: SubgraphContext,
  ): Promise<HouseholdAttachment[]> {
    return this.services.householdFile.attachments(ctx.em, ctx.caller, household);
  }
}

@Resolver(() => HouseholdAttachmentType)
export class HouseholdAttachmentResolver {
  @FieldResolver(() => PersonRef, { description: 'The staff member who attached it.' })
  uploadedBy(@Root() attachment: HouseholdAttachment): PersonRef {
    return { id: attachment.uploadedBy };
  }
}

@Resolver(() => HouseholdNoteType)
export class HouseholdNoteResolver {
  @FieldResolver(() => PersonRef, { description: 'The staff member who wrote it.' })
  author(@Root() note: HouseholdNote): PersonRef {
    return { id: note.authorId };
  }
}
