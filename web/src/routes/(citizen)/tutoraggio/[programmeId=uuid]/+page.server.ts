import { redirect } from '@sveltejs/kit';
import { failWith, text } from '$lib/server/forms';
import { requireFound } from '$lib/server/refusals';
import {
  BookLessonMutation,
  CitizenProgrammeQuery,
  EnrolPupilMutation,
} from '$lib/server/tutoring';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = ['iscritto', 'posto', 'attesa'] as const;

/** A programme: enrol a pupil, then book upcoming lessons (a seat or the waitlist). */
export const load: PageServerLoad = async (event) => {
  const { programmeId } = event.params;
  const result = await event.locals.api(CitizenProgrammeQuery, { id: programmeId });
  const programme = requireFound(result.data?.tutoringProgramme, result);
  const esito = event.url.searchParams.get('esito');
  return {
    programme,
    pupils: (result.data?.myTutoringPupils ?? []).filter((p) => p.programmeId === programmeId),
    citizen: !!event.locals.viewer?.person.fiscalCode,
    notice: NOTICES.find((n) => n === esito) ?? null,
  };
};

export const actions: Actions = {
  enrol: async (event) => {
    const { programmeId } = event.params;
    const data = await event.request.formData();
    const values = {
      firstName: text(data, 'firstName'),
      lastName: text(data, 'lastName'),
      schoolClass: text(data, 'schoolClass'),
    };
    const result = await event.locals.api(EnrolPupilMutation, {
      input: { programmeId, ...values },
    });
    if (!result.data?.enrolTutoringPupil) {
      const failure = failWith(result, ['firstName', 'lastName', 'schoolClass'], values);
      return failure;
    }
    redirect(303, `/tutoraggio/${programmeId}?esito=iscritto`);
  },

  book: async (event) => {
    const { programmeId } = event.params;
    const data = await event.request.formData();
    const values = { lessonId: text(data, 'lessonId'), pupilId: text(data, 'pupilId') };
    const result = await event.locals.api(BookLessonMutation, values);
    const booking = result.data?.bookTutoringLesson;
    if (!booking) return failWith(result, ['pupilId'], values);
    redirect(
      303,
      `/tutoraggio/${programmeId}?esito=${booking.status === 'SEATED' ? 'posto' : 'attesa'}`,
    );
  },
};
