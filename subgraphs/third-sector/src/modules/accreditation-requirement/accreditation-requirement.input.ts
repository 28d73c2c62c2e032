import { Field, ID, InputType, Int } from 'type-graphql';

@InputType('AccreditationRequirementInput', {
  description:
    'An item of the checklist: a new code adds it; an existing code edits it while no request has answered it (CONFLICT afterwards).',
})
export class AccreditationRequirementInput {
  @Field(() => ID, { description: 'The Comune.' })
  comuneId!: string;

  @Field(() => String, {
    description: '2 to 40 characters: capital letters, digits, underscore (lower case is raised).',
  })
  code!: string;

  @Field(() => String, { description: 'The requirement in Italian, 3 to 1000 characters.' })
  textIt!: string;

  @Field(() => String, { description: 'The requirement in English, 3 to 1000 characters.' })
  textEn!: string;

  @Field(() => Boolean, { description: 'True when a document must be uploaded with the answer.' })
  documentRequired!: boolean;

  @Field(() => Int, {
    nullable: true,
    description: 'Order in the checklist, 0 to 1000 (default 0).',
  })
  position?: number | null;
}
