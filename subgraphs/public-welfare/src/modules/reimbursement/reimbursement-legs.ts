import type { EntityManager } from '@mikro-orm/postgresql';
import { TransferCode, book } from '../ledger/ledger.js';
import { isUuid } from '@welfare/kit/access';
import {
  campaignAccreditationIds,
  paymentTransferIds,
  type BookLegs,
} from './reimbursement.repository.js';

/*
 * The book's side of reimbursements: the payments' PAYMENT legs into the shops' accounts, read
 * through the kit's `Book` and handed to the repository's statements as `BookLegs`.
 */

/** A payment id from a transfer's reference (`payment:<id>`), or null. */
function paymentOf(reference: string | null): string | null {
  const m = reference === null ? null : /^payment:([0-9a-f-]{36})$/.exec(reference);
  return m && isUuid(m[1]!) ? m[1]! : null;
}

function bookLegs(
  rows: readonly { transferId: string; reference: string | null; shop: string; amount: number }[],
): BookLegs {
  const legs: BookLegs = { transferIds: [], paymentIds: [], accreditationIds: [], amounts: [] };
  for (const r of rows) {
    const paymentId = paymentOf(r.reference);
    if (!paymentId || !isUuid(r.shop)) continue;
    legs.transferIds.push(r.transferId);
    legs.paymentIds.push(paymentId);
    legs.accreditationIds.push(r.shop);
    legs.amounts.push(r.amount);
  }
  return legs;
}

/**
 * Every posted PAYMENT transfer into the shop accounts of these accreditations (by the accounts'
 * owner: one indexed read of the book, whatever the period: a payment's day is its own
 * `created_at`, which need not be its transfers').
 */
export async function shopLegs(
  em: EntityManager,
  accreditationIds: readonly string[],
): Promise<BookLegs> {
  if (!accreditationIds.length) return bookLegs([]);
  const groups = await book.movementGroups(
    em,
    { owner: { kind: 'shop', ids: [...accreditationIds] } },
    { by: ['owner', 'reference', 'transfer'], codes: [TransferCode.PAYMENT] },
  );
  return bookLegs(
    groups
      .filter((g) => g.credits > 0)
      .map((g) => ({
        transferId: g.transferId!,
        reference: g.reference,
        shop: g.ownerId!,
        amount: g.credits,
      })),
  );
}

/** The PAYMENT legs into the shop accounts of the campaign's accreditations (from the book). */
export async function campaignLegs(em: EntityManager, campaignId: string): Promise<BookLegs> {
  return shopLegs(em, await campaignAccreditationIds(em, campaignId));
}

/** A payment's transfers (of its `transfer_ids`) that credited a shop account, from the book. */
export async function paymentTransfers(em: EntityManager, transferIds: readonly string[]) {
  const transfers = transferIds.length ? await book.transfersById(em, transferIds) : [];
  const accounts = transfers.length
    ? await book.accounts(em, { ids: [...new Set(transfers.map((t) => t.creditAccountId))] })
    : [];
  const shops = new Map(
    accounts.filter((a) => a.owner?.kind === 'shop').map((a) => [a.id, a.owner!.id]),
  );
  return transfers.flatMap((t) => {
    const shop = shops.get(t.creditAccountId);
    return shop ? [{ ...t, shop }] : [];
  });
}

/** The posted PAYMENT legs of one payment into shop accounts. */
export async function legsOfPayment(em: EntityManager, paymentId: string): Promise<BookLegs> {
  const transfers = await paymentTransfers(em, await paymentTransferIds(em, paymentId));
  return bookLegs(
    transfers
      .filter((t) => t.code === TransferCode.PAYMENT && t.status === 'POSTED')
      .map((t) => ({ transferId: t.id, reference: t.reference, shop: t.shop, amount: t.amount })),
  );
}
