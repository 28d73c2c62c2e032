import { Field, InputType, Int } from 'type-graphql';
import { PlanEndRuleEnum, PlanPurposeEnum } from './plan.type.js';

@InputType('WelfarePlanCategoryInput', {
  description:
    'A category of employees (“categoria omogenea”): a code, a name, the objective criterion that defines it and the credit of each of its employees.',
})
export class PlanCategoryInput {
  @Field(() => String, {
    description: 'The code employees are enrolled with: 1 to 30 of A-Z, 0-9 and _ (upper-cased).',
  })
  code!: string;

  @Field(() => String, { description: 'The category’s name (2 to 80 characters).' })
  name!: string;

  @Field(() => String, {
    description:
      'The objective criterion that defines it, e.g. “Livelli 1-3 del CCNL” (3 to 300 characters): never a named person.',
  })
  criterion!: string;

  @Field(() => Int, {
    description: 'The credit of each employee of the category, in cents (0 to 1,000,000 euro).',
  })
  creditCents!: number;
}

@InputType('WelfarePlanInput', {
  description:
    'A welfare plan as HR writes it (created, or replaced whole while it is an unpublished draft).',
})
export class PlanInput {
  @Field(() => String, { description: 'The plan’s name (3 to 120 characters).' })
  name!: string;

  @Field(() => Int, {
    description: 'The tax year it belongs to: from last year to the year after this one.',
  })
  year!: number;

  @Field(() => String, {
    description: 'First day the credit can be spent (YYYY-MM-DD, Rome), in the plan’s year.',
  })
  validFrom!: string;

  @Field(() => String, {
    description:
      'Last day the credit can be spent (YYYY-MM-DD, Rome): not before validFrom, at the latest 30 June of the year after.',
  })
  validUntil!: string;

  @Field(() => [PlanPurposeEnum], { description: 'What the credit may pay for (at least one).' })
  purposes!: string[];

  @Field(() => [String], {
    description:
      'The catalogue’s offer categories (OfferCategory values: EDUCATION, CHILDCARE…) the credit pays in kind: at least one when SERVICES_IN_KIND is a purpose, none otherwise.',
  })
  coveredCategories!: string[];

  @Field(() => PlanEndRuleEnum, {
    description: 'What happens to unspent credit at the end, as the regulation says.',
  })
  endRule!: string;

  @Field(() => Boolean, {
    description: 'Employees may convert a performance bonus into credit.',
    defaultValue: false,
  })
  bonusConversion!: boolean;

  @Field(() => [PlanCategoryInput], {
    description: 'The categories it covers (up to 20, codes unique); at least one to publish.',
  })
  categories!: PlanCategoryInput[];
}
