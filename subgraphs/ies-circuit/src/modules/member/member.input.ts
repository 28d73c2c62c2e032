import { Field, InputType } from 'type-graphql';
import { MemberKindEnum } from './member.type.js';

@InputType('IesMembershipRequestInput', {
  description: 'An organisation’s request to join an IES circuit, with its details.',
})
export class MembershipRequestInput {
  @Field({ description: 'The circuit’s public code (e.g. `balestrate`).' })
  circuitCode!: string;

  @Field(() => String, {
    description:
      'The organisation asking (identity Organisation id): the caller is its OWNER, ADMIN or MANAGER.',
  })
  organisationId!: string;

  @Field(() => MemberKindEnum, {
    description:
      'What kind of member: BUSINESS (a shop: MERCHANT organisations, cooperatives), ASSOCIATION, COOPERATIVE, COMUNE; matching the organisation’s kind.',
  })
  kind!: string;

  @Field({ description: 'The name shown to payers (2 to 120 characters).' })
  displayName!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The partita IVA (11 digits, check digit verified): required of a business.',
  })
  vatNumber?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Where it trades (5 to 300 characters): required of a business.',
  })
  address?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'An Italian IBAN (check digits verified) where conversions to euro are paid: required of a business.',
  })
  iban?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: 'What it sells or does, in words: at most 10, each up to 60 characters.',
  })
  categories?: string[] | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'It takes IES at its till and for its offers (default false).',
  })
  acceptsIes?: boolean | null;
}
