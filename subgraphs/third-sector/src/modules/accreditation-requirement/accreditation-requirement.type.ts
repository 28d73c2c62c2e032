import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType('AccreditationRequirement', {
  description:
    'One item of a Comune’s accreditation checklist. Editable while no request has answered it; then frozen and only retired.',
})
export class AccreditationRequirementType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => ID, { description: 'The Comune whose checklist it belongs to.' })
  comuneId!: string;

  @Field(() => String, {
    description: 'Short code, unique in the checklist (e.g. ISCRIZIONE_RUNTS).',
  })
  code!: string;

  @Field(() => String, { description: 'The requirement, in Italian.' })
  textIt!: string;

  @Field(() => String, { description: 'The requirement, in English.' })
  textEn!: string;

  @Field(() => Boolean, { description: 'True when a document must be uploaded with the answer.' })
  documentRequired!: boolean;

  @Field(() => Int, { description: 'Order in the checklist (ascending).' })
  position!: number;

  @Field(() => Date, {
    nullable: true,
    description: 'When it was retired from the checklist (null while active).',
  })
  retiredAt!: Date | null;
}
