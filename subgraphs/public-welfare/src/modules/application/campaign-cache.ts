import type { Campaign } from '../campaign/campaign.entity.js';

/**
 * Published campaigns by id, as last read, with their `version` (opening day: thousands of
 * drafts and submissions read the same campaign). Never trusted alone: a draft's insert and a
 * submission's locked read check the stored `version` in the same statement, and a differing
 * one makes the caller read the campaign again (a campaign closed, or changed, is seen at once).
 * Entries are read-only: nothing flushes them. At most `max` campaigns, the oldest dropped first.
 */
export class CampaignCache {
  private readonly entries = new Map<string, Campaign>();

  constructor(private readonly max = 256) {}

  /** The campaign as last read, if any (to be checked against its stored version). */
  get(id: string): Campaign | undefined {
    return this.entries.get(id);
  }

  /** Keeps `campaign` as read now (a newer read replaces an older one). */
  remember(campaign: Campaign): void {
    this.entries.delete(campaign.id);
    while (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(campaign.id, campaign);
  }
}
