import type { EntityManager } from '@mikro-orm/postgresql';
import { cardLast4ByIds } from '../card/card.repository.js';

/**
 * One request's loader of the last 4 digits of cards' numbers: the cards asked for while the
 * request resolves a list of payments are read with one query, each once. Only the last 4 digits
 * leave the database.
 */
export class CardLast4Loader {
  private readonly byCard = new Map<string, Promise<string>>();
  private pending: {
    cardId: string;
    resolve: (d: string) => void;
    reject: (e: unknown) => void;
  }[] = [];

  constructor(private readonly em: EntityManager) {}

  load(cardId: string): Promise<string> {
    let digits = this.byCard.get(cardId);
    if (!digits) {
      digits = new Promise<string>((resolve, reject) => {
        this.pending.push({ cardId, resolve, reject });
      });
      this.byCard.set(cardId, digits);
      // A list of payments resolves its fields in one tick: wait for all of them.
      if (this.pending.length === 1) setImmediate(() => void this.dispatch());
    }
    return digits;
  }

  private async dispatch(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      const found = await cardLast4ByIds(
        this.em,
        batch.map((b) => b.cardId),
      );
      for (const b of batch) {
        const last4 = found.get(b.cardId);
        if (last4 === undefined) b.reject(new Error(`Card ${b.cardId} of a payment not found`));
        else b.resolve(last4);
      }
    } catch (error) {
      for (const b of batch) b.reject(error);
    }
  }
}
