import type { RequestEvent } from '@sveltejs/kit';
import { requireFound } from '$lib/server/refusals';
import { IesTransparencyQuery } from '$lib/server/operations-ies-reserve';

/** A circuit's public figures (the page and its live JSON endpoint): 404 for an unknown code. */
export async function transparencyOf(event: Pick<RequestEvent, 'locals'>, code: string) {
  const result = await event.locals.api(IesTransparencyQuery, { code });
  return requireFound(result.data?.iesTransparency, result);
}

export type TransparencyFigures = Awaited<ReturnType<typeof transparencyOf>>;
