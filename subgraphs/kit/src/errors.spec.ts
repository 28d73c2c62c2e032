import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DomainError, FieldErrors, formatError } from './errors.js';

describe('formatError', () => {
  it('maps a domain error with its field messages', () => {
    const fields = new FieldErrors().add('email', 'Email non valida', 'Invalid email');
    let thrown: unknown;
    try {
      fields.throwIfAny();
    } catch (err) {
      thrown = err;
    }
    const error = new GraphQLError('x', { originalError: thrown as Error });
    const formatted = formatError({ message: 'x' }, error, { requestId: 'r-123456789' });
    expect(formatted.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      messages: { it: 'Alcuni dati non sono validi.', en: 'Some data is not valid.' },
      fields: [{ field: 'email', message: { it: 'Email non valida', en: 'Invalid email' } }],
      requestId: 'r-123456789',
    });
    expect(formatted.message).toBe('Alcuni dati non sono validi. / Some data is not valid.');
  });

  it('passes a domain error’s stable reason on', () => {
    class Refusal extends DomainError {
      readonly reason = 'INSUFFICIENT_CREDIT';
    }
    const error = new GraphQLError('x', {
      originalError: new Refusal('CONFLICT', {
        it: 'Credito insufficiente.',
        en: 'Insufficient credit.',
      }),
    });
    expect(formatError({ message: 'x' }, error).extensions).toEqual({
      code: 'CONFLICT',
      messages: { it: 'Credito insufficiente.', en: 'Insufficient credit.' },
      reason: 'INSUFFICIENT_CREDIT',
    });
  });

  it('hides unexpected errors and logs the original', () => {
    const logged: unknown[] = [];
    const original = new Error('duplicate key value violates unique constraint "person_email_key"');
    const formatted = formatError(
      { message: original.message, extensions: { stacktrace: ['at db.js:1'] } },
      new GraphQLError(original.message, { originalError: original }),
      { log: (err) => logged.push(err) },
    );
    expect(formatted.message).not.toContain('duplicate');
    expect(formatted.extensions).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
      messages: { it: 'Si è verificato un errore interno.', en: 'An internal error occurred.' },
    });
    expect(logged).toEqual([original]);
  });

  it('keeps retry hints of a throttle', () => {
    const error = new DomainError('RATE_LIMITED', undefined, { retryAfterSeconds: 900 });
    const formatted = formatError({ message: '' }, new GraphQLError('', { originalError: error }));
    expect(formatted.extensions?.code).toBe('RATE_LIMITED');
    expect(formatted.extensions?.retryAfterSeconds).toBe(900);
  });

  it('FieldErrors does not throw when every field is valid', () => {
    expect(() => new FieldErrors().throwIfAny()).not.toThrow();
  });
});
