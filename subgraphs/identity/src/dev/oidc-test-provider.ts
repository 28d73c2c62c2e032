import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import Provider, { type KoaContextLike } from 'oidc-provider';
import { z } from 'zod';
import { DEMO_CITIZENS } from '../demo/accounts.js';
import { listenOn, reportListening } from '@welfare/kit';
import { isValidPersonalFiscalCode, normaliseFiscalCode } from '@welfare/kit/pii';

/**
 * A SPID/CIE-shaped OpenID provider for development and tests (oidc-provider 8): one page where
 * you type a codice fiscale, PKCE S256 required, consent automatic, and an ID token carrying
 * `fiscal_number` (`TINIT-<codice fiscale>`, as SPID does), `given_name` and `family_name`.
 * Never started by the identity process: the launcher and the tests start it.
 */

export interface OidcTestClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface OidcTestProviderOptions {
  /** 0 for any free port. */
  port: number;
  /** Defaults to http://127.0.0.1:<port>. */
  issuer?: string;
  clients: OidcTestClient[];
  host?: string;
}

export interface RunningOidcTestProvider {
  issuer: string;
  port: number;
  close(): Promise<void>;
}

/** The names the provider gives a codice fiscale: the demo citizen's, or generic ones. */
export function citizenNames(fiscalCode: string): { givenName: string; familyName: string } {
  const demo = DEMO_CITIZENS.find((c) => c.fiscalCode === fiscalCode);
  return demo
    ? { givenName: demo.givenName, familyName: demo.familyName }
    : { givenName: 'Cittadino', familyName: 'Di Prova' };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid: string, error?: string, value = ''): string {
  const citizens = DEMO_CITIZENS.map(
    (c) =>
      `<li><strong>${escapeHtml(`${c.givenName} ${c.familyName}`)}</strong>: <code>${escapeHtml(c.fiscalCode ?? '')}</code></li>`,
  ).join('\n        ');
  const describedBy = error ? ' aria-describedby="fiscalCode-error" aria-invalid="true"' : '';
  return `<!doctype html>
<html lang="it">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Accesso di prova SPID/CIE</title>
    <style>
      body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
      label { display: block; font-weight: 600; margin-bottom: .25rem; }
      input { font-size: 1rem; padding: .5rem; width: 100%; box-sizing: border-box; border: 2px solid #5c6f82; }
      input:focus, button:focus { outline: 3px solid #ff9900; outline-offset: 2px; }
      button { margin-top: 1rem; font-size: 1rem; padding: .6rem 1.5rem; background: #0066cc; color: #fff; border: 0; }
      .error { color: #a61919; font-weight: 600; }
    </style>
  </head>
  <body>
    <main>
      <h1>Accesso di prova SPID/CIE</h1>
      <p>Fornitore di identità di prova: nessuna credenziale reale. Inserisci un codice fiscale.</p>
      <form method="post" action="/interaction/${escapeHtml(uid)}">
        <label for="fiscalCode">Codice fiscale</label>
        <input id="fiscalCode" name="fiscalCode" type="text" autocomplete="off" autocapitalize="characters"
          spellcheck="false" required maxlength="16" value="${escapeHtml(value)}"${describedBy}>
        ${error ? `<p id="fiscalCode-error" class="error" role="alert">${escapeHtml(error)}</p>` : ''}
        <button type="submit">Entra</button>
      </form>
      <h2>Cittadini di prova</h2>
      <ul>
        ${citizens}
      </ul>
    </main>
  </body>
</html>`;
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // No form-action: browsers apply it to the redirects after the post too, and the login ends
    // with a redirect to the client's (another origin's) callback.
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  });
  res.end(html);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req as AsyncIterable<Buffer>) {
    body += chunk.toString('utf8');
    if (body.length > 10_000) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

/**
 * The provider itself, signing with a new RSA key: PKCE S256 required, consent automatic, the
 * account's claims from its codice fiscale.
 */
function createProvider(issuer: string, clients: OidcTestClient[]): Provider {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = {
    ...privateKey.export({ format: 'jwk' }),
    kid: 'test-key',
    alg: 'RS256',
    use: 'sig',
  };

  return new Provider(issuer, {
    clients: clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], profile: ['fiscal_number', 'given_name', 'family_name'] },
    conformIdTokenClaims: false,
    pkce: { methods: ['S256'], required: () => true },
    features: { devInteractions: { enabled: false } },
    ttl: {
      AuthorizationCode: 60,
      AccessToken: 600,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
    },
    findAccount: (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: () => {
        const names = citizenNames(sub);
        return {
          sub,
          fiscal_number: `TINIT-${sub}`,
          given_name: names.givenName,
          family_name: names.familyName,
        };
      },
    }),
    // Consent is automatic: every login is granted `openid profile` for the client.
    loadExistingGrant: async (ctx: KoaContextLike) => {
      const clientId = ctx.oidc.client?.clientId;
      const accountId = ctx.oidc.session?.accountId;
      if (!clientId || !accountId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId, accountId });
      grant.addOIDCScope('openid profile');
      await grant.save();
      return grant;
    },
  });
}

/** The login page of one interaction: shown on GET; on POST, a valid codice fiscale logs in. */
async function interaction(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  uid: string,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid)
    return sendHtml(
      res,
      400,
      '<!doctype html><html lang="it"><title>Errore</title><p>Sessione non valida.</p></html>',
    );
  if (req.method === 'GET') return sendHtml(res, 200, loginPage(uid));
  const form = await readForm(req);
  const fiscalCode = normaliseFiscalCode(form.get('fiscalCode') ?? '');
  if (!isValidPersonalFiscalCode(fiscalCode)) {
    return sendHtml(
      res,
      400,
      loginPage(uid, 'Codice fiscale non valido.', fiscalCode.slice(0, 16)),
    );
  }
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: fiscalCode } },
    { mergeWithLastSubmission: false },
  );
}

/** The provider's request handler: the login pages, everything else to oidc-provider. */
function providerHandler(
  provider: Provider,
  issuer: string,
): (req: IncomingMessage, res: ServerResponse) => void {
  const callback = provider.callback();
  return (req, res) => {
    const match = /^\/interaction\/([A-Za-z0-9_-]+)$/.exec(
      new URL(req.url ?? '/', issuer).pathname,
    );
    if (match?.[1] && (req.method === 'GET' || req.method === 'POST')) {
      interaction(provider, req, res, match[1]).catch(() => {
        if (!res.headersSent) {
          sendHtml(
            res,
            400,
            '<!doctype html><html lang="it"><title>Errore</title><p>Richiesta non valida o scaduta.</p></html>',
          );
        } else res.end();
      });
      return;
    }
    callback(req, res);
  };
}

/** Starts the test provider on 127.0.0.1 (or `host`). */
export async function startOidcTestProvider(
  options: OidcTestProviderOptions,
): Promise<RunningOidcTestProvider> {
  // 503 until the provider exists: its issuer holds the port, known once listening.
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(503).end();
  };
  const server = createServer((req, res) => handle(req, res));
  const host = options.host ?? '127.0.0.1';
  await listenOn(server, host, options.port);
  const port = (server.address() as AddressInfo).port;
  const issuer = options.issuer ?? `http://${host}:${port}`;

  handle = providerHandler(createProvider(issuer, options.clients), issuer);

  return {
    issuer,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const isMain =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  // Run as a process (by the launcher): configuration from the environment.
  const env = z
    .object({
      OIDC_TEST_PORT: z.coerce.number().int().min(0).max(65535).default(4100),
      OIDC_TEST_HOST: z.string().default('127.0.0.1'),
      OIDC_ISSUER: z.url().optional(),
      OIDC_CLIENT_ID: z.string().min(1),
      OIDC_CLIENT_SECRET: z.string().min(8),
      OIDC_REDIRECT_URIS: z.string().min(1),
    })
    .parse(process.env);
  const running = await startOidcTestProvider({
    port: env.OIDC_TEST_PORT,
    host: env.OIDC_TEST_HOST,
    issuer: env.OIDC_ISSUER,
    clients: [
      {
        clientId: env.OIDC_CLIENT_ID,
        clientSecret: env.OIDC_CLIENT_SECRET,
        redirectUris: env.OIDC_REDIRECT_URIS.split(',')
          .map((u) => u.trim())
          .filter(Boolean),
      },
    ],
  });
  console.log(`OIDC test provider ready at ${running.issuer}`);
  reportListening(running.port);
  const stop = () => void running.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
