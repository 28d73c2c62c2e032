import { Migration } from '@mikro-orm/migrations';

const S = '"public_welfare"';

/** The kinds a message may have before this migration (`message_template_check` of 20261212100000). */
const BEFORE = [
  'APPLICATION_RECEIVED',
  'INTEGRATION_REQUESTED',
  'DECISION',
  'INVITATION',
  'PAYMENT',
  'CREDIT_EXPIRING',
];
/** With BENEFIT_REVOKED: the citizen is told when the Comune revokes their benefit. */
const AFTER = [...BEFORE, 'BENEFIT_REVOKED'];

const check = (templates: string[]) =>
  `check ("template" in (${templates.map((t) => `'${t}'`).join(', ')}))`;

/**
 * `message_template_check` widened to the new template BENEFIT_REVOKED (drop and add, same name).
 * Hand-written. Existing rows all pass: the old list is a subset of the new one. Down: back to the
 * old list; it fails while BENEFIT_REVOKED messages exist (a sent message is the record of what a
 * citizen was told: it is not deleted by a migration).
 */
export class Migration20261212140000_message_template_benefit_revoked extends Migration {
  override up(): void {
    this.addSql(`alter table ${S}."message" drop constraint "message_template_check";`);
    this.addSql(
      `alter table ${S}."message" add constraint "message_template_check" ${check(AFTER)};`,
    );
  }

  override down(): void {
    this.addSql(`alter table ${S}."message" drop constraint "message_template_check";`);
    this.addSql(
      `alter table ${S}."message" add constraint "message_template_check" ${check(BEFORE)};`,
    );
  }
}
