import type { EntityManager } from '@mikro-orm/postgresql';
import type { MessageChannel } from './message.entity.js';
import { insertMessage } from './message.repository.js';
import { renderEach, type TemplateCode, type TemplateParams } from './templates.js';

/** Where a notification goes: each address given gets one message (one per channel). */
export interface Recipients {
  email?: string | null;
  phone?: string | null;
  /**
   * The codice fiscale hash of the citizen (PORTAL: their message area); every message is written
   * in the language they chose (`message_language`), Italian when none or when absent.
   */
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
  /**
   * Writes one PENDING message per recipient address, in the recipient's language; returns how
   * many were written.
   */
  async notify<T extends TemplateCode>(em: EntityManager, input: NotifyInput<T>): Promise<number> {
    const rendered = renderEach(input.template, input.params);
    const targets: [MessageChannel, string][] = [];
    if (input.to.fiscalCodeHash) targets.push(['PORTAL', input.to.fiscalCodeHash]);
    if (input.to.email) targets.push(['EMAIL', input.to.email]);
    if (input.to.phone) targets.push(['SMS', input.to.phone]);
    let written = 0;
    for (const [channel, recipient] of targets) {
      const dedupeKey = input.dedupeKey ? `${input.dedupeKey}:${channel}` : null;
      const rows = await insertMessage(em, {
        comuneId: input.comuneId,
        applicationId: input.applicationId ?? null,
        campaignId: input.campaignId ?? null,
        template: input.template,
        channel,
        recipient,
        rendered,
        languageOf: input.to.fiscalCodeHash ?? null,
        dedupeKey,
      });
      written += rows.length;
    }
    return written;
  }
}
