import { throwIfForbidden } from '$lib/server/refusals';
import { ProviderTutoringQuery } from '$lib/server/tutoring';
import { requireProviderMember } from './access';
import type { PageServerLoad } from './$types';

/** The provider's tutoring programmes and the lessons the person teaches. */
export const load: PageServerLoad = async (event) => {
  const { membership, admin } = requireProviderMember(event);
  const { providerId } = event.params;
  const result = await event.locals.api(ProviderTutoringQuery, { providerId });
  throwIfForbidden(result);
  return {
    providerId,
    providerName: membership.organisation.name,
    admin,
    programmes: result.data?.providerTutoringProgrammes ?? [],
    lessons: (result.data?.myTutoringLessons ?? []).filter(
      (l) => l.programme.providerId === providerId && l.status === 'PLANNED',
    ),
    unavailable: result.unavailable || !result.data?.providerTutoringProgrammes,
  };
};
