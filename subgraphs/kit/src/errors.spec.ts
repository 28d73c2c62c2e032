import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DomainError, FieldErrors, formatError, typeErrorFields } from './errors.js';

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

  it('maps GraphQL’s refusal of a variable to BAD_USER_INPUT with its field', () => {
    const message =
      'Variable "$input" got invalid value 1.5 at "input.amountCents"; SafeInt cannot represent non-integer value: 1.5';
    const formatted = formatError(
      { message, extensions: { code: 'BAD_USER_INPUT' } },
      new GraphQLError(message),
    );
    expect(formatted.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [
        {
          field: 'input.amountCents',
          message: { it: 'Deve essere un numero intero.', en: 'Must be a whole number.' },
        },
      ],
    });
    const invalid = formatError(
      {
        message: 'Expected value of type "SafeInt!", found 1.5.',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      },
      new GraphQLError('x'),
    );
    expect(invalid.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'GRAPHQL_VALIDATION_FAILED',
    });
  });
});

describe('typeErrorFields', () => {
  it.each([
    [
      'Variable "$input" got invalid value 9007199254740992 at "input.amountCents"; SafeInt cannot represent unsafe integer value: 9007199254740992',
      'input.amountCents',
      'Must be a whole number.',
    ],
    [
      'Variable "$b" got invalid value "100"; SafeInt cannot represent non-integer value: "100"',
      'b',
      'Must be a whole number.',
    ],
    [
      'Variable "$input" got invalid value { a: "x; at \\"y\\"" } at "input"; Field "email" of required type "String!" was not provided.',
      'input.email',
      'Required.',
    ],
    [
      'Variable "$input" got invalid value { zz: 1 }; Field "zz" is not defined by type "LoginInput".',
      'input.zz',
      'Unknown field.',
    ],
    [
      'Variable "$r" got invalid value "NOPE"; Value "NOPE" does not exist in "CardBlockReason" enum.',
      'r',
      'Value not allowed.',
    ],
    [
      'Variable "$ids" got invalid value 5 at "ids[1]"; ID cannot represent value: true',
      'ids[1]',
      'Must be text.',
    ],
    ['Variable "$id" of required type "ID!" was not provided.', 'id', 'Required.'],
    ['Variable "$id" of non-null type "ID!" must not be null.', 'id', 'Required.'],
    [
      'Argument "budgetCents" of required type "SafeInt!" was not provided.',
      'budgetCents',
      'Required.',
    ],
    [
      'Variable "$at" got invalid value "x"; DateTime cannot represent an invalid date-time-string x.',
      'at',
      'Invalid date and time.',
    ],
  ])('%s', (message, field, en) => {
    expect(typeErrorFields(message)).toEqual([
      { field, message: { it: expect.any(String) as string, en } },
    ]);
  });

  it('names no field in other messages', () => {
    expect(typeErrorFields('Cannot query field "nope" on type "Mutation".')).toEqual([]);
  });
});
