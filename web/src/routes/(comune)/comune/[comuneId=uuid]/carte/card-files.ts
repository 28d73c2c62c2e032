// The card file routes' URL and the browser's answer for the letters. Pure (no SvelteKit
// imports): unit-tested in cards.spec.ts.

/** The gateway's URL of a card file route (`issue` or `replace`). */
export function cardFileUrl(
  gatewayUrl: string,
  route: 'issue' | 'replace',
  params: Record<string, string>,
): URL {
  const url = new URL(`/uploads/public-welfare/files/cards/${route}`, gatewayUrl);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url;
}

/** The letters as a download, never cached (they hold the PINs). */
export function lettersResponse(upstream: Response, fileName: string): Response {
  const headers = new Headers({
    'content-type': 'application/pdf',
    'content-disposition': `attachment; filename="${fileName}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  const length = upstream.headers.get('content-length');
  if (length) headers.set('content-length', length);
  return new Response(upstream.body, { status: 200, headers });
}
