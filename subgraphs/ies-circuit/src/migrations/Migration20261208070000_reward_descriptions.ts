import { Migration } from '@mikro-orm/migrations';

const S = '"ies_circuit"';

/** The cap's note that was appended to a description (now read from the amounts). */
const CAP_NOTE =
  ' — (tetto del periodo raggiunto: nulla pagato / cap of the period reached: nothing paid' +
  '|pagato fino al tetto del periodo / paid up to the cap of the period)$';

/**
 * A reward's description per language: a code and its parameters (`description_code`,
 * `description_params`), rendered at read time in Italian or English, instead of one text
 * "italiano / English". Existing rows are parsed from the fixed shapes they were written in (the
 * two halves naming the same thing); a text of no known shape is kept as `TEXT` with its halves.
 */
export class Migration20261208070000_reward_descriptions extends Migration {
  override up(): void {
    this.addSql(`alter table ${S}."reward"
  add column "description_code" text,
  add column "description_params" jsonb;`);
    this.addSql(`with base as (
  select id, kind, regexp_replace("description", '${CAP_NOTE}', '') as d from ${S}."reward"
), parsed as (
  select id, kind, d,
    regexp_match(d, '^Acquisto locale da (.*) / Local purchase at (.*)$') as lp,
    regexp_match(d, '^Presenza: (.*) / Attendance: (.*)$') as at,
    regexp_match(d, '^Volontariato con (.*) / Volunteering with (.*)$') as vo,
    regexp_match(d, '^Condivisione: (.*) \\(([0-9]+) visite\\) / Sharing: (.*) \\(([0-9]+) visits\\)$') as sh
  from base
)
update ${S}."reward" r set
  "description_code" = case
    when p.kind = 'LOCAL_PURCHASE' and p.lp[1] = p.lp[2] then 'LOCAL_PURCHASE'
    when p.kind = 'ATTENDANCE' and p.at[1] = p.at[2] then 'ATTENDANCE'
    when p.kind = 'VOLUNTEERING' and p.vo[1] = p.vo[2] and position(': ' in p.vo[1]) > 0
      then 'VOLUNTEERING'
    when p.kind = 'SHARING' and p.sh[1] = p.sh[3] and p.sh[2] = p.sh[4] then 'SHARING'
    else 'TEXT' end,
  "description_params" = case
    when p.kind = 'LOCAL_PURCHASE' and p.lp[1] = p.lp[2] then jsonb_build_object('payee', p.lp[1])
    when p.kind = 'ATTENDANCE' and p.at[1] = p.at[2] then jsonb_build_object('programme', p.at[1])
    when p.kind = 'VOLUNTEERING' and p.vo[1] = p.vo[2] and position(': ' in p.vo[1]) > 0
      then jsonb_build_object(
        'organisation', split_part(p.vo[1], ': ', 1),
        'text', substr(p.vo[1], position(': ' in p.vo[1]) + 2))
    when p.kind = 'SHARING' and p.sh[1] = p.sh[3] and p.sh[2] = p.sh[4]
      then jsonb_build_object('title', p.sh[1], 'visits', p.sh[2]::integer)
    when position(' / ' in p.d) > 0
      then jsonb_build_object('it', split_part(p.d, ' / ', 1),
        'en', substr(p.d, position(' / ' in p.d) + 3))
    else jsonb_build_object('it', p.d, 'en', p.d) end
from parsed p where p.id = r.id;`);
    this.addSql(`alter table ${S}."reward"
  alter column "description_code" set not null,
  alter column "description_params" set not null,
  drop column "description";`);
  }

  override down(): void {
    this.addSql(`alter table ${S}."reward" add column "description" text;`);
    this.addSql(`update ${S}."reward" set "description" = (case "description_code"
    when 'LOCAL_PURCHASE' then 'Acquisto locale da ' || ("description_params"->>'payee')
      || ' / Local purchase at ' || ("description_params"->>'payee')
    when 'ATTENDANCE' then 'Presenza: ' || ("description_params"->>'programme')
      || ' / Attendance: ' || ("description_params"->>'programme')
    when 'VOLUNTEERING' then 'Volontariato con ' || ("description_params"->>'organisation') || ': '
      || ("description_params"->>'text') || ' / Volunteering with '
      || ("description_params"->>'organisation') || ': ' || ("description_params"->>'text')
    when 'SHARING' then 'Condivisione: ' || ("description_params"->>'title') || ' ('
      || ("description_params"->>'visits') || ' visite) / Sharing: '
      || ("description_params"->>'title') || ' (' || ("description_params"->>'visits') || ' visits)'
    else ("description_params"->>'it') || ' / ' || ("description_params"->>'en') end)
  || case
    when "paid_cents" >= "requested_cents" then ''
    when "paid_cents" = 0
      then ' — tetto del periodo raggiunto: nulla pagato / cap of the period reached: nothing paid'
    else ' — pagato fino al tetto del periodo / paid up to the cap of the period' end;`);
    this.addSql(`alter table ${S}."reward"
  alter column "description" set not null,
  drop column "description_code",
  drop column "description_params";`);
  }
}
