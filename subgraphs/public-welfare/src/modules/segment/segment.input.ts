import { Field, ID, InputType } from 'type-graphql';
import { HouseholdFilter } from '../household/household.input.js';

@InputType({ description: 'A household filter to save under a name.' })
export class SaveSegmentInput {
  @Field(() => ID, { description: 'The Comune (identity Organisation id).' })
  comuneId!: string;

  @Field({ description: '1 to 120 characters, unique within the Comune (spaces trimmed).' })
  name!: string;

  @Field(() => HouseholdFilter, { description: 'The criteria (the same as `households`).' })
  filter!: HouseholdFilter;
}
