import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '@welfare/kit/sql';
import type { MessageChannel } from './message.entity.js';
import { render, type TemplateCode, type TemplateParams } from './templates.js';

/** Where a notification goes: each address given gets one message (one per channel). */
export interface Recipients {
  email?: string | null;
  phone?: string | null;
  /** The codice fiscale hash of the citizen (PORTAL: their message area). */
  fiscalCodeHash?: string | null;
}

export interface NotifyInput<T extends TemplateCode> {
  comuneId: string;
  applicationId?: string | null;
  campaignId?: string | null;
  to: Recipients;
  template: T;
  params: TemplateParams[T];
  /** Idempotency: messages already written with this key (plus the channel) are skipped. */
  dedupeKey?: string;
}

/**
 * The outbox. `notify` writes the messages in the caller's transaction (so a notification
 * exists exactly when what caused it was committed); a dispatcher delivers them later.
 */
export class MessageService {
  /** Writes one PENDING message per recipient address; returns how many were written. */
  async notify<T extends TemplateCode>(em: EntityManager, input: NotifyInput<T>): Promise<number> {
    const { subject, body } = render(input.template, input.params);
    const targets: [MessageChannel, string][] = [];
    if (input.to.fiscalCodeHash) targets.push(['PORTAL', input.to.fiscalCodeHash]);
    if (input.to.email) targets.push(['EMAIL', input.to.email]);
    if (input.to.phone) targets.push(['SMS', input.to.phone]);
    let written = 0;
    for (const [channel, recipient] of targets) {
      const dedupeKey = input.dedupeKey ? `${input.dedupeKey}:${channel}` : null;
      // A prepared statement (the kit's `sql`): a card payment writes its notice here.
      const rows = await sql<{ id: string }>(
        em,
        `insert into "public_welfare"."message"
           ("id", "comune_id", "application_id", "campaign_id", "template", "channel", "recipient", "subject", "body", "dedupe_key")
         values (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9)
         on conflict ("dedupe_key") where "dedupe_key" is not null do nothing
         returning "id"`,
        [
          input.comuneId,
          input.applicationId ?? null,
          input.campaignId ?? null,
          input.template,
          channel,
          recipient,
          subject,
          body,
          dedupeKey,
        ],
      );
      written += rows.length;
    }
    return written;
  }
}
