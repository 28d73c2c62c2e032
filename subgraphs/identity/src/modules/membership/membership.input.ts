import { Field, ID, InputType } from 'type-graphql';
import type { Role as KitRole } from '@welfare/kit';
import { Role } from '../shared/enums.js';

@InputType({ description: 'Who to invite into an organisation, and with which role.' })
export class InviteMemberInput {
  @Field(() => ID, { description: 'The organisation.' })
  organisationId!: string;

  @Field({ description: 'The invitee’s email: an existing person with it is invited as is.' })
  email!: string;

  @Field({ description: 'Given name (used when the person is new).' })
  givenName!: string;

  @Field({ description: 'Family name (used when the person is new).' })
  familyName!: string;

  @Field(() => String, { nullable: true, description: 'Codice fiscale (optional).' })
  fiscalCode?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Phone number (optional; Italian or E.164).',
  })
  phone?: string | null;

  @Field(() => Role, { description: 'The role; it must fit the organisation’s kind.' })
  role!: KitRole;
}

@InputType({ description: 'Accepting an invitation.' })
export class AcceptInvitationInput {
  @Field({ description: 'The invitation token.' })
  token!: string;

  @Field({
    description:
      'A new password (at least 12 characters) for a person without one; the current password for a person who has one.',
  })
  password!: string;
}
