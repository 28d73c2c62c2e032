import { error, fail, redirect } from '@sveltejs/kit';
import { TUTORING_ATTENDANCES, type TutoringAttendance } from '$lib/api-enums';
import { both } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';
import { failWith } from '$lib/server/forms';
import { requireFound } from '$lib/server/refusals';
import { LessonRegisterQuery, MarkAttendanceMutation } from '$lib/server/tutoring';
import { isUuid } from '$lib/uuid';
import { requireProviderMember } from '../../../access';
import type { Actions, PageServerLoad } from './$types';

/** A lesson's attendance register, for its tutor and the provider's ADMIN (read by the others). */
export const load: PageServerLoad = async (event) => {
  requireProviderMember(event);
  const { providerId, programmeId, lessonId } = event.params;
  const result = await event.locals.api(LessonRegisterQuery, { id: lessonId });
  const lesson = requireFound(result.data?.tutoringLesson, result);
  if (lesson.programmeId !== programmeId || lesson.programme.providerId !== providerId)
    error(404, 'Not found');
  return {
    providerId,
    programmeId,
    lesson,
    started: new Date(lesson.startsAt).getTime() <= Date.now(),
    saved: event.url.searchParams.get('esito') === 'salvato',
  };
};

export const actions: Actions = {
  mark: async (event) => {
    requireProviderMember(event);
    const { providerId, programmeId, lessonId } = event.params;
    const data = await event.request.formData();
    const marks: { bookingId: string; attendance: TutoringAttendance }[] = [];
    const values: Record<string, string> = {};
    for (const [key, value] of data.entries()) {
      if (!key.startsWith('att-') || typeof value !== 'string') continue;
      const bookingId = key.slice(4);
      const attendance = TUTORING_ATTENDANCES.find((a) => a === value);
      if (!isUuid(bookingId) || !attendance) continue;
      values[key] = attendance;
      marks.push({ bookingId, attendance });
    }
    if (marks.length === 0) {
      return fail(400, {
        failure: { message: both(m.lessons_register_empty), fields: {} },
        values,
      });
    }
    const result = await event.locals.api(MarkAttendanceMutation, { lessonId, marks });
    if (!result.data?.markTutoringAttendance) return failWith(result, [], values);
    redirect(
      303,
      `/ente/${providerId}/tutoraggio/${programmeId}/lezioni/${lessonId}?esito=salvato`,
    );
  },
};
