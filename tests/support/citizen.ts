import { gql } from './graphql.js';

const START = `mutation($input: CitizenLoginStartInput!) { startCitizenLogin(input: $input) { authorizationUrl state nonce codeVerifier } }`;
const COMPLETE = `mutation($input: CitizenLoginCompleteInput!) { completeCitizenLogin(input: $input) { token } }`;

/**
 * A citizen's session through the gateway and the test SPID provider, without a browser: follows
 * the provider's redirects with a cookie jar, posts the codice fiscale, stops at the callback.
 */
export async function citizenToken(
  platform: { urls: { gateway: string; web: string } },
  fiscalCode: string,
): Promise<string> {
  const gateway = platform.urls.gateway;
  const redirectUri = `${platform.urls.web}/auth/spid/callback`;
  const started = await gql<{
    startCitizenLogin: {
      authorizationUrl: string;
      state: string;
      nonce: string;
      codeVerifier: string;
    };
  }>(gateway, START, { input: { redirectUri } });
  const s = started.data?.startCitizenLogin;
  if (!s) throw new Error(`startCitizenLogin: ${JSON.stringify(started.errors)}`);
  const jar = new Map<string, string>();
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const keep = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1).trim();
      if (!value || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(pair.slice(0, eq).trim());
      else jar.set(pair.slice(0, eq).trim(), value);
    }
  };
  let url = s.authorizationUrl;
  for (let hop = 0; hop < 15 && !url.startsWith(redirectUri); hop++) {
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: cookie() } });
    keep(res);
    if (res.status < 300 || res.status >= 400) {
      const action = /<form method="post" action="([^"]+)"/.exec(await res.text())?.[1];
      if (!action) throw new Error(`no login form at ${url} (${res.status})`);
      const post = await fetch(new URL(action, url), {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ fiscalCode }).toString(),
      });
      keep(post);
      url = new URL(post.headers.get('location') ?? '', url).href;
      continue;
    }
    url = new URL(res.headers.get('location')!, url).href;
  }
  const completed = await gql<{ completeCitizenLogin: { token: string } }>(gateway, COMPLETE, {
    input: { callbackUrl: url, state: s.state, nonce: s.nonce, codeVerifier: s.codeVerifier },
  });
  const token = completed.data?.completeCitizenLogin.token;
  if (!token) throw new Error(`completeCitizenLogin: ${JSON.stringify(completed.errors)}`);
  return token;
}

/**
 * A small but real PDF (the public-welfare subgraph recognises PDF, JPEG and PNG by their first
 * bytes), `label` in a comment so that two documents differ.
 */
function pdf(label: string): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${label}\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
    'latin1',
  );
}

/**
 * Uploads the identity document (`DOCUMENTO_IDENTITA`, a small PDF called `name`) of the citizen's
 * application draft `applicationId` to the gateway's upload route with the citizen's session
 * `token`, as the portal's application form does; throws with the status and the answer's text
 * unless it is stored (201). Throws rather than `expect`s: the benches import this module too.
 */
export async function uploadIdentityDocument(
  gateway: string,
  token: string,
  applicationId: string,
  name = 'documento.pdf',
): Promise<void> {
  const url = new URL('/uploads/public-welfare/files/documents', gateway);
  url.searchParams.set('applicationId', applicationId);
  url.searchParams.set('code', 'DOCUMENTO_IDENTITA');
  url.searchParams.set('name', name);
  const uploaded = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf' },
    body: new Uint8Array(pdf(name)),
  });
  if (uploaded.status !== 201) {
    throw new Error(`upload of ${name}: ${uploaded.status} ${await uploaded.text()}`);
  }
}
