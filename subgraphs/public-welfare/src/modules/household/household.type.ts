import { Field, ID, Int, ObjectType } from 'type-graphql';
import {
  Relation,
  Sex,
  type Relation as RelationValue,
  type Sex as SexValue,
} from '../shared/enums.js';

/**
 * A household of a Comune's registry. `comune`, `size`, `members` and `latestIncome` are field
 * resolvers in `HouseholdResolver`.
 */
@ObjectType('Household', {
  description: 'A household (famiglia anagrafica) of a Comune’s registry.',
})
export class HouseholdType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field({ description: 'Registry code (codice famiglia), unique within the Comune.' })
  code!: string;

  @Field({ description: 'Address of the household.' })
  address!: string;

  @Field({ description: 'True when the household is resident in the Comune.' })
  resident!: boolean;

  @Field({ description: 'When the household was first imported.' })
  createdAt!: Date;

  @Field({ description: 'When an import last changed the household.' })
  updatedAt!: Date;
}

/** A member of a household. `fiscalCode` is a field resolver (decrypted on read). */
@ObjectType('HouseholdMember', { description: 'A member of a household.' })
export class HouseholdMemberType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field({ description: 'Given name (nome).' })
  givenName!: string;

  @Field({ description: 'Family name (cognome).' })
  familyName!: string;

  @Field({ description: 'Birth date, ISO 8601 (yyyy-mm-dd).' })
  birthDate!: string;

  @Field(() => Sex, { description: 'Sex as recorded in the registry.' })
  sex!: SexValue;

  @Field(() => Relation, { description: 'Relation to the head of the household.' })
  relation!: RelationValue;

  @Field({ description: 'True when the member has a recognised disability.' })
  disability!: boolean;
}

@ObjectType('HouseholdPageInfo', { description: 'Where a page of households ends.' })
export class HouseholdPageInfo {
  @Field({ description: 'True when more households match after this page.' })
  hasNextPage!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the last household of the page: pass it as `after` for the next page.',
  })
  endCursor!: string | null;
}

@ObjectType('HouseholdConnection', {
  description: 'A page of households, ordered by registry code.',
})
export class HouseholdConnection {
  @Field(() => [HouseholdType], { description: 'The households of this page.' })
  nodes!: HouseholdType[];

  @Field(() => Int, { description: 'How many households match the filter in all (every page).' })
  totalCount!: number;

  @Field(() => HouseholdPageInfo, { description: 'Where this page ends.' })
  pageInfo!: HouseholdPageInfo;
}

/** A member of the caller's own household (`myHouseholdMembers`): who they may book for. */
@ObjectType('MyHouseholdMember', {
  description:
    'A member of the caller’s own household in a Comune’s registry: names, birth date and codice fiscale only (no income, no other registry facts).',
})
export class MyHouseholdMemberType {
  @Field({ description: 'Given name (nome), as in the registry.' })
  givenName!: string;

  @Field({ description: 'Family name (cognome), as in the registry.' })
  familyName!: string;

  @Field({ description: 'Birth date, ISO 8601 (yyyy-mm-dd).' })
  birthDate!: string;

  @Field({ description: 'Codice fiscale (upper case).' })
  fiscalCode!: string;

  @Field({ description: 'True for the caller themselves (listed first).' })
  isCaller!: boolean;
}
