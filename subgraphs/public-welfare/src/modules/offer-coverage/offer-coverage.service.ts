import type { EntityManager } from '@mikro-orm/postgresql';
import { Campaign } from '../campaign/campaign.entity.js';
import { romeDay } from '@welfare/kit/dates';
import { isOfferCategory } from '../shared/categories.js';

/** What `coveredByCampaigns` knows of an offer (the gateway sends it from third-sector). */
export interface OfferFacts {
  comuneId: string;
  providerId: string;
  category: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One request's loader of the campaigns that can pay for services, by Comune: the Comuni asked
 * for while the request resolves one batch of entities are loaded with one query, each once.
 */
class CoverageLoader {
  private readonly byComune = new Map<string, Promise<Campaign[]>>();
  private pending: {
    comuneId: string;
    resolve: (c: Campaign[]) => void;
    reject: (e: unknown) => void;
  }[] = [];

  constructor(
    private readonly em: EntityManager,
    private readonly today: string,
  ) {}

  load(comuneId: string): Promise<Campaign[]> {
    let campaigns = this.byComune.get(comuneId);
    if (!campaigns) {
      campaigns = new Promise<Campaign[]>((resolve, reject) => {
        this.pending.push({ comuneId, resolve, reject });
      });
      this.byComune.set(comuneId, campaigns);
      // The gateway's `_entities` resolves a whole page of offers in one tick: wait for all.
      if (this.pending.length === 1) setImmediate(() => void this.dispatch());
    }
    return campaigns;
  }

  private async dispatch(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      const found = await this.em.find(
        Campaign,
        {
          comuneId: { $in: batch.map((b) => b.comuneId) },
          status: { $ne: 'DRAFT' },
          spendingUntil: { $gte: this.today },
        },
        { orderBy: { spendingUntil: 'asc', id: 'asc' } },
      );
      for (const b of batch) {
        b.resolve(found.filter((c) => c.comuneId === b.comuneId && c.serviceCategories.length > 0));
      }
    } catch (error) {
      for (const b of batch) b.reject(error);
    }
  }
}

/**
 * Which campaigns' credit can pay for a catalogue offer: campaigns of the offer's Comune that are
 * not drafts (PUBLISHED, or CLOSED to applications while the credit is still spendable), whose
 * spending window has not ended (Italian days) and whose `serviceCategories` include the offer's
 * category. Public: a published campaign is public, and so is the catalogue.
 */
export class CoverageService {
  /** One loader per request (the key is the request's context object). */
  private readonly loaders = new WeakMap<object, CoverageLoader>();

  constructor(private readonly now: () => Date) {}

  async coveringCampaigns(
    em: EntityManager,
    request: object,
    offer: OfferFacts,
  ): Promise<Campaign[]> {
    if (!UUID.test(offer.comuneId) || !isOfferCategory(offer.category)) return [];
    let loader = this.loaders.get(request);
    if (!loader) {
      loader = new CoverageLoader(em, romeDay(this.now()));
      this.loaders.set(request, loader);
    }
    const campaigns = await loader.load(offer.comuneId.toLowerCase());
    return campaigns.filter((c) => c.serviceCategories.includes(offer.category));
  }
}
