import { type ActionFailure, error, fail, redirect } from '@sveltejs/kit';
import { romeInstant } from '$lib/dates';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { m } from '$lib/paraglide/messages';
import type { FormFailure } from '$lib/server/errors';
import { failWith, text } from '$lib/server/forms';
import { requireFound } from '$lib/server/refusals';
import {
  AssignTutorMutation,
  CancelLessonMutation,
  PlanLessonsMutation,
  ProviderMembersQuery,
  ProviderProgrammeQuery,
  SaveRoomMutation,
  TutoringReportQuery,
} from '$lib/server/tutoring';
import { requireProviderMember } from '../access';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const NOTICES = ['tutor', 'stanza', 'lezioni', 'annullata'] as const;
/** Rows of availability the room form offers. */
const WINDOW_ROWS = 3;

/** A programme for its provider: tutors, rooms, lessons, the plan form and the report. */
export const load: PageServerLoad = async (event) => {
  const { admin } = requireProviderMember(event);
  const { providerId, programmeId } = event.params;
  const result = await event.locals.api(ProviderProgrammeQuery, { programmeId, providerId });
  const programme = requireFound(result.data?.tutoringProgramme, result);
  if (programme.providerId !== providerId) error(404, 'Not found');
  let candidates: { id: string; name: string }[] = [];
  let report = null;
  if (admin) {
    const [members, reported] = await Promise.all([
      event.locals.api(ProviderMembersQuery, { providerId }),
      event.locals.api(TutoringReportQuery, { programmeId }),
    ]);
    candidates = (members.data?.organisation?.members ?? [])
      .filter((mm) => mm.role === 'TUTOR' && mm.status === 'ACTIVE')
      .map((mm) => ({ id: mm.person.id, name: `${mm.person.givenName} ${mm.person.familyName}` }));
    report = reported.data?.tutoringReport ?? null;
  }
  const esito = event.url.searchParams.get('esito');
  return {
    providerId,
    admin,
    programme,
    rooms: result.data?.tutoringRooms ?? [],
    candidates,
    report,
    windowRows: WINDOW_ROWS,
    notice: NOTICES.find((n) => n === esito) ?? null,
  };
};

function requireAdmin(event: RequestEvent) {
  const { admin } = requireProviderMember(event);
  if (!admin) error(403, 'Forbidden');
}

/** A failure of one of the page's forms, tagged with the form's name. */
function failed(
  form: string,
  failure: ActionFailure<{ failure: FormFailure; values: Record<string, string> }>,
) {
  return fail(failure.status, { form, failure: failure.data.failure, values: failure.data.values });
}

const back = (event: RequestEvent, notice: (typeof NOTICES)[number]) =>
  `/ente/${event.params.providerId}/tutoraggio/${event.params.programmeId}?esito=${notice}`;

export const actions: Actions = {
  assign: async (event) => {
    requireAdmin(event);
    const data = await event.request.formData();
    const values = { personId: text(data, 'personId'), displayName: text(data, 'displayName') };
    const result = await event.locals.api(AssignTutorMutation, {
      programmeId: event.params.programmeId,
      personId: values.personId,
      displayName: values.displayName,
    });
    if (!result.data?.assignTutoringTutor) {
      return failed('assign', failWith(result, ['personId', 'displayName'], values));
    }
    redirect(303, back(event, 'tutor'));
  },

  room: async (event) => {
    requireAdmin(event);
    const data = await event.request.formData();
    const values: Record<string, string> = {
      name: text(data, 'name'),
      address: text(data, 'address'),
    };
    const windows: { weekday: number; startsAt: string; endsAt: string }[] = [];
    for (let i = 0; i < WINDOW_ROWS; i += 1) {
      const weekday = text(data, `weekday${i}`);
      const startsAt = text(data, `start${i}`);
      const endsAt = text(data, `end${i}`);
      values[`weekday${i}`] = weekday;
      values[`start${i}`] = startsAt;
      values[`end${i}`] = endsAt;
      if (!weekday && !startsAt && !endsAt) continue;
      windows.push({ weekday: Number(weekday) || 0, startsAt, endsAt });
    }
    const result = await event.locals.api(SaveRoomMutation, {
      input: {
        providerId: event.params.providerId,
        name: values.name!,
        address: values.address!,
        windows,
      },
    });
    if (!result.data?.saveTutoringRoom) {
      // The API names window fields by their position among the filled rows.
      const known = ['name', 'address', 'windows'];
      for (let i = 0; i < WINDOW_ROWS; i += 1) {
        known.push(`windows.${i}.weekday`, `windows.${i}.startsAt`, `windows.${i}.endsAt`);
      }
      return failed('room', failWith(result, known, values));
    }
    redirect(303, back(event, 'stanza'));
  },

  plan: async (event) => {
    requireAdmin(event);
    const data = await event.request.formData();
    const values = {
      tutorId: text(data, 'tutorId'),
      roomId: text(data, 'roomId'),
      day: text(data, 'day'),
      startsAt: text(data, 'startsAt'),
      endsAt: text(data, 'endsAt'),
      capacity: text(data, 'capacity'),
      weeks: text(data, 'weeks') || '1',
    };
    const startsAt = romeInstant(values.day, values.startsAt);
    const endsAt = romeInstant(values.day, values.endsAt);
    if (!startsAt || !endsAt) {
      const fields: Record<string, Localized> = {};
      if (!/^\d{4}-\d{2}-\d{2}$/.test(values.day)) fields.day = both(m.lessons_day_invalid);
      if (!startsAt) fields.startsAt = both(m.lessons_time_invalid);
      if (!endsAt) fields.endsAt = both(m.lessons_time_invalid);
      return fail(400, {
        form: 'plan',
        failure: { message: both(m.form_invalid), fields },
        values,
      });
    }
    const result = await event.locals.api(PlanLessonsMutation, {
      input: {
        programmeId: event.params.programmeId,
        tutorId: values.tutorId,
        roomId: values.roomId,
        startsAt,
        endsAt,
        capacity: /^\d+$/.test(values.capacity) ? Number(values.capacity) : 0,
        weeks: /^\d+$/.test(values.weeks) ? Number(values.weeks) : 0,
      },
    });
    if (!result.data?.planTutoringLessons) {
      return failed(
        'plan',
        failWith(result, ['tutorId', 'roomId', 'startsAt', 'endsAt', 'capacity', 'weeks'], values),
      );
    }
    redirect(303, back(event, 'lezioni'));
  },

  cancel: async (event) => {
    requireAdmin(event);
    const data = await event.request.formData();
    const id = text(data, 'lessonId');
    const result = await event.locals.api(CancelLessonMutation, { id });
    if (!result.data?.cancelTutoringLesson)
      return failed('cancel', failWith(result, [], { lessonId: id }));
    redirect(303, back(event, 'annullata'));
  },
};
