import { Field, ID, ObjectType } from 'type-graphql';
import type { Role as KitRole } from '@welfare/kit';
import { MembershipStatus, Role } from '../shared/enums.js';

/**
 * A person's role in an organisation. `person` and `organisation` are field resolvers in
 * `MembershipResolver`.
 */
@ObjectType('Membership', { description: 'A person’s role in an organisation.' })
export class MembershipType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => Role, {
    description: 'The role; which roles fit which kind of organisation: see Role.',
  })
  role!: KitRole;

  @Field(() => MembershipStatus, { description: 'INVITED until the person accepts, then ACTIVE.' })
  status!: MembershipStatus;

  @Field({ description: 'When the person was invited or added.' })
  createdAt!: Date;
}

@ObjectType('Invitation', { description: 'An invitation to join an organisation with a role.' })
export class InvitationType {
  @Field(() => MembershipType, { description: 'The membership, INVITED until accepted.' })
  membership!: MembershipType;

  @Field({
    description:
      'One-time token the invitee uses to set a password (sent to them; shown to the inviter once).',
  })
  token!: string;

  @Field({ description: 'When the invitation stops working (7 days after it is issued).' })
  expiresAt!: Date;
}
