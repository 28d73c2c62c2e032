import type { EntityManager } from '@mikro-orm/postgresql';
import { HoldNotPending } from '@welfare/kit/book';
import { TransferCode, book, deterministicId } from '../ledger/ledger.js';

/*
 * The book's side of the fund contract that other modules need too: the ids of a checkout leg's
 * transfers, and the release of a card's holds when the card is replaced or a benefit revoked.
 */

/** The book's transfer ids of a leg's operations: the same leg always names the same transfers. */
export const legTransferIds = {
  hold: (legId: string) => deterministicId('fund-hold', legId),
  capture: (legId: string) => deterministicId('fund-capture', legId),
  release: (legId: string) => deterministicId('fund-release', legId),
  refund: (refundId: string) => deterministicId('fund-refund', refundId),
};

/** The start of the references of a leg's transfers (`fund-leg:<legId>;...`). */
export const legPrefix = (legId: string) => `fund-leg:${legId};`;

const LEG_REFERENCE = /^fund-leg:([0-9a-f-]{36});/;

/**
 * Releases the checkout holds still pending on a card's accounts (in the caller's transaction,
 * before its credit moves to a replacement card: a hold's credit would otherwise come back to the
 * dead card when released or expired). Each is voided under its leg's release id, so the payments
 * subgraph sees the leg RELEASED and its capture refused: the checkout fails and is undone. A hold
 * captured meanwhile is left as it is. Returns how many were released.
 */
export async function releaseCardHolds(
  tx: EntityManager,
  cardId: string,
  /** Only these of the card's accounts (a revocation releases one campaign's holds). */
  onlyAccountIds?: string[],
): Promise<number> {
  const accounts = await book.accounts(tx, { owner: { kind: 'card', ids: [cardId] } });
  const held = accounts
    .filter((a) => a.debitsPending > 0 && (!onlyAccountIds || onlyAccountIds.includes(a.id)))
    .map((a) => a.id);
  if (!held.length) return 0;
  let released = 0;
  let before: number | undefined;
  do {
    const page = await book.statement(
      tx,
      { ids: held },
      { codes: [TransferCode.SERVICE_PAYMENT], limit: 500, ...(before ? { before } : {}) },
    );
    for (const m of page.items) {
      const legId = LEG_REFERENCE.exec(m.reference ?? '')?.[1];
      const pendingHold = m.status === 'PENDING' && m.expiresAt !== null && m.pendingId === null;
      if (!legId || !pendingHold || m.amount >= 0) continue;
      try {
        await book.void(tx, { id: legTransferIds.release(legId), pendingId: m.transferId });
        released++;
      } catch (err) {
        if (!(err instanceof HoldNotPending)) throw err;
      }
    }
    before = page.next ?? undefined;
  } while (before !== undefined);
  return released;
}
