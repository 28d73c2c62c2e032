import { Field, ID, Int, ObjectType } from 'type-graphql';
import {
  CardBlockReason,
  CardStatus,
  type CardBlockReason as CardBlockReasonValue,
  type CardStatus as CardStatusValue,
} from './card.enums.js';

/** A card; derived and restricted fields are field resolvers in CardResolver. */
@ObjectType('Card', {
  description:
    'A beneficiary card of a Comune: one live card per holder and Comune, serving every campaign of that Comune. Used at accredited shops with its QR code, or with the holder’s codice fiscale, and the PIN. The PIN is never shown again after the letter.',
})
export class CardType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => String, {
    description: '16 digits, the last a Luhn check digit (printed in groups of four).',
  })
  number!: string;

  @Field(() => CardStatus, { description: 'Where the card is.' })
  status!: CardStatusValue;

  @Field(() => CardBlockReason, {
    nullable: true,
    description: 'Why it is (or, for a replaced card, was last) blocked.',
  })
  blockReason!: CardBlockReasonValue | null;

  @Field(() => Date, { nullable: true, description: 'When it was blocked.' })
  blockedAt!: Date | null;

  @Field(() => Int, {
    description: 'Wrong PINs since the last right one (the fifth locks the card).',
  })
  pinFailures!: number;

  @Field(() => ID, {
    nullable: true,
    description: 'The card that replaced this one (status REPLACED).',
  })
  replacedBy!: string | null;

  @Field(() => Date, { description: 'When it was issued.' })
  createdAt!: Date;

  @Field(() => Date, { description: 'When it last changed.' })
  updatedAt!: Date;
}

@ObjectType('CardPage', { description: 'A page of a Comune’s cards, newest first.' })
export class CardPage {
  @Field(() => [CardType], { description: 'The cards of this page.' })
  nodes!: CardType[];

  @Field(() => Int, { description: 'How many cards match in all.' })
  totalCount!: number;

  @Field(() => Boolean, { description: 'True when another page follows.' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page.' })
  endCursor!: string | null;
}
