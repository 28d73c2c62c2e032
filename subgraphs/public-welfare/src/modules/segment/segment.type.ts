import { Field, ID, Int, ObjectType } from 'type-graphql';
import { IseeType, type IseeType as IseeTypeValue } from '../shared/enums.js';

/** The saved criteria of a segment: the fields of `HouseholdFilter` (null when not given). */
@ObjectType('SegmentFilter', {
  description: 'The saved criteria of a segment: `HouseholdFilter`’s fields, null when not set.',
})
export class SegmentFilterType {
  @Field(() => Int, { nullable: true, description: 'Largest ISEE, in euro cents (inclusive).' })
  iseeMax?: number | null;

  @Field(() => IseeType, { nullable: true, description: 'Kind of the latest ISEE.' })
  iseeType?: IseeTypeValue | null;

  @Field(() => Int, { nullable: true, description: 'At least this many members.' })
  minSize?: number | null;

  @Field(() => Int, { nullable: true, description: 'At most this many members.' })
  maxSize?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'With (true) or without (false) minors.' })
  hasMinors?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'With (true) or without (false) a member aged 65 or more.',
  })
  hasElderly?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'With (true) or without (false) a member with a disability.',
  })
  hasDisability?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Whether the latest declaration says the household receives public support.',
  })
  receivesPublicSupport?: boolean | null;
}

/**
 * A saved household filter. `filter`, `comune`, `createdBy` and `householdCount` are field
 * resolvers in `SegmentResolver`.
 */
@ObjectType('Segment', { description: 'A saved household filter of a Comune (segmento).' })
export class SegmentType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field({ description: 'Name, unique within the Comune.' })
  name!: string;

  @Field({ description: 'When it was saved.' })
  createdAt!: Date;
}

@ObjectType('SegmentInvitation', { description: 'What inviting a segment to apply did.' })
export class SegmentInvitationType {
  @Field(() => Int, { description: 'Households in the segment now.' })
  households!: number;

  @Field(() => Int, {
    description:
      'Messages written now: households already invited to the same campaign are not invited twice.',
  })
  invited!: number;
}
