import { buildSchema, graphql, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import { refuseBadText, textProblem } from './text.js';

const SDL = /* GraphQL */ `
  input AnswerInput {
    code: ID!
    note: String
  }
  input DraftInput {
    email: String
    notes: String
    amountCents: Int
    answers: [AnswerInput!]
  }
  type Query {
    ok: Boolean
  }
  type Mutation {
    save(input: DraftInput!, reason: String): Int
  }
`;

/** A schema whose resolver counts its calls, wrapped by `refuseBadText`. */
function schemaWithCalls(): { schema: GraphQLSchema; calls: number[] } {
  const calls: number[] = [];
  const schema = buildSchema(SDL);
  schema.getMutationType()!.getFields().save!.resolve = () => {
    calls.push(1);
    return 1;
  };
  return { schema: refuseBadText(schema), calls };
}

async function save(input: Record<string, unknown>, reason?: string) {
  const { schema, calls } = schemaWithCalls();
  const result = await graphql({
    schema,
    source:
      'mutation($input: DraftInput!, $reason: String) { save(input: $input, reason: $reason) }',
    variableValues: { input, reason },
  });
  const original = result.errors?.[0]?.originalError;
  return { calls: calls.length, error: original instanceof DomainError ? original : undefined };
}

describe('textProblem', () => {
  it.each([
    ['NUL', 'a\u0000b'],
    ['bell', 'a\u0007b'],
    ['escape', 'a\u001bb'],
    ['DEL', 'a\u007fb'],
    ['C1 (NEL)', 'a\u0085b'],
    ['C1 (CSI)', 'a\u009bb'],
    ['lone high surrogate', 'a\ud800b'],
    ['lone low surrogate', 'a\udc00b'],
    ['high surrogate at the end', 'ab\ud83d'],
    ['reversed pair', '\ude00\ud83d'],
  ])('refuses %s even in free text', (_name, value) => {
    expect(textProblem(value, true)).toBeDefined();
    expect(textProblem(value, false)).toBeDefined();
  });

  it.each([
    ['plain', 'Mario Rossi'],
    ['accents', 'Niccolò Caffè àèéìòù'],
    ['emoji (a surrogate pair)', 'ciao 😀'],
    ['other scripts', 'Ελληνικά العربية 中文'],
    ['non-breaking space', 'via\u00a0Roma'],
  ])('accepts %s', (_name, value) => {
    expect(textProblem(value, false)).toBeUndefined();
  });

  it('allows tab, newline and carriage return in free text only', () => {
    expect(textProblem('riga 1\r\n\triga 2', true)).toBeUndefined();
    expect(textProblem('riga 1\nriga 2', false)?.en).toMatch(/one line/);
  });
});

describe('refuseBadText', () => {
  it('refuses before the resolver runs, naming every field', async () => {
    const { calls, error } = await save(
      { email: 'a\u0000@b.it', notes: 'ok\nok', answers: [{ code: 'X', note: 'x\ud800' }] },
      'perché\u0001',
    );
    expect(calls).toBe(0);
    expect(error?.code).toBe('BAD_USER_INPUT');
    expect(error?.fields.map((f) => f.field)).toEqual([
      'input.email',
      'input.answers[0].note',
      'reason',
    ]);
    expect(error?.fields[0]?.message.it).toMatch(/caratteri non ammessi/);
  });

  it('refuses a line break in a single-line field, not in free text', async () => {
    const fields = (await save({ email: 'a@b.it\nBcc: x@y.it' })).error?.fields;
    expect(fields?.map((f) => f.field)).toEqual(['input.email']);
    expect(fields?.[0]?.message.en).toMatch(/one line/);
    expect(await save({ notes: 'riga 1\nriga 2' }, 'una\nragione')).toEqual({
      calls: 1,
      error: undefined,
    });
  });

  it('refuses an ID argument with a control character', async () => {
    const { calls, error } = await save({ answers: [{ code: 'A\u0000' }] });
    expect(calls).toBe(0);
    expect(error?.fields.map((f) => f.field)).toEqual(['input.answers[0].code']);
  });
});
