import { enumObject } from '@welfare/kit/vocabulary';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CircuitType } from '../circuit/circuit.type.js';
import { MemberType } from '../member/member.type.js';
import { MOVEMENT_CODES } from './wallet.service.js';

export const MovementCodeEnum = enumObject(MOVEMENT_CODES);
export const MovementStatusEnum = enumObject(['PENDING', 'POSTED', 'VOIDED', 'EXPIRED'] as const);

registerEnumType(MovementCodeEnum, {
  name: 'IesMovementCode',
  description: 'What a movement of an IES wallet is.',
  valuesConfig: {
    ISSUANCE: { description: 'IES bought with euro that entered the reserve.' },
    REWARD_FUNDING: { description: 'Rewards funded in euro (the circuit’s rewards account).' },
    REWARD: { description: 'A reward earned by taking part.' },
    PAYMENT: { description: 'A payment between members (QR code or till).' },
    FEE: { description: 'The fee of a movement.' },
    CONVERSION: { description: 'A conversion to euro.' },
    CONVERSION_FEE: { description: 'The service fee of a conversion to euro.' },
    CARD_FALLBACK: { description: 'A card payment at a till, the part paid with IES.' },
    SERVICE_PAYMENT: { description: 'A catalogue service paid with IES.' },
    SERVICE_REFUND: { description: 'A catalogue service payment given back.' },
    DONATION: { description: 'A donation to a third-sector project.' },
    DEMURRAGE: { description: 'The circuit’s demurrage on the balance.' },
    EXPIRY: { description: 'IES expired unspent.' },
    FEE_USE: { description: 'Fees put to a use the manager decided.' },
    OTHER: { description: 'Any other movement.' },
  },
});

registerEnumType(MovementStatusEnum, {
  name: 'IesMovementStatus',
  description: 'Where a movement of an IES wallet stands.',
  valuesConfig: {
    PENDING: { description: 'Held: not yet posted (e.g. a conversion waiting for the manager).' },
    POSTED: { description: 'Done.' },
    VOIDED: { description: 'Cancelled: the held amount went back.' },
    EXPIRED: { description: 'The hold expired: the amount went back.' },
  },
});

@ObjectType('IesMovement', { description: 'One movement of an IES wallet.' })
export class MovementType {
  @Field(() => ID, { description: 'The book transfer.' })
  transferId!: string;

  @Field(() => Date, { description: 'When it happened.' })
  at!: Date;

  @Field(() => Int, {
    description:
      'In cents of IES, signed from the wallet’s side: positive when IES reach it, negative when they leave.',
  })
  amountCents!: number;

  @Field(() => MovementCodeEnum, { description: 'What the movement is.' })
  code!: string;

  @Field(() => MovementStatusEnum, { description: 'Where it stands.' })
  status!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'Who is on the other side: another member’s name, the circuit’s name for its own accounts (issuance, fees, rewards); null otherwise.',
  })
  counterpartyName?: string | null;
}

@ObjectType('IesMovementPage', {
  description: 'A page of an IES wallet’s movements, newest first.',
})
export class MovementPageType {
  @Field(() => [MovementType], { description: 'The movements.' })
  items!: MovementType[];

  @Field(() => String, {
    nullable: true,
    description: 'Pass as `before` for the next (older) page; null at the end.',
  })
  nextCursor?: string | null;
}

@ObjectType('IesWallet', {
  description: 'A member’s IES wallet, as the member reads it (no one else does).',
})
export class WalletType {
  @Field(() => MemberType, { description: 'The membership.' })
  member!: MemberType;

  @Field(() => CircuitType, { description: 'The circuit.' })
  circuit!: CircuitType;

  @Field(() => Int, { description: 'The balance, in cents of IES (1 IES = 1 euro).' })
  balanceCents!: number;

  @Field(() => Int, {
    description: 'What can be spent now: the balance less the held amounts, in cents of IES.',
  })
  availableCents!: number;
}
