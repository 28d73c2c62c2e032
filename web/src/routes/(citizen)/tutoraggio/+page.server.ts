import { OpenProgrammesQuery } from '$lib/server/tutoring';
import type { PageServerLoad } from './$types';

/** The open tutoring programmes and the family's enrolled pupils. */
export const load: PageServerLoad = async (event) => {
  const result = await event.locals.api(OpenProgrammesQuery, {});
  return {
    programmes: result.data?.tutoringProgrammes ?? [],
    pupils: result.data?.myTutoringPupils ?? [],
    citizen: !!event.locals.viewer?.person.fiscalCode,
    unavailable: result.unavailable || !result.data?.tutoringProgrammes,
  };
};
