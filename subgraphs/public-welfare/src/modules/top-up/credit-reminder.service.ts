import type { EntityManager } from '@mikro-orm/postgresql';
import { addDays, romeDay } from '@welfare/kit/dates';
import { book } from '../ledger/ledger.js';
import type { MessageService } from '../messages/message.service.js';
import { cardHolders, endingCampaigns, writtenDedupeKeys } from './top-up-schedule.repository.js';

/** What one pass of the credit reminders did. */
export interface CreditReminderResult {
  /** Campaigns whose spending window ends within the reminder's days. */
  campaigns: number;
  /** Messages written (a card reminded in an earlier pass, or by another process, is not). */
  reminded: number;
}

/**
 * Reminds each card holder with credit left on a campaign that it ends: `days` days before the
 * campaign's spending window ends (and until its last day, for a campaign published later or a
 * pass missed), every card whose account for the campaign can still spend something gets one
 * PORTAL message (`CREDIT_EXPIRING`, in the holder's language: `MessageService.notify`), the
 * amount and the last day. Once per card and campaign, across passes and processes: the message's
 * dedupe key `credit-expiry:<campaign>:<card>` is unique in the outbox, so a second writer (another
 * pass, another replica) writes nothing. Cards have no e-mail or phone of their own: the PORTAL
 * channel only, as the payment notices.
 */
export class CreditReminderService {
  constructor(
    private readonly messages: MessageService,
    private readonly days: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** One pass: the campaigns ending within `days`, their cards with credit, one message each. */
  async remind(em: EntityManager): Promise<CreditReminderResult> {
    const today = romeDay(this.now());
    const campaigns = await endingCampaigns(em.fork(), today, addDays(today, this.days));
    let reminded = 0;
    for (const campaign of campaigns) {
      // The card accounts of the campaign (scoped by it) that can still spend, whose holder was
      // not reminded yet (every pass of the week reads this; the insert's key decides anyway).
      const withCredit = (
        await book.accounts(em.fork(), {
          owner: { kind: 'card', scopeIds: [campaign.id], accountKind: 'HOLDER' },
        })
      ).filter((a) => a.available > 0 && a.owner !== null);
      const key = (cardId: string) => `credit-expiry:${campaign.id}:${cardId}`;
      const done = await writtenDedupeKeys(
        em.fork(),
        withCredit.map((a) => `${key(a.owner!.id)}:PORTAL`),
      );
      const accounts = withCredit.filter((a) => !done.has(`${key(a.owner!.id)}:PORTAL`));
      if (accounts.length === 0) continue;
      const holders = await cardHolders(
        em.fork(),
        accounts.map((a) => a.owner!.id),
      );
      reminded += await em.fork().transactional(async (tx) => {
        let written = 0;
        for (const account of accounts) {
          const cardId = account.owner!.id;
          const holder = holders.get(cardId);
          if (!holder) continue;
          written += await this.messages.notify(tx, {
            comuneId: campaign.comune_id,
            campaignId: campaign.id,
            to: { fiscalCodeHash: holder },
            template: 'CREDIT_EXPIRING',
            params: {
              campaignTitle: campaign.title,
              availableCents: account.available,
              spendingUntil: campaign.spending_until,
            },
            dedupeKey: key(cardId),
          });
        }
        return written;
      });
    }
    return { campaigns: campaigns.length, reminded };
  }
}
