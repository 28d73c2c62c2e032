import { registerEnumType } from 'type-graphql';

/** Relation of a household member to the head of the household (intestatario). */
export const RELATIONS = [
  'INTESTATARIO',
  'CONIUGE',
  'CONVIVENTE',
  'FIGLIO',
  'GENITORE',
  'FRATELLO',
  'NIPOTE',
  'ALTRO',
] as const;
export type Relation = (typeof RELATIONS)[number];
export const Relation = Object.fromEntries(RELATIONS.map((r) => [r, r])) as {
  [K in Relation]: K;
};

export const SEXES = ['M', 'F'] as const;
export type Sex = (typeof SEXES)[number];
export const Sex = { M: 'M', F: 'F' } as const;

/** Kinds of ISEE attestation. */
export const ISEE_TYPES = ['ORDINARIO', 'MINORENNI', 'SOCIOSANITARIO', 'CORRENTE'] as const;
export type IseeType = (typeof ISEE_TYPES)[number];
export const IseeType = Object.fromEntries(ISEE_TYPES.map((t) => [t, t])) as {
  [K in IseeType]: K;
};

export const IMPORT_KINDS = ['REGISTRY', 'INCOME'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const ImportKind = { REGISTRY: 'REGISTRY', INCOME: 'INCOME' } as const;

export const IMPORT_STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export const ImportStatus = Object.fromEntries(IMPORT_STATUSES.map((s) => [s, s])) as {
  [K in ImportStatus]: K;
};

registerEnumType(Relation, {
  name: 'HouseholdRelation',
  description: 'Relation of a household member to the head of the household.',
  valuesConfig: {
    INTESTATARIO: { description: 'The head of the household (intestatario della scheda).' },
    CONIUGE: { description: 'Spouse or civil partner of the head.' },
    CONVIVENTE: { description: 'Cohabiting partner of the head.' },
    FIGLIO: { description: 'Son or daughter of the head.' },
    GENITORE: { description: 'Parent of the head.' },
    FRATELLO: { description: 'Brother or sister of the head.' },
    NIPOTE: { description: 'Grandchild, nephew or niece of the head.' },
    ALTRO: { description: 'Any other relation, or none.' },
  },
});

registerEnumType(Sex, {
  name: 'Sex',
  description: 'Sex as recorded in the civil registry.',
  valuesConfig: { M: { description: 'Male.' }, F: { description: 'Female.' } },
});

registerEnumType(IseeType, {
  name: 'IseeType',
  description: 'Kind of ISEE attestation (Indicatore della Situazione Economica Equivalente).',
  valuesConfig: {
    ORDINARIO: { description: 'The standard ISEE of the household.' },
    MINORENNI: { description: 'ISEE for benefits to minors (parents not living together).' },
    SOCIOSANITARIO: { description: 'ISEE for social and health care benefits.' },
    CORRENTE: { description: 'Current ISEE, updated after a change of circumstances.' },
  },
});

registerEnumType(ImportKind, {
  name: 'ImportKind',
  description: 'What a CSV import loads.',
  valuesConfig: {
    REGISTRY: { description: 'The household registry (anagrafe): households and members.' },
    INCOME: { description: 'Income data: ISEE declarations.' },
  },
});

registerEnumType(ImportStatus, {
  name: 'ImportStatus',
  description: 'Where an import job is.',
  valuesConfig: {
    QUEUED: { description: 'Created; the file has not been read yet.' },
    RUNNING: { description: 'Reading, validating and staging rows.' },
    SUCCEEDED: { description: 'Every row was valid and has been written.' },
    FAILED: {
      description:
        'At least one row was rejected (or the file could not be read): nothing written.',
    },
  },
});
