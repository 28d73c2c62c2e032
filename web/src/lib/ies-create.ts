// Creating an IES circuit: the form's fields (the server's and the page's).
import { IES_RULES_FIELDS } from './ies-members';

/** The fields of the new circuit's form: the manager Comune, code, name, territory and rules. */
export const IES_CREATE_FIELDS = [
  'managerId',
  'code',
  'name',
  'territory',
  ...IES_RULES_FIELDS,
] as const;

export type IesCreateValues = Record<(typeof IES_CREATE_FIELDS)[number], string>;
