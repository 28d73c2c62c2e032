import {
  defaultFieldResolver,
  getNullableType,
  isInputObjectType,
  isListType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { DomainError, joinFieldPath, type FieldError, type Localized } from './errors.js';

/*
 * The text a client may send: no control characters (C0, DEL, C1) and no lone UTF-16 surrogates,
 * in any String or ID argument or input field of any subgraph. PostgreSQL refuses a NUL in text
 * and a lone surrogate in jsonb with an internal error; the others corrupt exports, e-mails and
 * logs. Tab, newline and carriage return are allowed in free text only (MULTILINE_FIELDS).
 */

/**
 * Argument and input field names of free text, written in a multi-line box (the portal's
 * `<textarea>`s): tab, newline and carriage return are allowed there, nowhere else. A new
 * free-text field takes one of these names or stays single-line.
 */
export const MULTILINE_FIELDS: ReadonlySet<string> = new Set([
  'description',
  'packageDescription',
  'scheduleNotes',
  'notes',
  'note',
  'reason',
  // An uploaded text file passed as a string (a pagoPA Flusso di Rendicontazione's XML).
  'xml',
]);

/** C0 controls but tab, newline and carriage return; DEL; C1 controls; lone surrogates. */
const NOT_TEXT =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LINE_BREAKS = /[\t\n\r]/;

const NOT_TEXT_MESSAGE: Localized = {
  it: 'Contiene caratteri non ammessi (caratteri di controllo o non validi).',
  en: 'Contains characters that are not allowed (control or invalid characters).',
};
const ONE_LINE_MESSAGE: Localized = {
  it: 'Deve stare su una riga: niente a capo, tabulazioni o caratteri di controllo.',
  en: 'Must be one line: no line breaks, tabs or control characters.',
};

/** What is wrong with a text value, if anything. */
export function textProblem(value: string, multiline: boolean): Localized | undefined {
  if (NOT_TEXT.test(value)) return NOT_TEXT_MESSAGE;
  if (!multiline && LINE_BREAKS.test(value)) return ONE_LINE_MESSAGE;
  return undefined;
}

/** True when a type holds text somewhere (a String or ID, a list or input object of them). */
function holdsText(type: GraphQLInputType, seen = new Set<string>()): boolean {
  const inner = getNullableType(type);
  if (isListType(inner)) return holdsText(inner.ofType, seen);
  if (isScalarType(inner)) return inner.name === 'String' || inner.name === 'ID';
  if (isInputObjectType(inner)) {
    if (seen.has(inner.name)) return false;
    seen.add(inner.name);
    return Object.values(inner.getFields()).some((f) => holdsText(f.type, seen));
  }
  return false;
}

/** Collects the problems of one coerced value of `type` at `path` named `name`. */
function checkValue(
  value: unknown,
  type: GraphQLInputType,
  path: string,
  name: string,
  problems: FieldError[],
): void {
  if (value === null || value === undefined) return;
  const inner = getNullableType(type);
  if (isListType(inner)) {
    if (Array.isArray(value)) {
      value.forEach((item, i) => checkValue(item, inner.ofType, `${path}[${i}]`, name, problems));
    }
    return;
  }
  if (isScalarType(inner)) {
    if ((inner.name === 'String' || inner.name === 'ID') && typeof value === 'string') {
      const problem = textProblem(value, MULTILINE_FIELDS.has(name));
      if (problem) problems.push({ field: path, message: problem });
    }
    return;
  }
  if (isInputObjectType(inner) && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const field of Object.values(inner.getFields())) {
      const fieldPath = joinFieldPath(path, field.name);
      checkValue(record[field.name], field.type, fieldPath, field.name, problems);
    }
  }
}

/** Every text problem of a field's coerced arguments, each with its argument path. */
function textProblems(
  args: readonly GraphQLArgument[],
  values: Record<string, unknown>,
): FieldError[] {
  const problems: FieldError[] = [];
  for (const arg of args) checkValue(values[arg.name], arg.type, arg.name, arg.name, problems);
  return problems;
}

/**
 * Refuses, before its resolver runs, every field call whose String or ID arguments (at any depth
 * of input objects and lists) hold control characters or lone surrogates, or line breaks outside
 * free text: BAD_USER_INPUT naming each field (`input.notes`, `reason`). Applied to every object
 * type's fields of the schema, in place (the federation resolvers stay where Apollo put them).
 */
export function refuseBadText(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!field.args.some((arg) => holdsText(arg.type))) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      const args = field.args;
      field.resolve = (source, values: Record<string, unknown>, context, info) => {
        const problems = textProblems(args, values);
        if (problems.length) throw DomainError.badInput(problems);
        return resolve(source, values, context, info);
      };
    }
  }
  return schema;
}
