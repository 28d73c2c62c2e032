import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import { OrganisationRef } from '../shared/references.type.js';
import type {
  TutoringBooking,
  TutoringEnrolment,
  TutoringLesson,
  TutoringProgramme,
  TutoringRoom,
  TutoringRoomWindow,
  TutoringTutor,
} from './tutoring.entities.js';
import type { FamilyBookingRow, TutoringReport } from './tutoring.service.js';
import {
  TutoringAttendanceInput,
  TutoringBookingType,
  TutoringEnrolmentInput,
  TutoringEnrolmentType,
  TutoringFamilyBookingType,
  TutoringLessonInput,
  TutoringLessonType,
  TutoringProgrammeInput,
  TutoringProgrammeType,
  TutoringProgrammeUpdate,
  TutoringReportType,
  TutoringRoomInput,
  TutoringRoomType,
  TutoringRoomWindowType,
  TutoringTutorType,
} from './tutoring.types.js';

type BookingView = {
  booking: TutoringBooking;
  enrolment: TutoringEnrolment;
  position: number | null;
};

/** A booking as the API shows it. */
function bookingOut(view: BookingView): TutoringBookingType {
  return {
    id: view.booking.id,
    lessonId: view.booking.lessonId,
    status: view.booking.status,
    waitlistPosition: view.position,
    attendance: view.booking.attendance,
    pupil: view.enrolment,
  };
}

const programmeArg = { description: 'The programme.' } as const;

/** Programmes, their tutors and lessons; the Comune's and the provider's lists; the report. */
@Resolver(() => TutoringProgrammeType)
export class TutoringProgrammeResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [TutoringProgrammeType], {
    description: 'OPEN programmes not yet ended, of one Comune or of all, by start. Public.',
  })
  tutoringProgrammes(
    @Arg('comuneId', () => ID, { nullable: true, description: 'Only this Comune’s.' })
    comuneId: string | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringProgramme[]> {
    return this.services.tutoring.openProgrammes(ctx.em, comuneId ?? null);
  }

  @Query(() => TutoringProgrammeType, {
    nullable: true,
    description: 'One programme (public); null when missing.',
  })
  tutoringProgramme(
    @Arg('id', () => ID, programmeArg) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringProgramme | null> {
    return this.services.tutoring.programme(ctx.em, id);
  }

  @Query(() => [TutoringProgrammeType], {
    description: 'The programmes a Comune funds. Its staff only: FORBIDDEN otherwise.',
  })
  comuneTutoringProgrammes(
    @Arg('comuneId', () => ID, { description: 'The Comune.' }) comuneId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringProgramme[]> {
    return this.services.tutoring.comuneProgrammes(ctx.em, ctx.caller, comuneId);
  }

  @Query(() => [TutoringProgrammeType], {
    description: 'The programmes a provider runs. Its ADMIN and TUTORs only: FORBIDDEN otherwise.',
  })
  providerTutoringProgrammes(
    @Arg('providerId', () => ID, { description: 'The provider.' }) providerId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringProgramme[]> {
    return this.services.tutoring.providerProgrammes(ctx.em, ctx.caller, providerId);
  }

  @Query(() => TutoringReportType, {
    description:
      'The hours report of a programme: for the funding Comune’s staff and the provider’s ADMIN (NOT_FOUND otherwise). CSV and PDF: GET /downloads/third-sector/exports/tutoring-report.csv|.pdf?programmeId=.',
  })
  tutoringReport(
    @Arg('programmeId', () => ID, programmeArg) programmeId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringReport> {
    return this.services.tutoring.report(ctx.em, ctx.caller, programmeId);
  }

  @Mutation(() => TutoringProgrammeType, {
    description:
      'The Comune’s MANAGER creates a programme run by a provider the Comune accredits today. BAD_USER_INPUT lists every invalid field.',
  })
  createTutoringProgramme(
    @Arg('input', () => TutoringProgrammeInput, { description: 'The programme.' })
    input: TutoringProgrammeInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringProgramme> {
    return this.services.tutoring.createProgramme(ctx.em, ctx.caller, input);
  }

  @Mutation(() => TutoringProgrammeType, {
    description:
      'The Comune’s MANAGER edits a programme (the budget not below the minutes planned). NOT_FOUND for another Comune.',
  })
  updateTutoringProgramme(
    @Arg('id', () => ID, programmeArg) id: string,
    @Arg('input', () => TutoringProgrammeUpdate, { description: 'The new values.' })
    input: TutoringProgrammeUpdate,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringProgramme> {
    return this.services.tutoring.updateProgramme(ctx.em, ctx.caller, id, input);
  }

  @Mutation(() => TutoringTutorType, {
    description:
      'The provider’s ADMIN assigns a TUTOR member to a programme (again for the same person: renames).',
  })
  assignTutoringTutor(
    @Arg('programmeId', () => ID, programmeArg) programmeId: string,
    @Arg('personId', () => ID, { description: 'The tutor’s identity Person id.' }) personId: string,
    @Arg('displayName', () => String, {
      description: 'The name families see, 2 to 120 characters.',
    })
    displayName: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringTutor> {
    return this.services.tutoring.assignTutor(
      ctx.em,
      ctx.caller,
      programmeId,
      personId,
      displayName,
    );
  }

  @FieldResolver(() => OrganisationRef, { description: 'The funding Comune.' })
  comune(@Root() row: TutoringProgramme): OrganisationRef {
    return { id: row.comuneId };
  }

  @FieldResolver(() => OrganisationRef, { description: 'The provider running it.' })
  provider(@Root() row: TutoringProgramme): OrganisationRef {
    return { id: row.providerId };
  }

  @FieldResolver(() => [TutoringTutorType], { description: 'The tutors, by name.' })
  tutors(@Root() row: TutoringProgramme, @Ctx() ctx: SubgraphContext): Promise<TutoringTutor[]> {
    return this.services.tutoring.tutors(ctx.em, row.id);
  }

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
    return this.services.tutoring.lessons(ctx.em, row.id, {
      upcoming: upcoming ?? false,
      from,
      to,
    });
  }
}

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
    return this.services.tutoring.rooms(ctx.em, ctx.caller, providerId);
  }

  @Mutation(() => TutoringRoomType, {
    description:
      'The provider’s ADMIN adds a room with its weekly availability, or edits one (windows replaced).',
  })
  saveTutoringRoom(
    @Arg('input', () => TutoringRoomInput, { description: 'The room.' }) input: TutoringRoomInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringRoom> {
    return this.services.tutoring.saveRoom(ctx.em, ctx.caller, input);
  }

  @FieldResolver(() => [TutoringRoomWindowType], {
    description: 'Weekly availability, by weekday and time.',
  })
  async windows(
    @Root() row: TutoringRoom,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringRoomWindow[]> {
    return (await this.services.tutoring.windows(ctx.em, row.id)).map((w) => ({
      ...w,
      startsAt: w.startsAt.slice(0, 5),
      endsAt: w.endsAt.slice(0, 5),
    }));
  }
}

/** Lessons, bookings and the attendance register. */
@Resolver(() => TutoringLessonType)
export class TutoringLessonResolver {
  constructor(private readonly services: Services) {}

  @Query(() => TutoringLessonType, { nullable: true, description: 'One lesson (public).' })
  tutoringLesson(
    @Arg('id', () => ID, { description: 'The lesson.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringLesson | null> {
    return this.services.tutoring.lesson(ctx.em, id);
  }

  @Query(() => [TutoringLessonType], {
    description: 'The lessons the caller teaches (a TUTOR of the programme’s provider), by start.',
  })
  myTutoringLessons(
    @Arg('from', () => Date, { nullable: true, description: 'From this instant.' })
    from: Date | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringLesson[]> {
    return this.services.tutoring.myTeaching(ctx.em, ctx.caller, from);
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
    return this.services.tutoring.planLessons(ctx.em, ctx.caller, input);
  }

  @Mutation(() => TutoringLessonType, {
    description:
      'The provider’s ADMIN cancels a lesson not yet started: its bookings are cancelled and its minutes return to the budget.',
  })
  cancelTutoringLesson(
    @Arg('id', () => ID, { description: 'The lesson.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringLesson> {
    return this.services.tutoring.cancelLesson(ctx.em, ctx.caller, id);
  }

  @Mutation(() => [TutoringBookingType], {
    description:
      'The attendance register: the lesson’s tutor or the provider’s ADMIN marks seated pupils, from the start of the lesson on (editable). Returns the seated bookings.',
  })
  async markTutoringAttendance(
    @Arg('lessonId', () => ID, { description: 'The lesson.' }) lessonId: string,
    @Arg('marks', () => [TutoringAttendanceInput], { description: 'One line per pupil.' })
    marks: TutoringAttendanceInput[],
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringBookingType[]> {
    const rows = await this.services.tutoring.markAttendance(ctx.em, ctx.caller, lessonId, marks);
    return Promise.all(
      rows.map(async (b) => bookingOut(await this.services.tutoring.bookingView(ctx.em, b))),
    );
  }

  @FieldResolver(() => String, { description: 'The tutor’s name.' })
  async tutorName(@Root() row: TutoringLesson, @Ctx() ctx: SubgraphContext): Promise<string> {
    return (await this.services.tutoring.tutorById(ctx.em, row.tutorId))?.displayName ?? '';
  }

  @FieldResolver(() => TutoringRoomType, { description: 'Where.' })
  async room(@Root() row: TutoringLesson, @Ctx() ctx: SubgraphContext): Promise<TutoringRoom> {
    return (await this.services.tutoring.roomById(ctx.em, row.roomId))!;
  }

  @FieldResolver(() => TutoringProgrammeType, { description: 'The programme.' })
  async programme(
    @Root() row: TutoringLesson,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringProgramme> {
    return (await this.services.tutoring.programme(ctx.em, row.programmeId))!;
  }

  @FieldResolver(() => Int, { description: 'Seats still free.' })
  freeSeats(@Root() row: TutoringLesson): number {
    return row.status === 'PLANNED' ? Math.max(0, row.capacity - row.seatsTaken) : 0;
  }

  @FieldResolver(() => Int, { description: 'Pupils on the waitlist.' })
  async waitlisted(@Root() row: TutoringLesson, @Ctx() ctx: SubgraphContext): Promise<number> {
    return (await this.services.tutoring.waitlistCounts(ctx.em, [row.id])).get(row.id) ?? 0;
  }

  @FieldResolver(() => Boolean, {
    description: 'True when the caller may fill in its attendance register.',
  })
  canMarkAttendance(@Root() row: TutoringLesson, @Ctx() ctx: SubgraphContext): boolean {
    return this.services.tutoring.canMark(ctx.caller, row);
  }

  @FieldResolver(() => [TutoringBookingType], {
    nullable: true,
    description:
      'Bookings with the pupils (seats, then the waitlist in order): for the provider’s ADMIN and TUTORs; null for anyone else.',
  })
  async bookings(
    @Root() row: TutoringLesson,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringBookingType[] | null> {
    const views = await this.services.tutoring.lessonBookings(ctx.em, ctx.caller, row);
    return views ? views.map(bookingOut) : null;
  }
}

/** A family's pupils and bookings. */
@Resolver(() => TutoringFamilyBookingType)
export class TutoringFamilyResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [TutoringEnrolmentType], {
    description: 'The caller’s enrolled pupils (a family sees only its own).',
  })
  myTutoringPupils(@Ctx() ctx: SubgraphContext): Promise<TutoringEnrolment[]> {
    return this.services.tutoring.myEnrolments(ctx.em, ctx.caller);
  }

  @Query(() => [TutoringFamilyBookingType], {
    description:
      'The caller’s bookings, by lesson start (a family sees only its own). Calendar file: GET /downloads/third-sector/exports/tutoring-lessons.ics.',
  })
  async myTutoringBookings(@Ctx() ctx: SubgraphContext): Promise<TutoringFamilyBookingType[]> {
    const rows: FamilyBookingRow[] = await this.services.tutoring.myBookings(ctx.em, ctx.caller);
    return rows.map((r) => ({
      booking: bookingOut({
        booking: r.booking,
        enrolment: r.enrolment,
        position: r.waitlistPosition,
      }),
      lesson: r.lesson,
      programme: r.programme,
      room: r.room,
      tutorName: r.tutorName,
      cancellable: this.services.tutoring.cancellable(r.booking, r.lesson, r.programme),
    }));
  }

  @Mutation(() => TutoringEnrolmentType, {
    description:
      'A family (a citizen with a codice fiscale) enrols a pupil in an OPEN programme. CONFLICT when already enrolled.',
  })
  enrolTutoringPupil(
    @Arg('input', () => TutoringEnrolmentInput, { description: 'The pupil.' })
    input: TutoringEnrolmentInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringEnrolment> {
    return this.services.tutoring.enrol(ctx.em, ctx.caller, input);
  }

  @Mutation(() => TutoringBookingType, {
    description:
      'A family books a lesson for its pupil: a seat if one is free, otherwise a place on the waitlist (first come, first served).',
  })
  async bookTutoringLesson(
    @Arg('lessonId', () => ID, { description: 'The lesson.' }) lessonId: string,
    @Arg('pupilId', () => ID, { description: 'The family’s enrolled pupil (TutoringPupil.id).' })
    pupilId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringBookingType> {
    const booking = await this.services.tutoring.book(ctx.em, ctx.caller, lessonId, pupilId);
    return bookingOut(await this.services.tutoring.bookingView(ctx.em, booking));
  }

  @Mutation(() => TutoringBookingType, {
    description:
      'A family gives up its seat (until the programme’s notice before the start; CONFLICT later) or leaves the waitlist. A freed seat goes at once to the first on the waitlist.',
  })
  async cancelTutoringBooking(
    @Arg('id', () => ID, { description: 'The booking.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringBookingType> {
    const booking = await this.services.tutoring.cancelBooking(ctx.em, ctx.caller, id);
    return bookingOut(await this.services.tutoring.bookingView(ctx.em, booking));
  }
}
