import type { ImportKind } from '../shared/enums.js';

const S = '"public_welfare"';

/**
 * The merge of a clean job's staged rows, run in ONE transaction. Parameters: the Comune id, the
 * job id. Upserts by natural key: households by registry code, members and declarants by the
 * codice fiscale hash (declarations with the year of their validity: a new year adds a row, the
 * ISEE history), each within the Comune; a row is rewritten only when a value changed, and
 * each statement returns the keys it inserted or rewrote (`REGISTRY_ROWS_CHANGED_SQL` counts them).
 */
export const MERGE_SQL: Record<ImportKind, string[]> = {
  REGISTRY: [
    `insert into ${S}."household" as h ("id", "comune_id", "code", "address", "resident", "created_at", "updated_at")
     select gen_random_uuid(), c.comune_id, s.payload->>'householdCode', s.payload->>'address',
            (s.payload->>'resident')::boolean, now(), now()
     from (select ?::uuid as comune_id) c
     join lateral (
       select distinct on (r.payload->>'householdCode') r.payload
       from ${S}."import_staging_row" r where r."job_id" = ?
       order by r.payload->>'householdCode', r."line"
     ) s on true
     on conflict ("comune_id", "code") do update
       set "address" = excluded."address", "resident" = excluded."resident", "updated_at" = now()
       where (h."address", h."resident") is distinct from (excluded."address", excluded."resident")
     returning h."code"`,
    `insert into ${S}."household_member" as m ("id", "comune_id", "household_id", "fiscal_code_hash",
       "fiscal_code_cipher", "given_name", "family_name", "birth_date", "sex", "relation", "disability",
       "created_at", "updated_at")
     select gen_random_uuid(), h."comune_id", h."id", r.payload->>'fiscalCodeHash',
            r.payload->>'fiscalCodeCipher', r.payload->>'givenName', r.payload->>'familyName',
            (r.payload->>'birthDate')::date, r.payload->>'sex', r.payload->>'relation',
            (r.payload->>'disability')::boolean, now(), now()
     from ${S}."import_staging_row" r
     join ${S}."household" h on h."comune_id" = ?::uuid and h."code" = r.payload->>'householdCode'
     where r."job_id" = ?
     on conflict ("comune_id", "fiscal_code_hash") do update
       set "household_id" = excluded."household_id", "given_name" = excluded."given_name",
           "family_name" = excluded."family_name", "birth_date" = excluded."birth_date",
           "sex" = excluded."sex", "relation" = excluded."relation",
           "disability" = excluded."disability", "updated_at" = now()
       where (m."household_id", m."given_name", m."family_name", m."birth_date", m."sex", m."relation", m."disability")
         is distinct from (excluded."household_id", excluded."given_name", excluded."family_name",
           excluded."birth_date", excluded."sex", excluded."relation", excluded."disability")
     returning m."fiscal_code_hash"`,
  ],
  INCOME: [
    `insert into ${S}."income_declaration" as d ("id", "comune_id", "declarant_fiscal_code_hash",
       "declarant_fiscal_code_cipher", "isee_cents", "isee_type", "valid_until",
       "receives_public_support", "created_at", "updated_at")
     select gen_random_uuid(), ?::uuid, r.payload->>'fiscalCodeHash', r.payload->>'fiscalCodeCipher',
            (r.payload->>'iseeCents')::bigint, r.payload->>'iseeType', (r.payload->>'validUntil')::date,
            (r.payload->>'receivesPublicSupport')::boolean, now(), now()
     from ${S}."import_staging_row" r
     where r."job_id" = ?
     on conflict ("comune_id", "declarant_fiscal_code_hash", "validity_year") do update
       set "isee_cents" = excluded."isee_cents", "isee_type" = excluded."isee_type",
           "valid_until" = excluded."valid_until",
           "receives_public_support" = excluded."receives_public_support", "updated_at" = now()
       where (d."isee_cents", d."isee_type", d."valid_until", d."receives_public_support")
         is distinct from (excluded."isee_cents", excluded."isee_type", excluded."valid_until",
           excluded."receives_public_support")
     returning d."declarant_fiscal_code_hash"`,
  ],
};

/**
 * The staged rows of a job (parameter 1) whose household (codes, parameter 2) or member (codice
 * fiscale hashes, parameter 3) the merge inserted or rewrote.
 */
export const REGISTRY_ROWS_CHANGED_SQL = `select count(*)::int as "changed"
  from ${S}."import_staging_row" r
  where r."job_id" = ?
    and (r.payload->>'householdCode' = any(?::text[]) or r.payload->>'fiscalCodeHash' = any(?::text[]))`;
