import { describe, expect, it } from 'vitest';
import { fieldName, formFailure, isUnavailable, normaliseErrors } from './errors';

describe('normaliseErrors', () => {
  it('keeps code, messages and fields, stripping the input. prefix', () => {
    const [error] = normaliseErrors([
      {
        message: 'x',
        path: ['createOrganisation'],
        extensions: {
          code: 'BAD_USER_INPUT',
          messages: { it: 'Dati non validi', en: 'Invalid data' },
          fields: [{ field: 'input.taxCode', message: { it: 'P.IVA errata', en: 'Bad VAT' } }],
        },
      },
    ]);
    expect(error).toEqual({
      code: 'BAD_USER_INPUT',
      messages: { it: 'Dati non validi', en: 'Invalid data' },
      fields: [{ field: 'taxCode', message: { it: 'P.IVA errata', en: 'Bad VAT' } }],
      path: ['createOrganisation'],
    });
  });

  it('maps unknown or missing codes to INTERNAL_SERVER_ERROR with default messages', () => {
    const [a, b] = normaliseErrors([{ extensions: { code: 'WHATEVER' } }, 'junk']);
    expect(a?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(b?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(a?.messages.it).toMatch(/errore/);
  });

  it('treats gateway downstream failures as SERVICE_UNAVAILABLE', () => {
    const [error] = normaliseErrors([{ extensions: { code: 'DOWNSTREAM_SERVICE_ERROR' } }]);
    expect(error?.code).toBe('SERVICE_UNAVAILABLE');
    expect(error && isUnavailable(error)).toBe(true);
  });

  it('returns [] for anything that is not an array', () => {
    expect(normaliseErrors(undefined)).toEqual([]);
    expect(normaliseErrors({ errors: [] })).toEqual([]);
  });

  it('keeps retryAfterSeconds for RATE_LIMITED', () => {
    const [error] = normaliseErrors([
      { extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 60 } },
    ]);
    expect(error?.retryAfterSeconds).toBe(60);
    expect(error && isUnavailable(error)).toBe(false);
  });
});

describe('fieldName', () => {
  it('strips only the leading input.', () => {
    expect(fieldName('input.email')).toBe('email');
    expect(fieldName('address.zip')).toBe('address.zip');
  });
});

describe('formFailure', () => {
  const errors = normaliseErrors([
    {
      extensions: {
        code: 'BAD_USER_INPUT',
        messages: { it: 'Dati non validi', en: 'Invalid data' },
        fields: [
          { field: 'email', message: { it: 'Email errata', en: 'Bad email' } },
          { field: 'token', message: { it: 'Token scaduto', en: 'Expired token' } },
        ],
      },
    },
  ]);

  it('puts known fields next to the field and unknown ones in the summary', () => {
    const failure = formFailure(errors, ['email', 'password']);
    expect(failure.fields).toEqual({ email: { it: 'Email errata', en: 'Bad email' } });
    expect(failure.message.it).toBe('Dati non validi Token scaduto');
    expect(failure.message.en).toBe('Invalid data Expired token');
  });

  it('uses an override for the code', () => {
    const unauthenticated = normaliseErrors([{ extensions: { code: 'UNAUTHENTICATED' } }]);
    const failure = formFailure(unauthenticated, ['email'], {
      UNAUTHENTICATED: { it: 'Email o password non corretti.', en: 'Incorrect email or password.' },
    });
    expect(failure.message.it).toBe('Email o password non corretti.');
    expect(failure.fields).toEqual({});
  });

  it('shows the API message for RATE_LIMITED', () => {
    const limited = normaliseErrors([
      {
        extensions: { code: 'RATE_LIMITED', messages: { it: 'Troppi tentativi', en: 'Too many' } },
      },
    ]);
    expect(formFailure(limited, []).message).toEqual({ it: 'Troppi tentativi', en: 'Too many' });
  });
});
