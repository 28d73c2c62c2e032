import { Migration } from '@mikro-orm/migrations';

const S = '"public_welfare"';

/**
 * The household search by registry code (issue 19): the code is matched without case
 * (`lower(code) = lower(?)`, `lookupHouseholdIds`), which the unique (comune_id, code) index
 * cannot serve beyond the Comune; an index on (comune_id, lower(code)) finds the household at
 * once. Not unique: the registry's codes are unique per Comune as written, and two spellings
 * differing only in case, should a registry ever have them, must still import. Hand-written.
 */
export class Migration20261210160000_household_code_index extends Migration {
  override up(): void {
    this.addSql(`create index "household_comune_code_lower_index"
      on ${S}."household" ("comune_id", lower("code"));`);
  }

  override down(): void {
    this.addSql(`drop index if exists ${S}."household_comune_code_lower_index";`);
  }
}
