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
