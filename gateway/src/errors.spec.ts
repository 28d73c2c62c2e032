import { describe, expect, it } from 'vitest';
import { maskError } from './errors.js';

describe('maskError', () => {
  it('keeps a domain error with its messages and field messages', () => {
    const masked = maskError({
      message: 'Alcuni dati non sono validi. / Some data is not valid.',
      path: ['createOrganisation'],
      extensions: {
        code: 'BAD_USER_INPUT',
        messages: { it: 'Alcuni dati non sono validi.', en: 'Some data is not valid.' },
        fields: [{ field: 'iban', message: { it: 'IBAN non valido', en: 'Invalid IBAN' } }],
        serviceName: 'identity',
        exception: { stacktrace: ['at x'] },
      },
    });
    expect(masked.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      messages: { it: 'Alcuni dati non sono validi.', en: 'Some data is not valid.' },
      fields: [{ field: 'iban', message: { it: 'IBAN non valido', en: 'Invalid IBAN' } }],
    });
    expect(masked.path).toEqual(['createOrganisation']);
  });

  it('keeps a well-formed reason and drops a malformed one', () => {
    const masked = (reason: unknown) =>
      maskError({
        message: 'Credito insufficiente. / Insufficient credit.',
        extensions: {
          code: 'CONFLICT',
          messages: { it: 'Credito insufficiente.', en: 'Insufficient credit.' },
          reason,
        },
      }).extensions;
    expect(masked('INSUFFICIENT_CREDIT')).toMatchObject({ reason: 'INSUFFICIENT_CREDIT' });
    expect(masked('select * from card')).not.toHaveProperty('reason');
    expect(masked(42)).not.toHaveProperty('reason');
  });

  it('hides anything unexpected behind INTERNAL_SERVER_ERROR', () => {
    const masked = maskError({
      message: 'relation "identity"."person" does not exist at 10.0.0.3:5432',
      extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'identity' },
    });
    expect(masked.message).not.toMatch(/relation|10\.0\.0\.3/);
    expect(masked.extensions).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
      messages: {
        it: 'Si è verificato un errore interno.',
        en: 'An internal error occurred.',
      },
    });
  });

  it('names the unavailable service', () => {
    const masked = maskError({
      message: 'Subgraph identity unavailable',
      extensions: { code: 'SERVICE_UNAVAILABLE', service: 'identity' },
    });
    expect(masked.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(masked.extensions?.service).toBe('identity');
  });

  it('says an unknown outcome as unknown, and passes on a retry hint', () => {
    const unknown = maskError({
      message: 'Subgraph public-welfare unavailable',
      extensions: { code: 'SERVICE_UNAVAILABLE', service: 'public-welfare', outcome: 'UNKNOWN' },
    });
    expect(unknown.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', outcome: 'UNKNOWN' });
    expect(unknown.extensions?.retryAfterSeconds).toBeUndefined();
    const shed = maskError({
      message: 'Subgraph public-welfare unavailable',
      extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 2, outcome: 'maybe' },
    });
    expect(shed.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 2 });
    expect(shed.extensions?.outcome).toBeUndefined();
  });

  it('keeps the message of a malformed operation', () => {
    const masked = maskError({
      message: 'Syntax Error: Expected Name, found <EOF>.',
      extensions: { code: 'GRAPHQL_PARSE_FAILED', stacktrace: ['x'] },
    });
    expect(masked).toEqual({
      message: 'Syntax Error: Expected Name, found <EOF>.',
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
      path: undefined,
      locations: undefined,
    });
  });
});
