import { Field, ID, InputType } from 'type-graphql';

@InputType('RevokeBenefitInput', {
  description:
    'The revocation of a benefit already granted (decadenza, DPR 445/2000 art. 75): the application and why.',
})
export class RevokeBenefitInput {
  @Field(() => ID, {
    description:
      'The application: APPROVED (from the portal) or imported from a list of beneficiaries.',
  })
  applicationId!: string;

  @Field({
    description:
      'Why the benefit is revoked (required, at most 500 characters; e.g. the outcome of the check of the self-declaration under art. 71): written on the case’s timeline.',
  })
  reason!: string;
}
