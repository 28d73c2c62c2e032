import * as client from 'openid-client';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

export interface AuthorizationStart {
  authorizationUrl: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The claims the citizen login reads from the ID token. */
export interface CitizenClaims {
  fiscalNumber: unknown;
  givenName: unknown;
  familyName: unknown;
}

/** What went wrong talking to the provider. */
export class OidcError extends Error {
  constructor(
    readonly kind: 'unavailable' | 'rejected',
    options: { cause: unknown },
  ) {
    super(
      kind === 'unavailable' ? 'OpenID provider unavailable' : 'OpenID login rejected',
      options,
    );
    this.name = 'OidcError';
  }
}

const UNAVAILABLE_CODES = new Set(['OAUTH_RESPONSE_IS_NOT_CONFORM', 'OAUTH_RESPONSE_IS_NOT_JSON']);

/** Classifies an openid-client failure: the provider is down or broken, or the login is bad. */
export function classifyOidcError(err: unknown): OidcError {
  if (err instanceof OidcError) return err;
  let kind: 'unavailable' | 'rejected' = 'unavailable';
  if (err instanceof client.ResponseBodyError) {
    kind = err.status >= 500 || err.error === 'invalid_client' ? 'unavailable' : 'rejected';
  } else if (err instanceof client.AuthorizationResponseError) {
    kind = 'rejected';
  } else if (err instanceof client.ClientError) {
    kind = err.code && UNAVAILABLE_CODES.has(err.code) ? 'unavailable' : 'rejected';
  }
  return new OidcError(kind, { cause: err });
}

/**
 * The OpenID Connect client of the citizen login (SPID/CIE-shaped): discovery once, lazily,
 * cached (retried after a failure); authorization code flow with PKCE S256, state and nonce.
 */
export class CitizenOidcClient {
  private configuration: Promise<client.Configuration> | undefined;

  constructor(private readonly settings: OidcSettings) {}

  private config(): Promise<client.Configuration> {
    this.configuration ??= client
      .discovery(
        new URL(this.settings.issuer),
        this.settings.clientId,
        { client_secret: this.settings.clientSecret },
        client.ClientSecretBasic(this.settings.clientSecret),
        this.settings.issuer.startsWith('http:') ? { execute: [client.allowInsecureRequests] } : {},
      )
      .catch((err: unknown) => {
        this.configuration = undefined;
        throw new OidcError('unavailable', { cause: err });
      });
    return this.configuration;
  }

  async start(redirectUri: string): Promise<AuthorizationStart> {
    const config = await this.config();
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile',
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { authorizationUrl: url.href, state, nonce, codeVerifier };
  }

  /** Exchanges the code of `callbackUrl`, checking state, nonce and PKCE; returns the claims. */
  async complete(
    callbackUrl: URL,
    checks: { state: string; nonce: string; codeVerifier: string },
  ): Promise<CitizenClaims> {
    const config = await this.config();
    try {
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        pkceCodeVerifier: checks.codeVerifier,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new OidcError('rejected', { cause: new Error('no ID token') });
      return {
        fiscalNumber: claims.fiscal_number,
        givenName: claims.given_name,
        familyName: claims.family_name,
      };
    } catch (err) {
      throw classifyOidcError(err);
    }
  }
}
