import { enumObject } from '@welfare/kit/vocabulary';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { MEMBER_KINDS, MEMBER_STATUSES } from './member.entity.js';

export const MemberKindEnum = enumObject(MEMBER_KINDS);
export const MemberStatusEnum = enumObject(MEMBER_STATUSES);
export const MemberDecisionEnum = enumObject(['ACCEPT', 'REJECT', 'SUSPEND'] as const);

registerEnumType(MemberKindEnum, {
  name: 'IesMemberKind',
  description: 'What kind of member of an IES circuit.',
  valuesConfig: {
    CITIZEN: { description: 'A citizen (logged in with SPID or CIE).' },
    BUSINESS: { description: 'A business (shop, craftsman, professional).' },
    ASSOCIATION: { description: 'An association.' },
    COOPERATIVE: { description: 'A social cooperative.' },
    COMUNE: { description: 'A Comune.' },
  },
});

registerEnumType(MemberStatusEnum, {
  name: 'IesMemberStatus',
  description: 'Where a membership of an IES circuit stands.',
  valuesConfig: {
    PENDING: { description: 'Asked for by an organisation, waiting for the circuit’s staff.' },
    ACTIVE: { description: 'A member: pays, receives, earns.' },
    REJECTED: { description: 'Refused by the circuit’s staff (with a reason).' },
    SUSPENDED: { description: 'Suspended by the circuit’s staff (with a reason): moves no money.' },
  },
});

registerEnumType(MemberDecisionEnum, {
  name: 'IesMemberDecision',
  description: 'What the circuit’s staff decide on a membership.',
  valuesConfig: {
    ACCEPT: { description: 'Accept a pending member, or reinstate a suspended one.' },
    REJECT: { description: 'Refuse a pending request (a reason is required).' },
    SUSPEND: { description: 'Suspend an active member (a reason is required).' },
  },
});

@ObjectType('IesMember', {
  description:
    'A member of an IES circuit: a citizen or an organisation (business, association, cooperative, the Comune). Seen by the member itself and by the circuit’s staff.',
})
export class MemberType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => ID, { description: 'The circuit.' })
  circuitId!: string;

  @Field(() => MemberKindEnum, { description: 'What kind of member.' })
  kind!: string;

  @Field(() => MemberStatusEnum, { description: 'Where the membership stands.' })
  status!: string;

  @Field({ description: 'The name shown to payers and on the staff’s list.' })
  displayName!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'An organisation member: the identity Organisation. Null for a citizen.',
  })
  organisationId?: string | null;

  @Field(() => String, { nullable: true, description: 'A business: its partita IVA (11 digits).' })
  vatNumber?: string | null;

  @Field(() => String, { nullable: true, description: 'An organisation: where it trades.' })
  address?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'An organisation: the IBAN its conversions to euro are paid to. Shown to the organisation and to the circuit’s staff only.',
  })
  iban?: string | null;

  @Field(() => [String], { description: 'What it sells or does, in words (may be empty).' })
  categories!: string[];

  @Field({ description: 'An organisation takes IES at its till and for its offers.' })
  acceptsIes!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Why the membership was rejected or suspended.',
  })
  decisionReason?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the staff last decided.' })
  decidedAt?: Date | null;

  @Field(() => Date, { description: 'When the member joined or asked to.' })
  createdAt!: Date;
}
