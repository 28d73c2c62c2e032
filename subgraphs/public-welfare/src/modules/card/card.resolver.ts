import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import { isComuneStaff } from '@welfare/kit/access';
import { OrganisationRef, PersonRef } from '../shared/references.type.js';
import type { Card } from './card.entity.js';
import { CardBlockReason, CardStatus } from './card.enums.js';
import { CardPage, CardType } from './card.type.js';

const idArg = { description: 'The card’s id.' };

@Resolver(() => CardType)
export class CardResolver {
  constructor(private readonly services: Services) {}

  @Query(() => CardPage, {
    description:
      'The Comune’s cards, newest first. Staff of the Comune only (FORBIDDEN otherwise). Written to the audit log (SEARCH_CARDS). Cards are issued and replaced through the file routes, which answer the letters with the PINs.',
  })
  cards(
    @Arg('comuneId', () => ID, { description: 'The Comune.' }) comuneId: string,
    @Arg('first', () => Int, { defaultValue: 50, description: 'Page size, 1 to 200.' })
    first: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor of the previous page.' })
    after: string | null,
    @Arg('status', () => CardStatus, { nullable: true, description: 'Only cards in this status.' })
    status: string | null,
    @Ctx() ctx: SubgraphContext,
  ) {
    return this.services.cards.list(ctx.em, ctx.caller, comuneId, first, after, status);
  }

  @Query(() => CardType, {
    nullable: true,
    description:
      'One card, for its holder or the staff of its Comune (null otherwise, as when missing). A read by staff is written to the audit log (READ_CARD).',
  })
  card(@Arg('id', () => ID, idArg) id: string, @Ctx() ctx: SubgraphContext): Promise<Card | null> {
    return this.services.cards.get(ctx.em, ctx.caller, id);
  }

  @Query(() => [CardType], {
    description:
      'The caller’s live cards (by the codice fiscale of their SPID/CIE login), in every Comune, newest first; empty for logins without a codice fiscale. UNAUTHENTICATED when anonymous.',
  })
  myCards(@Ctx() ctx: SubgraphContext): Promise<Card[]> {
    return this.services.cards.mine(ctx.em, ctx.caller);
  }

  @Mutation(() => CardType, {
    description:
      'Staff of the card’s Comune: blocks the card (a blocked card gets the new reason). BAD_USER_INPUT for PIN_LOCKED (set by the system only); NOT_FOUND for a card of another Comune; CONFLICT for a replaced card. Written to the audit log.',
  })
  blockCard(
    @Arg('id', () => ID, idArg) id: string,
    @Arg('reason', () => CardBlockReason, { description: 'Why.' }) reason: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Card> {
    return this.services.cards.block(ctx.em, ctx.caller, id, reason);
  }

  @Mutation(() => CardType, {
    description:
      'Staff of the card’s Comune: unblocks the card (PIN lock included) and clears its PIN failures. NOT_FOUND for a card of another Comune; CONFLICT for a replaced card. Written to the audit log.',
  })
  unblockCard(@Arg('id', () => ID, idArg) id: string, @Ctx() ctx: SubgraphContext): Promise<Card> {
    return this.services.cards.unblock(ctx.em, ctx.caller, id);
  }

  @FieldResolver(() => Boolean, {
    description: 'True when five wrong PINs locked the card (BLOCKED with reason PIN_LOCKED).',
  })
  locked(@Root() card: Card): boolean {
    return card.status === 'BLOCKED' && card.blockReason === 'PIN_LOCKED';
  }

  @FieldResolver(() => String, { description: 'The holder’s codice fiscale.' })
  holderFiscalCode(@Root() card: Card): string {
    return this.services.cards.holderFiscalCode(card);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'What the card’s QR code carries (`WC1.<id>.<nonce>.<signature>`), to render it in the holder’s personal area. Only for the holder and a card that is not replaced; null otherwise.',
  })
  qrPayload(@Root() card: Card, @Ctx() ctx: SubgraphContext): string | null {
    if (card.status === 'REPLACED' || !this.services.cards.isHolder(ctx.caller, card)) return null;
    return this.services.cards.qrPayload(card);
  }

  @FieldResolver(() => OrganisationRef, { description: 'The Comune that issued the card.' })
  comune(@Root() card: Card): OrganisationRef {
    return { id: card.comuneId };
  }

  @FieldResolver(() => PersonRef, {
    nullable: true,
    description: 'The staff member who issued it (staff only; null for the holder).',
  })
  issuedBy(@Root() card: Card, @Ctx() ctx: SubgraphContext): PersonRef | null {
    return isComuneStaff(ctx.caller, card.comuneId) ? { id: card.issuedBy } : null;
  }
}
