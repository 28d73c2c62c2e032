import { Migration } from '@mikro-orm/migrations';

const S = '"public_welfare"';

/**
 * The kinds a message may have (`MessageTemplate` in GraphQL, `TEMPLATE_CODES` in
 * `modules/messages/templates.ts`), as they were on 12/12/2026: a row of another kind, written by a
 * bug, would otherwise break every read of the enum. A new template needs a new migration that
 * widens this list (the messages API test inserts each code and fails until then).
 */
const TEMPLATES = [
  'APPLICATION_RECEIVED',
  'INTEGRATION_REQUESTED',
  'DECISION',
  'INVITATION',
  'PAYMENT',
  'CREDIT_EXPIRING',
];
const LIST = TEMPLATES.map((t) => `'${t}'`).join(', ');

/**
 * A check constraint on `message.template`. Hand-written.
 *
 * Existing rows: none can have another kind (every writer passes a template code: `notify` takes a
 * `TemplateCode`, the invitations' insert writes 'INVITATION'; the demo data is written through
 * them; no code was ever renamed or removed). Should one exist all the same, the migration stops
 * with the kinds it found and changes nothing: a sent message is the record of what a citizen
 * was told, so it is neither deleted nor relabelled by guess; correct it by hand, then migrate.
 */
export class Migration20261212100000_message_template_check extends Migration {
  override up(): void {
    this.addSql(`do $$
declare
  unknown text;
begin
  select string_agg(distinct "template", ', ' order by "template") into unknown
    from ${S}."message" where "template" not in (${LIST});
  if unknown is not null then
    raise exception using
      errcode = 'check_violation',
      message = format('message: rows with unknown templates (%s); correct them, then migrate', unknown);
  end if;
end $$;`);
    this.addSql(`alter table ${S}."message"
  add constraint "message_template_check" check ("template" in (${LIST}));`);
  }

  override down(): void {
    this.addSql(`alter table ${S}."message" drop constraint if exists "message_template_check";`);
  }
}
