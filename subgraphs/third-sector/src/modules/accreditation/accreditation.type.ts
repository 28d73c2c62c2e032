import { Field, ID, Int, ObjectType } from 'type-graphql';
import { AccreditationRequirementType } from '../accreditation-requirement/accreditation-requirement.type.js';
import {
  ProviderAccreditationEventKind,
  ProviderAccreditationStatus,
} from './accreditation.enums.js';

@ObjectType('ProviderAccreditationDocument', {
  description:
    'A file uploaded with a request for one checklist item; download it at `GET /downloads/third-sector/files/document?id=`.',
})
export class AccreditationDocumentType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => ID, { description: 'The checklist item it documents.' })
  requirementId!: string;

  @Field(() => String, { description: 'The file’s name as uploaded.' })
  fileName!: string;

  @Field(() => String, {
    description: 'application/pdf, image/jpeg or image/png (from the content).',
  })
  contentType!: string;

  @Field(() => Int, { description: 'Size in bytes.' })
  sizeBytes!: number;

  @Field(() => String, { description: 'SHA-256 of the content (hex).' })
  sha256!: string;

  @Field(() => Date, { description: 'When it was uploaded.' })
  uploadedAt!: Date;
}

@ObjectType('ProviderAccreditationItem', {
  description:
    'One checklist item of a request: the requirement, the provider’s answer, its documents.',
})
export class AccreditationItemType {
  @Field(() => AccreditationRequirementType, { description: 'The requirement.' })
  requirement!: AccreditationRequirementType;

  @Field(() => Boolean, {
    nullable: true,
    description: 'The provider’s declaration (null while unanswered).',
  })
  declared!: boolean | null;

  @Field(() => String, { nullable: true, description: 'The provider’s note.' })
  note!: string | null;

  @Field(() => [AccreditationDocumentType], {
    description: 'Documents uploaded for it, oldest first.',
  })
  documents!: AccreditationDocumentType[];
}

@ObjectType('ProviderAccreditationEvent', {
  description: 'One entry of a request’s history (append-only).',
})
export class AccreditationEventType {
  @Field(() => ID, { description: 'Sequence number.' })
  id!: string;

  @Field(() => ProviderAccreditationEventKind, { description: 'What happened.' })
  kind!: string;

  @Field(() => String, { description: 'Who acted: `person:<uuid>` or `system`.' })
  actor!: string;

  @Field(() => String, {
    description: 'In which capacity: PROVIDER_ADMIN, OPERATOR, MANAGER, PLATFORM_ADMIN or SYSTEM.',
  })
  actorRole!: string;

  @Field(() => ProviderAccreditationStatus, { nullable: true, description: 'Status before.' })
  fromStatus!: string | null;

  @Field(() => ProviderAccreditationStatus, { nullable: true, description: 'Status after.' })
  toStatus!: string | null;

  @Field(() => String, { nullable: true, description: 'The reason or note given.' })
  reason!: string | null;

  @Field(() => Date, { description: 'When.' })
  at!: Date;
}

@ObjectType('ProviderAccreditation', {
  description:
    'A provider’s request for accreditation to a Comune and, once ACCREDITED, the accreditation itself (until its expiry date). Seen by the provider’s ADMIN and, once submitted, by the Comune’s staff.',
})
export class AccreditationRequestType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => ID, { description: 'The provider (a COOPERATIVE or ASSOCIATION organisation).' })
  providerId!: string;

  @Field(() => ID, { description: 'The Comune asked.' })
  comuneId!: string;

  @Field(() => ProviderAccreditationStatus, { description: 'Where the request is.' })
  status!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The accreditation this request renews (null for a first request).',
  })
  renewalOf!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'What the Comune last asked to integrate.',
  })
  integrationReason!: string | null;

  @Field(() => String, { nullable: true, description: 'The reason of the decision.' })
  decisionReason!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Last day of validity (yyyy-mm-dd, Europe/Rome) of an accreditation.',
  })
  validUntil!: string | null;

  @Field(() => String, { nullable: true, description: 'Why the accreditation is suspended.' })
  suspensionReason!: string | null;

  @Field(() => Date, { nullable: true, description: 'Last submission.' })
  submittedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the Comune decided.' })
  decidedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was suspended (while SUSPENDED).' })
  suspendedAt!: Date | null;

  @Field(() => Date, { description: 'When the draft was started.' })
  createdAt!: Date;

  @Field(() => Date, { description: 'Last change.' })
  updatedAt!: Date;
}

@ObjectType('ProviderAccreditationQueue', { description: 'A page of a Comune’s requests.' })
export class AccreditationQueueType {
  @Field(() => [AccreditationRequestType], {
    description: 'The requests, oldest submission first.',
  })
  items!: AccreditationRequestType[];

  @Field(() => Int, { description: 'Every request matching the filter.' })
  totalCount!: number;
}

@ObjectType('AccreditedProvider', {
  description: 'A provider effectively accredited by a Comune today (ACCREDITED, not expired).',
})
export class AccreditedProviderType {
  @Field(() => ID, { description: 'The provider organisation.' })
  providerId!: string;

  @Field(() => ID, { description: 'The Comune.' })
  comuneId!: string;

  @Field(() => ID, { description: 'The accreditation.' })
  accreditationId!: string;

  @Field(() => String, { description: 'Last day of validity (yyyy-mm-dd, Europe/Rome).' })
  validUntil!: string;

  @Field(() => Date, { description: 'When it was granted.' })
  decidedAt!: Date;
}
