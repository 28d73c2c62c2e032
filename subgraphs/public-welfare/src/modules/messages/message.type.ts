import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import {
  MESSAGE_CHANNELS,
  MESSAGE_STATUSES,
  type MessageChannel as MessageChannelValue,
  type MessageStatus as MessageStatusValue,
} from './message.entity.js';
import { TEMPLATE_CODES, type TemplateCode } from './templates.js';

export const MessageChannel = Object.fromEntries(MESSAGE_CHANNELS.map((c) => [c, c])) as {
  [K in MessageChannelValue]: K;
};
export const MessageStatus = Object.fromEntries(MESSAGE_STATUSES.map((s) => [s, s])) as {
  [K in MessageStatusValue]: K;
};

registerEnumType(MessageChannel, {
  name: 'MessageChannel',
  description: 'How a message reaches its recipient.',
  valuesConfig: {
    EMAIL: { description: 'An email, over SMTP.' },
    SMS: { description: 'A text message, through the SMS provider.' },
    PORTAL: {
      description: 'The citizen’s personal area on the portal (“I miei messaggi”).',
    },
  },
});

registerEnumType(MessageStatus, {
  name: 'MessageStatus',
  description: 'Where a message is in its delivery.',
  valuesConfig: {
    PENDING: { description: 'Waiting for its (next) delivery attempt.' },
    SENT: {
      description:
        'Accepted by the mail server or the SMS provider, or shown in the personal area.',
    },
    FAILED: {
      description:
        'Not delivered: refused for good, or still failing after the last allowed attempt.',
    },
  },
});

export const MessageTemplate = Object.fromEntries(TEMPLATE_CODES.map((t) => [t, t])) as {
  [K in TemplateCode]: K;
};

registerEnumType(MessageTemplate, {
  name: 'MessageTemplate',
  description: 'The kind of a notification: the template it was written from.',
  valuesConfig: {
    APPLICATION_RECEIVED: { description: 'An application was received (its protocol number).' },
    INTEGRATION_REQUESTED: { description: 'The Comune asks the applicant for more documents.' },
    DECISION: { description: 'The outcome of an application.' },
    INVITATION: { description: 'An invitation to apply to a campaign.' },
    PAYMENT: { description: 'A payment with a card (amount and credit left).' },
    CREDIT_EXPIRING: {
      description:
        'A reminder of the credit left on a card, written by the scheduler 7 days before the campaign’s spending window ends.',
    },
    BENEFIT_REVOKED: {
      description:
        'The Comune revoked a granted benefit (decadenza): its reason, the unspent credit taken back from the card and what had been spent.',
    },
  },
});

/** A notification of the outbox, as staff and citizens read it. */
@ObjectType('Message', {
  description:
    'A notification the Comune sent (or is sending) to a citizen: by email, SMS or in the personal area of the portal.',
})
export class MessageType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => MessageTemplate, {
    description:
      'The kind of message: the template it was written from (e.g. CREDIT_EXPIRING, the reminder of the credit left on a card). Every message has one.',
  })
  template!: TemplateCode;

  @Field(() => MessageChannel, { description: 'How it is delivered.' })
  channel!: MessageChannelValue;

  @Field({
    description:
      'The email address or phone number it goes to; for the portal, the text “Area personale / Personal area” (never the codice fiscale).',
  })
  recipient!: string;

  @Field({
    description:
      'Subject, in the message’s `language` (messages written before issue 19: Italian then English).',
  })
  subject!: string;

  @Field({
    description:
      'Text of the message, in its `language` only (messages written before issue 19: Italian first, then English).',
  })
  body!: string;

  @Field({
    description:
      'The language the message is written in, the recipient’s choice when it was written: `it` or `en`.',
  })
  language!: string;

  @Field(() => MessageStatus, { description: 'Delivery status.' })
  status!: MessageStatusValue;

  @Field(() => Int, { description: 'Delivery attempts made so far.' })
  attempts!: number;

  @Field({ description: 'When the message was written (queued).' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was delivered (null until SENT).' })
  sentAt!: Date | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Why the last attempt failed, or a delivery note (the embedded demo run: “embedded: not delivered”). Staff only: always null in `myMessages`.',
  })
  lastError!: string | null;
}

@ObjectType('MessagePageInfo', { description: 'Where a page of messages ends.' })
export class MessagePageInfo {
  @Field({ description: 'True when more messages follow this page.' })
  hasNextPage!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the last message of the page: pass it as `after` for the next page.',
  })
  endCursor!: string | null;
}

@ObjectType('MessagePage', { description: 'A page of messages, newest first.' })
export class MessagePageType {
  @Field(() => [MessageType], { description: 'The messages of this page.' })
  nodes!: MessageType[];

  @Field(() => Int, { description: 'How many messages there are in all (every page).' })
  totalCount!: number;

  @Field(() => MessagePageInfo, { description: 'Where this page ends.' })
  pageInfo!: MessagePageInfo;
}
