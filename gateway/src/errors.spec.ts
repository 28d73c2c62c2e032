import { describe, expect, it } from 'vitest';
import {
  argumentPathAt,
  isRequestError,
  maskError,
  refusedInput,
  requestErrorFields,
} from './errors.js';

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

  it('keeps the message of a malformed operation, as BAD_USER_INPUT with GraphQL’s code as reason', () => {
    const masked = maskError({
      message: 'Syntax Error: Expected Name, found <EOF>.',
      extensions: { code: 'GRAPHQL_PARSE_FAILED', stacktrace: ['x'] },
    });
    expect(masked).toEqual({
      message: 'Syntax Error: Expected Name, found <EOF>.',
      extensions: {
        code: 'BAD_USER_INPUT',
        messages: { it: 'Alcuni dati non sono validi.', en: 'Some data is not valid.' },
        reason: 'GRAPHQL_PARSE_FAILED',
      },
      path: undefined,
      locations: undefined,
    });
    expect(isRequestError(masked.extensions)).toBe(true);
  });

  it('gives a variable the gateway refused as BAD_USER_INPUT naming its field', () => {
    const masked = maskError({
      message:
        'Variable "$input" got invalid value 1.5 at "input.quantity"; Int cannot represent non-integer value: 1.5',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(masked.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      messages: { it: 'Alcuni dati non sono validi.', en: 'Some data is not valid.' },
      fields: [
        {
          field: 'input.quantity',
          message: { it: 'Deve essere un numero intero.', en: 'Must be a whole number.' },
        },
      ],
    });
    expect(masked.message).toBe('Alcuni dati non sono validi. / Some data is not valid.');
  });

  it('gives a validation failure as BAD_USER_INPUT', () => {
    const masked = maskError({
      message: 'Value "NOPE" does not exist in "CardBlockReason" enum.',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(masked.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'GRAPHQL_VALIDATION_FAILED',
    });
  });
});

describe('argumentPathAt', () => {
  const query = `mutation {
  chargeCard(input: { card: { qr: "x" }, amountCents: 1.5 }) { id }
  setCampaignBudget(budgetCents: "100", campaignId: "c") { id }
}`;
  it('names the argument and input fields at a location', () => {
    expect(argumentPathAt(query, { line: 2, column: 55 })).toBe('input.amountCents');
    expect(argumentPathAt(query, { line: 2, column: 36 })).toBe('input.card.qr');
    expect(argumentPathAt(query, { line: 3, column: 34 })).toBe('budgetCents');
  });
  it('names nothing outside arguments or in a text that does not parse', () => {
    expect(argumentPathAt(query, { line: 1, column: 1 })).toBeUndefined();
    expect(argumentPathAt('mutation {', { line: 1, column: 1 })).toBeUndefined();
  });
});

describe('requestErrorFields', () => {
  const query =
    'mutation {\n  setCampaignBudget(campaignId: "c") { id }\n  chargeCard(input: { pin: "1" }) { id }\n}';
  it('names a missing argument, and a missing field of an input literal', () => {
    expect(
      requestErrorFields(
        {
          message:
            'Field "setCampaignBudget" argument "budgetCents" of type "SafeInt!" is required, but it was not provided.',
          locations: [{ line: 2, column: 3 }],
        },
        query,
      ),
    ).toEqual([{ field: 'budgetCents', message: { it: 'Campo obbligatorio.', en: 'Required.' } }]);
    expect(
      requestErrorFields(
        {
          message:
            'Field "ChargeCardInput.amountCents" of required type "SafeInt!" was not provided.',
          locations: [{ line: 3, column: 21 }],
        },
        query,
      ),
    ).toEqual([
      { field: 'input.amountCents', message: { it: 'Campo obbligatorio.', en: 'Required.' } },
    ]);
  });
});

describe('refusedInput', () => {
  const badInput = (message: string, extra: Record<string, unknown> = {}) => ({
    message,
    extensions: { code: 'BAD_USER_INPUT', ...extra },
  });

  it('turns a subgraph’s 400 for a value into BAD_USER_INPUT with the fields', () => {
    const refused = refusedInput(
      {
        status: 400,
        body: {
          errors: [
            badInput('x', {
              fields: [{ field: 'b', message: { it: 'Intero.', en: 'Whole.' } }],
            }),
          ],
        },
      },
      'mutation($b: SafeInt!) { setCampaignBudget(budgetCents: $b, campaignId: "c") { id } }',
    );
    expect(refused).toEqual({
      message: 'Alcuni dati non sono validi. / Some data is not valid.',
      fields: [{ field: 'b', message: { it: 'Intero.', en: 'Whole.' } }],
    });
  });

  it('finds a literal’s field from the subgraph’s query', () => {
    const query = 'mutation { setCampaignBudget(budgetCents: 1.5, campaignId: "c") { id } }';
    const refused = refusedInput(
      {
        status: 400,
        body: {
          errors: [
            {
              message:
                'Expected value of type "SafeInt!", found 1.5; SafeInt cannot represent non-integer value: 1.5',
              locations: [{ line: 1, column: 43 }],
              extensions: { code: 'BAD_USER_INPUT', reason: 'GRAPHQL_VALIDATION_FAILED' },
            },
          ],
        },
      },
      query,
    );
    expect(refused?.fields).toEqual([
      {
        field: 'budgetCents',
        message: { it: 'Deve essere un numero intero.', en: 'Must be a whole number.' },
      },
    ]);
    expect(refused?.reason).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('leaves any other failure alone', () => {
    expect(refusedInput({ status: 500, body: { errors: [badInput('x')] } }, '')).toBeUndefined();
    expect(refusedInput({ status: 400, body: 'oops' }, '')).toBeUndefined();
    expect(
      refusedInput(
        {
          status: 400,
          body: { errors: [{ message: 'x', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] },
        },
        '',
      ),
    ).toBeUndefined();
    expect(refusedInput(undefined, '')).toBeUndefined();
  });
});
