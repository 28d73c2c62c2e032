import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';

/**
 * Lookups by id batched per request: the gateway asks for a list's references together (a page of
 * the catalogue names twenty providers), and one `IN` query answers them instead of one query each.
 * The request's EntityManager fork is the key, so a batch never spans two requests (or two
 * callers); ids the query does not return answer null; `find` keys its map by lower-case id.
 */
export function batchedById<V>(
  find: (em: EntityManager, ids: readonly string[]) => Promise<Map<string, V>>,
): (em: EntityManager, id: string) => Promise<V | null> {
  const loaders = new WeakMap<EntityManager, DataLoader<string, V | null>>();
  return (em, id) => {
    let loader = loaders.get(em);
    if (!loader) {
      loader = new DataLoader<string, V | null>(async (ids) => {
        const found = await find(em, ids);
        return ids.map((key) => found.get(key.toLowerCase()) ?? null);
      });
      loaders.set(em, loader);
    }
    return loader.load(id);
  };
}
