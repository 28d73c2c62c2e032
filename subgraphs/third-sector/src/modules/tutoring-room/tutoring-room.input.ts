import { Field, ID, InputType, Int } from 'type-graphql';

@InputType('TutoringRoomWindowInput', { description: 'A weekly availability window.' })
export class TutoringRoomWindowInput {
  @Field(() => Int, { description: 'ISO weekday: 1 Monday … 7 Sunday.' })
  weekday!: number;

  @Field(() => String, { description: 'Opening time, HH:MM (Rome).' })
  startsAt!: string;

  @Field(() => String, { description: 'Closing time, HH:MM (Rome), after the opening.' })
  endsAt!: string;

  @Field(() => String, { nullable: true, description: 'First valid day (yyyy-mm-dd).' })
  validFrom?: string | null;

  @Field(() => String, { nullable: true, description: 'Last valid day (yyyy-mm-dd).' })
  validUntil?: string | null;
}

@InputType('TutoringRoomInput', {
  description:
    'A room of the provider: without `id` a new one; with it, an edit (windows replaced).',
})
export class TutoringRoomInput {
  @Field(() => ID, { description: 'The provider.' })
  providerId!: string;

  @Field(() => ID, { nullable: true, description: 'The room to edit.' })
  id?: string | null;

  @Field(() => String, { description: 'Name, 3 to 200 characters, unique for the provider.' })
  name!: string;

  @Field(() => String, { description: 'Address, 3 to 300 characters.' })
  address!: string;

  @Field(() => [TutoringRoomWindowInput], { description: '1 to 30 weekly windows.' })
  windows!: TutoringRoomWindowInput[];
}
