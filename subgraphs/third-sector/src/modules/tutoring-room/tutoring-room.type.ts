import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType('TutoringRoomWindow', {
  description: 'A weekly availability window of a room, in Rome local time.',
})
export class TutoringRoomWindowType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => Int, { description: 'ISO weekday: 1 Monday … 7 Sunday.' })
  weekday!: number;

  @Field(() => String, { description: 'Opening time, HH:MM.' })
  startsAt!: string;

  @Field(() => String, { description: 'Closing time, HH:MM.' })
  endsAt!: string;

  @Field(() => String, { nullable: true, description: 'First valid day (yyyy-mm-dd), if any.' })
  validFrom!: string | null;

  @Field(() => String, { nullable: true, description: 'Last valid day (yyyy-mm-dd), if any.' })
  validUntil!: string | null;
}

@ObjectType('TutoringRoom', {
  description: 'A place where lessons happen (e.g. a library room), owned by a provider.',
})
export class TutoringRoomType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => ID, { description: 'The provider owning it.' })
  providerId!: string;

  @Field(() => String, { description: 'Name, e.g. “Biblioteca comunale – Sala studio”.' })
  name!: string;

  @Field(() => String, { description: 'Address.' })
  address!: string;
}
