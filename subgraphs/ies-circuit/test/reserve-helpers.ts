import type { EntityManager } from '@mikro-orm/postgresql';
import { expect } from 'vitest';
import { book } from '../src/modules/ledger/ledger.js';

/**
 * The money rules every reserve test ends with: the book's invariants (the reserve included) hold
 * and every issuer's reserve equals its circulation.
 */
export async function expectSound(em: EntityManager): Promise<void> {
  const report = await book.checkInvariants(em);
  expect(report.problems).toEqual([]);
  for (const total of await book.reserveTotals(em)) {
    expect(total.reserve, total.code).toBe(total.circulation);
  }
}
