import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import { bookingType, TutoringBookingType } from '../tutoring-booking/tutoring-booking.type.js';
import type { TutoringLesson } from '../tutoring-lesson/tutoring-lesson.entity.js';
import { lessonArg } from '../tutoring-lesson/tutoring-lesson.input.js';
import { TutoringLessonType } from '../tutoring-lesson/tutoring-lesson.type.js';
import { TutoringAttendanceInput } from './tutoring-attendance.input.js';

/** The attendance register of a lesson. */
@Resolver(() => TutoringLessonType)
export class TutoringAttendanceResolver {
  constructor(private readonly services: Services) {}

  @Mutation(() => [TutoringBookingType], {
    description:
      'The attendance register: the lesson’s tutor or the provider’s ADMIN marks seated pupils, from the start of the lesson on (editable). Returns the seated bookings.',
  })
  async markTutoringAttendance(
    @Arg('lessonId', () => ID, lessonArg) lessonId: string,
    @Arg('marks', () => [TutoringAttendanceInput], { description: 'One line per pupil.' })
    marks: TutoringAttendanceInput[],
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringBookingType[]> {
    const { attendance, bookings } = this.services.tutoring;
    const rows = await attendance.mark(ctx.em, ctx.caller, lessonId, marks);
    return Promise.all(rows.map(async (b) => bookingType(await bookings.view(ctx.em, b))));
  }

  @FieldResolver(() => Boolean, {
    description: 'True when the caller may fill in its attendance register.',
  })
  canMarkAttendance(@Root() row: TutoringLesson, @Ctx() ctx: SubgraphContext): boolean {
    return this.services.tutoring.attendance.canMark(ctx.caller, row);
  }
}
