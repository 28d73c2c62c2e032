// Every enum of the API schema (read from schema/api.graphql, the gateway's client-facing SDL)
// has a label for each of its values, in both languages, or is listed as never shown. A value the
// server adds without a label fails here as well as in tsc.
import { readFileSync } from 'node:fs';
import { buildSchema, isEnumType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ENUM_LABELS, UNLABELLED_ENUMS, enumLabel, enumLabelOf } from './enum-labels';

const sdl = readFileSync(new URL('../../../schema/api.graphql', import.meta.url), 'utf8');
const schemaEnums = new Map(
  Object.values(buildSchema(sdl).getTypeMap())
    .filter(isEnumType)
    .filter((type) => !type.name.startsWith('__'))
    .map((type) => [type.name, type.getValues().map((v) => v.name)]),
);
const labelled = ENUM_LABELS as Record<string, Record<string, () => string>>;
const unlabelled = UNLABELLED_ENUMS as Record<string, string>;
/** A paraglide message, called in a given language. */
type Message = (inputs: object, options: { locale: 'it' | 'en' }) => string;

describe('labels of the API enums', () => {
  it('cover every enum of the schema, or say why it is never shown', () => {
    expect(schemaEnums.size).toBeGreaterThan(30);
    const missing = [...schemaEnums.keys()].filter((n) => !labelled[n] && !unlabelled[n]);
    expect(missing, 'enums with neither labels nor a reason').toEqual([]);
    for (const name of Object.keys(unlabelled)) {
      expect(labelled[name], `${name} is labelled and listed as unlabelled`).toBeUndefined();
    }
  });

  it('name no enum the schema does not have', () => {
    const known = [...Object.keys(labelled), ...Object.keys(unlabelled)];
    expect(known.filter((name) => !schemaEnums.has(name))).toEqual([]);
  });

  for (const [name, values] of schemaEnums) {
    if (!labelled[name]) continue;
    it(`label every value of ${name}, in Italian and in English`, () => {
      const labels = labelled[name]!;
      expect(Object.keys(labels).sort()).toEqual([...values].sort());
      for (const value of values) {
        const label = labels[value] as Message;
        expect(label({}, { locale: 'it' }), `${name}.${value} in Italian`).not.toBe('');
        expect(label({}, { locale: 'en' }), `${name}.${value} in English`).not.toBe('');
      }
    });
  }

  it('give labels by enum and value, and nothing for an unknown value', () => {
    expect(enumLabel('Role', 'CASHIER')).toBe('Cassiere');
    expect(enumLabelOf('ShopCategory', 'PHONE_TOPUP')).toBe('Ricariche telefoniche');
    expect(enumLabelOf('ShopCategory', 'NOT_A_CATEGORY')).toBeUndefined();
    expect(enumLabelOf('ShopCategory', 'constructor')).toBeUndefined();
  });
});
