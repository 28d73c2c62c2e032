// Operations of the tutoring pages (third-sector subgraph) and their small helpers. Server-only.
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { DownloadTarget } from './downloads';
import { graphql } from './graphql';
import { streamDownload, throwIfForbidden } from './refusals';

export const ComuneTutoringQuery = graphql(`
  query ComuneTutoring($comuneId: ID!) {
    comuneTutoringProgrammes(comuneId: $comuneId) {
      id
      title
      startsOn
      endsOn
      budgetMinutes
      plannedMinutes
      status
      provider {
        id
        name
      }
    }
    accreditedProviders(comuneId: $comuneId) {
      providerId
      provider {
        id
        name
      }
    }
  }
`);

export const CreateTutoringProgrammeMutation = graphql(`
  mutation CreateTutoringProgramme($input: TutoringProgrammeInput!) {
    createTutoringProgramme(input: $input) {
      id
    }
  }
`);

export const TutoringReportQuery = graphql(`
  query TutoringReport($programmeId: ID!) {
    tutoringReport(programmeId: $programmeId) {
      lessonsPlanned
      lessonsHeld
      tutorMinutesDelivered
      pupilMinutesPresent
      pupilMinutesAbsent
      pupilMinutesJustified
      budgetMinutes
      plannedMinutes
      usedMinutes
      remainingMinutes
      tutors {
        tutorId
        tutorName
        lessonsHeld
        minutesDelivered
      }
      programme {
        id
        title
        comuneId
        providerId
        startsOn
        endsOn
        provider {
          id
          name
        }
        comune {
          id
          name
        }
      }
    }
  }
`);

export const ProviderTutoringQuery = graphql(`
  query ProviderTutoring($providerId: ID!) {
    providerTutoringProgrammes(providerId: $providerId) {
      id
      title
      startsOn
      endsOn
      budgetMinutes
      plannedMinutes
      status
      comune {
        id
        name
      }
    }
    myTutoringLessons {
      id
      programmeId
      startsAt
      endsAt
      seatsTaken
      capacity
      status
      canMarkAttendance
      room {
        id
        name
      }
      programme {
        id
        title
        providerId
      }
    }
  }
`);

export const ProviderProgrammeQuery = graphql(`
  query ProviderProgramme($programmeId: ID!, $providerId: ID!) {
    tutoringProgramme(id: $programmeId) {
      id
      providerId
      title
      description
      startsOn
      endsOn
      budgetMinutes
      plannedMinutes
      groupSizeLimit
      cancellationNoticeHours
      status
      comune {
        id
        name
      }
      tutors {
        id
        personId
        displayName
      }
      lessons {
        id
        startsAt
        endsAt
        capacity
        seatsTaken
        waitlisted
        status
        tutorName
        canMarkAttendance
        room {
          id
          name
        }
      }
    }
    tutoringRooms(providerId: $providerId) {
      id
      name
      address
      windows {
        weekday
        startsAt
        endsAt
        validFrom
        validUntil
      }
    }
  }
`);

export const ProviderMembersQuery = graphql(`
  query ProviderMembers($providerId: ID!) {
    organisation(id: $providerId) {
      id
      members {
        role
        status
        person {
          id
          givenName
          familyName
        }
      }
    }
  }
`);

export const AssignTutorMutation = graphql(`
  mutation AssignTutor($programmeId: ID!, $personId: ID!, $displayName: String!) {
    assignTutoringTutor(programmeId: $programmeId, personId: $personId, displayName: $displayName) {
      id
    }
  }
`);

export const SaveRoomMutation = graphql(`
  mutation SaveTutoringRoom($input: TutoringRoomInput!) {
    saveTutoringRoom(input: $input) {
      id
    }
  }
`);

export const PlanLessonsMutation = graphql(`
  mutation PlanTutoringLessons($input: TutoringLessonInput!) {
    planTutoringLessons(input: $input) {
      id
    }
  }
`);

export const CancelLessonMutation = graphql(`
  mutation CancelTutoringLesson($id: ID!) {
    cancelTutoringLesson(id: $id) {
      id
      status
    }
  }
`);

export const LessonRegisterQuery = graphql(`
  query LessonRegister($id: ID!) {
    tutoringLesson(id: $id) {
      id
      programmeId
      startsAt
      endsAt
      status
      capacity
      seatsTaken
      tutorName
      canMarkAttendance
      room {
        id
        name
        address
      }
      programme {
        id
        title
        providerId
      }
      bookings {
        id
        status
        waitlistPosition
        attendance
        pupil {
          id
          firstName
          lastName
          schoolClass
        }
      }
    }
  }
`);

export const MarkAttendanceMutation = graphql(`
  mutation MarkTutoringAttendance($lessonId: ID!, $marks: [TutoringAttendanceInput!]!) {
    markTutoringAttendance(lessonId: $lessonId, marks: $marks) {
      id
      attendance
    }
  }
`);

export const OpenProgrammesQuery = graphql(`
  query OpenTutoringProgrammes {
    tutoringProgrammes {
      id
      title
      description
      startsOn
      endsOn
      comune {
        id
        name
      }
      provider {
        id
        name
      }
    }
    myTutoringPupils {
      id
      programmeId
      firstName
      lastName
      schoolClass
    }
  }
`);

export const CitizenProgrammeQuery = graphql(`
  query CitizenTutoringProgramme($id: ID!) {
    tutoringProgramme(id: $id) {
      id
      title
      description
      startsOn
      endsOn
      status
      groupSizeLimit
      cancellationNoticeHours
      comune {
        id
        name
      }
      provider {
        id
        name
      }
      lessons(upcoming: true) {
        id
        startsAt
        endsAt
        capacity
        seatsTaken
        freeSeats
        waitlisted
        tutorName
        room {
          id
          name
          address
        }
      }
    }
    myTutoringPupils {
      id
      programmeId
      firstName
      lastName
      schoolClass
    }
  }
`);

export const EnrolPupilMutation = graphql(`
  mutation EnrolTutoringPupil($input: TutoringEnrolmentInput!) {
    enrolTutoringPupil(input: $input) {
      id
    }
  }
`);

export const BookLessonMutation = graphql(`
  mutation BookTutoringLesson($lessonId: ID!, $pupilId: ID!) {
    bookTutoringLesson(lessonId: $lessonId, pupilId: $pupilId) {
      id
      status
      waitlistPosition
    }
  }
`);

export const MyTutoringBookingsQuery = graphql(`
  query MyTutoringBookings {
    myTutoringBookings {
      cancellable
      tutorName
      booking {
        id
        status
        waitlistPosition
        attendance
        pupil {
          id
          firstName
          lastName
        }
      }
      lesson {
        id
        startsAt
        endsAt
        status
      }
      programme {
        id
        title
        cancellationNoticeHours
      }
      room {
        id
        name
        address
      }
    }
  }
`);

export const CancelBookingMutation = graphql(`
  mutation CancelTutoringBooking($id: ID!) {
    cancelTutoringBooking(id: $id) {
      id
      status
    }
  }
`);

/** Streams a tutoring file (report, calendar) from the gateway, or sends the person back. */
export async function tutoringDownload(
  event: RequestEvent,
  target: DownloadTarget,
  back: string,
): Promise<Response> {
  const file = await streamDownload(event, target);
  if (file.ok) return file.response;
  throwIfForbidden(file);
  if (file.problem === 'notFound') error(404, 'Not found');
  redirect(303, `${back}?esito=non-disponibile`);
}
