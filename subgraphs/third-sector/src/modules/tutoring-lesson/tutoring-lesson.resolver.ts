import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import type { TutoringProgramme } from '../tutoring-programme/tutoring-programme.entity.js';
import { TutoringProgrammeType } from '../tutoring-programme/tutoring-programme.type.js';
import type { TutoringRoom } from '../tutoring-room/tutoring-room.entity.js';
import { TutoringRoomType } from '../tutoring-room/tutoring-room.type.js';
import type { TutoringLesson } from './tutoring-lesson.entity.js';
import { lessonArg, TutoringLessonInput } from './tutoring-lesson.input.js';
import { TutoringLessonType } from './tutoring-lesson.type.js';

/** Lessons: one lesson, a tutor's lessons, the ADMIN's planning and cancelling. */
@Resolver(() => TutoringLessonType)
export class TutoringLessonResolver {
  constructor(private readonly services: Services) {}

  @Query(() => TutoringLessonType, { nullable: true, description: 'One lesson (public).' })
  tutoringLesson(
    @Arg('id', () => ID, lessonArg) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringLesson | null> {
    return this.services.tutoring.lessons.get(ctx.em, id);
  }

  @Query(() => [TutoringLessonType], {
    description: 'The lessons the caller teaches (a TUTOR of the programme’s provider), by start.',
  })
  myTutoringLessons(
    @Arg('from', () => Date, { nullable: true, description: 'From this instant.' })
    from: Date | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringLesson[]> {
    return this.services.tutoring.lessons.taughtBy(ctx.em, ctx.caller, from);
  }

  @Mutation(() => [TutoringLessonType], {
    description:
      'The provider’s ADMIN plans a lesson or a weekly series, all or nothing. BAD_USER_INPUT (nothing written): outside the room’s availability or the programme’s period (startsAt), the tutor or room busy (tutorId, roomId), capacity beyond the group limit, beyond the remaining budget (weeks).',
  })
  planTutoringLessons(
    @Arg('input', () => TutoringLessonInput, { description: 'The lesson(s).' })
    input: TutoringLessonInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringLesson[]> {
    return this.services.tutoring.lessons.plan(ctx.em, ctx.caller, input);
  }

  @Mutation(() => TutoringLessonType, {
    description:
      'The provider’s ADMIN cancels a lesson not yet started: its bookings are cancelled and its minutes return to the budget.',
  })
  cancelTutoringLesson(
    @Arg('id', () => ID, lessonArg) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringLesson> {
    return this.services.tutoring.lessons.cancel(ctx.em, ctx.caller, id);
  }

  @FieldResolver(() => String, { description: 'The tutor’s name.' })
  async tutorName(@Root() row: TutoringLesson, @Ctx() ctx: SubgraphContext): Promise<string> {
    return (await this.services.tutoring.tutors.get(ctx.em, row.tutorId))?.displayName ?? '';
  }

  @FieldResolver(() => TutoringRoomType, { description: 'Where.' })
  async room(@Root() row: TutoringLesson, @Ctx() ctx: SubgraphContext): Promise<TutoringRoom> {
    return (await this.services.tutoring.rooms.get(ctx.em, row.roomId))!;
  }

  @FieldResolver(() => TutoringProgrammeType, { description: 'The programme.' })
  async programme(
    @Root() row: TutoringLesson,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringProgramme> {
    return (await this.services.tutoring.programmes.get(ctx.em, row.programmeId))!;
  }

  @FieldResolver(() => Int, { description: 'Seats still free.' })
  freeSeats(@Root() row: TutoringLesson): number {
    return row.status === 'PLANNED' ? Math.max(0, row.capacity - row.seatsTaken) : 0;
  }

  @FieldResolver(() => Int, { description: 'Pupils on the waitlist.' })
  async waitlisted(@Root() row: TutoringLesson, @Ctx() ctx: SubgraphContext): Promise<number> {
    return (
      (await this.services.tutoring.bookings.waitlistCounts(ctx.em, [row.id])).get(row.id) ?? 0
    );
  }
}

/** `TutoringProgramme.lessons`. */
@Resolver(() => TutoringProgrammeType)
export class TutoringProgrammeLessonsResolver {
  constructor(private readonly services: Services) {}

  @FieldResolver(() => [TutoringLessonType], {
    description:
      'Its lessons by start: with `upcoming`, planned lessons not yet started; otherwise all (also cancelled) between `from` and `to`.',
  })
  lessons(
    @Root() row: TutoringProgramme,
    @Arg('upcoming', () => Boolean, { nullable: true, description: 'Only future planned lessons.' })
    upcoming: boolean | null,
    @Arg('from', () => Date, { nullable: true, description: 'From this instant.' })
    from: Date | null,
    @Arg('to', () => Date, { nullable: true, description: 'Before this instant.' })
    to: Date | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringLesson[]> {
    return this.services.tutoring.lessons.ofProgramme(ctx.em, row.id, {
      upcoming: upcoming ?? false,
      from,
      to,
    });
  }
}
