import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import type { TutoringRoom, TutoringRoomWindow } from './tutoring-room.entity.js';
import { TutoringRoomInput } from './tutoring-room.input.js';
import { TutoringRoomType, TutoringRoomWindowType } from './tutoring-room.type.js';

/** Rooms and their availability. */
@Resolver(() => TutoringRoomType)
export class TutoringRoomResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [TutoringRoomType], {
    description: 'The provider’s rooms. Its ADMIN and TUTORs only: FORBIDDEN otherwise.',
  })
  tutoringRooms(
    @Arg('providerId', () => ID, { description: 'The provider.' }) providerId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringRoom[]> {
    return this.services.tutoring.rooms.ofProvider(ctx.em, ctx.caller, providerId);
  }

  @Mutation(() => TutoringRoomType, {
    description:
      'The provider’s ADMIN adds a room with its weekly availability, or edits one (windows replaced).',
  })
  saveTutoringRoom(
    @Arg('input', () => TutoringRoomInput, { description: 'The room.' }) input: TutoringRoomInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringRoom> {
    return this.services.tutoring.rooms.save(ctx.em, ctx.caller, input);
  }

  @FieldResolver(() => [TutoringRoomWindowType], {
    description: 'Weekly availability, by weekday and time.',
  })
  async windows(
    @Root() row: TutoringRoom,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringRoomWindow[]> {
    return (await this.services.tutoring.rooms.windows(ctx.em, row.id)).map((w) => ({
      ...w,
      startsAt: w.startsAt.slice(0, 5),
      endsAt: w.endsAt.slice(0, 5),
    }));
  }
}
