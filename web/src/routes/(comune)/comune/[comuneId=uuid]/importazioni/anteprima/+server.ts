import { error, json } from '@sveltejs/kit';
import { isImportKind } from '$lib/households';
import { requireComuneStaff } from '$lib/server/guards';
import { ImportPreviewQuery } from '$lib/server/operations-import-preview';
import { throwIfForbidden } from '$lib/server/refusals';
import type { RequestHandler } from './$types';

/**
 * `POST …/importazioni/anteprima` with `{kind, head}` (the file's first bytes in base64): the
 * import's preview as JSON, for the import page's script (without JavaScript the import runs
 * without a preview and its job page shows the detected format).
 */
export const POST: RequestHandler = async (event) => {
  const { comuneId } = event.params;
  // The layout's guard does not run for an endpoint.
  requireComuneStaff(event, comuneId);
  const body = (await event.request.json().catch(() => null)) as {
    kind?: unknown;
    head?: unknown;
  } | null;
  const kind = typeof body?.kind === 'string' ? body.kind : '';
  const head = typeof body?.head === 'string' ? body.head : '';
  if (!isImportKind(kind) || head === '') error(400, 'Bad request');
  const result = await event.locals.api(ImportPreviewQuery, { comuneId, kind, head });
  throwIfForbidden(result);
  if (!result.data?.importPreview) error(result.unavailable ? 503 : 400, 'No preview');
  return json(result.data.importPreview, { headers: { 'cache-control': 'no-store' } });
};
