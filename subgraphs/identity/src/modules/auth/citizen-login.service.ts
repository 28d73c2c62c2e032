import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller } from '@welfare/kit';
import { isValidPersonalFiscalCode, normaliseFiscalCode } from '@welfare/kit/pii';
import { checkUrl } from '../../lib/validation.js';
import { Person } from '../person/person.entity.js';
import type { PersonService } from '../person/person.service.js';
import type { SessionResult } from '../session/session.type.js';
import type { AuthService } from './auth.service.js';
import { OidcError, type AuthorizationStart, type CitizenOidcClient } from './citizen-oidc.js';

export interface CompleteCitizenLoginData {
  callbackUrl: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

const NOT_CONFIGURED = {
  it: 'L’accesso con SPID/CIE non è disponibile.',
  en: 'Login with SPID/CIE is not available.',
};
const PROVIDER_DOWN = {
  it: 'Il servizio SPID/CIE non risponde: riprova più tardi.',
  en: 'The SPID/CIE service is not answering: try again later.',
};
const REJECTED = {
  it: 'Accesso SPID/CIE non riuscito: ricomincia dall’inizio.',
  en: 'SPID/CIE login failed: start again.',
};
const BAD_FISCAL_NUMBER = {
  it: 'Il fornitore di identità non ha indicato un codice fiscale valido.',
  en: 'The identity provider did not give a valid codice fiscale.',
};

/** `TINIT-RSSMRA80A01H501U` (SPID) or a bare code: the upper-cased codice fiscale, or undefined. */
export function fiscalCodeFromClaim(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const code = normaliseFiscalCode(value).replace(/^TINIT-/, '');
  return isValidPersonalFiscalCode(code) ? code : undefined;
}

function claimText(value: unknown, fallback: string): string {
  if (typeof value !== 'string') return fallback;
  const text = value.trim().replace(/\s+/g, ' ');
  // eslint-disable-next-line no-control-regex
  return text.length > 0 && text.length <= 100 && !/[\u0000-\u001f\u007f]/.test(text)
    ? text
    : fallback;
}

/**
 * Citizen login through OpenID Connect (SPID/CIE-shaped). The person is found by the keyed hash
 * of the codice fiscale, and created on the first login. SERVICE_UNAVAILABLE when the provider
 * is not configured or not answering; UNAUTHENTICATED for a bad state, nonce, code or verifier.
 */
export class CitizenLoginService {
  constructor(
    private readonly oidc: CitizenOidcClient | undefined,
    private readonly persons: PersonService,
    private readonly auth: AuthService,
  ) {}

  private client(): CitizenOidcClient {
    if (!this.oidc) throw new DomainError('SERVICE_UNAVAILABLE', NOT_CONFIGURED);
    return this.oidc;
  }

  private mapError(err: unknown): unknown {
    if (err instanceof OidcError) {
      return err.kind === 'unavailable'
        ? new DomainError('SERVICE_UNAVAILABLE', PROVIDER_DOWN)
        : DomainError.unauthenticated(REJECTED);
    }
    return err;
  }

  async start(redirectUri: string): Promise<AuthorizationStart> {
    const errors = new FieldErrors();
    const url = checkUrl(errors, 'redirectUri', redirectUri);
    errors.throwIfAny();
    const oidc = this.client();
    try {
      return await oidc.start(url!.href);
    } catch (err) {
      throw this.mapError(err);
    }
  }

  async complete(
    em: EntityManager,
    caller: Caller,
    data: CompleteCitizenLoginData,
  ): Promise<SessionResult> {
    const errors = new FieldErrors();
    const callbackUrl = checkUrl(errors, 'callbackUrl', data.callbackUrl);
    for (const field of ['state', 'nonce', 'codeVerifier'] as const) {
      const value = data[field];
      if (value.length === 0 || value.length > 200)
        errors.add(field, 'Valore non valido.', 'Invalid value.');
    }
    errors.throwIfAny();
    const oidc = this.client();

    let claims;
    try {
      claims = await oidc.complete(callbackUrl!, data);
    } catch (err) {
      throw this.mapError(err);
    }
    const fiscalCode = fiscalCodeFromClaim(claims.fiscalNumber);
    if (!fiscalCode) throw DomainError.unauthenticated(BAD_FISCAL_NUMBER);

    const person = await this.findOrCreateCitizen(em, fiscalCode, claims);
    return this.auth.openSession(em, caller, person, 'OIDC');
  }

  private async findOrCreateCitizen(
    em: EntityManager,
    fiscalCode: string,
    claims: { givenName: unknown; familyName: unknown },
  ): Promise<Person> {
    const existing = await this.persons.findByFiscalCode(em, fiscalCode);
    if (existing) return existing;
    const person = em.create(Person, {
      givenName: claimText(claims.givenName, 'Cittadino'),
      familyName: claimText(claims.familyName, fiscalCode.slice(0, 6)),
    });
    this.persons.setFiscalCode(person, fiscalCode);
    try {
      await em.persistAndFlush(person);
      return person;
    } catch (err) {
      // Two first logins at once: the other one created the person.
      if (err instanceof UniqueConstraintViolationException) {
        em.clear();
        const found = await this.persons.findByFiscalCode(em, fiscalCode);
        if (found) return found;
      }
      throw err;
    }
  }
}
