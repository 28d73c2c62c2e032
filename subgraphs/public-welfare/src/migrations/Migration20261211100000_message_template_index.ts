import { Migration } from '@mikro-orm/migrations';

const S = '"public_welfare"';

/**
 * The Comune's sent messages filtered by template (`sentMessages(template:)`, e.g. the
 * CREDIT_EXPIRING reminders among every PAYMENT notice): an index on (comune_id, template,
 * created_at) reads one kind's page, newest first, without walking the whole outbox.
 * Hand-written.
 */
export class Migration20261211100000_message_template_index extends Migration {
  override up(): void {
    this.addSql(`create index "message_comune_template_index"
      on ${S}."message" ("comune_id", "template", "created_at");`);
  }

  override down(): void {
    this.addSql(`drop index if exists ${S}."message_comune_template_index";`);
  }
}
