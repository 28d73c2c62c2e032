import { error } from '@sveltejs/kit';
import { isImportKind } from '$lib/households';
import { requireComuneStaff } from '$lib/server/guards';
import { ImportColumnsQuery } from '$lib/server/operations-imports';
import { throwIfForbidden } from '$lib/server/refusals';
import type { RequestHandler } from './$types';

/** A CSV cell in the Italian Excel dialect (`;`): quoted when it holds `;`, `"` or a newline. */
const cell = (value: string) =>
  /[;"\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;

/**
 * `GET …/importazioni/modello.csv?tipo=REGISTRY|INCOME`: the template of an import file, as
 * Excel opens it (UTF-8 with BOM, `;`, CRLF): the header with every column, and an example row.
 */
export const GET: RequestHandler = async (event) => {
  const { comuneId } = event.params;
  // The layout's guard does not run for an endpoint.
  requireComuneStaff(event, comuneId);
  const kind = event.url.searchParams.get('tipo') ?? '';
  if (!isImportKind(kind)) error(404, 'Not found');
  const result = await event.locals.api(ImportColumnsQuery, {});
  throwIfForbidden(result);
  const columns = kind === 'REGISTRY' ? result.data?.registry : result.data?.income;
  if (!columns) error(503, 'Service unavailable');
  const lines = [columns.map((c) => c.name), columns.map((c) => c.example)];
  const body = `\ufeff${lines.map((l) => l.map(cell).join(';')).join('\r\n')}\r\n`;
  const name = kind === 'REGISTRY' ? 'modello-anagrafe.csv' : 'modello-isee.csv';
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'no-store',
    },
  });
};
