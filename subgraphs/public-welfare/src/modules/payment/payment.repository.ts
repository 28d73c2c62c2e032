import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '@welfare/kit/sql';
import type { CardStatus } from '../card/card.enums.js';
import type { ShopCategory } from '../shared/categories.js';
import { Payment } from './payment.entity.js';

/*
 * The card payment's statements. Each text is a constant, so that `sql` runs it as a prepared
 * statement with its own plan: the till's hot path (see `PaymentService.charge`).
 */

/**
 * What a card payment's first statement reads. Every column is null when the accreditation does
 * not exist; the card's columns are null when there is no such (live) card.
 */
export interface ChargeLookup {
  merchant_id: string | null;
  shop_comune_id: string | null;
  shop_status: string | null;
  campaign_id: string | null;
  business_name: string | null;
  excluded_categories: string[] | null;
  spending_from: string | null;
  spending_until: string | null;
  card_id: string | null;
  card_comune_id: string | null;
  card_status: CardStatus | null;
  qr_nonce: string | null;
  holder_fiscal_code_hash: string | null;
  /** The holder's codice fiscale, encrypted (the card's fallback asks ies-circuit by it). */
  holder_fiscal_code_cipher: string | null;
  pin_hash: string | null;
  pin_failures: number | null;
  /** Whether a payment already has this idempotency key. */
  paid: boolean;
}

/** A leg of a payment: a campaign whose credit it spends. */
export interface Eligible {
  accreditation_id: string;
  campaign_id: string;
}

/**
 * The first statement of a card payment ($1 the accreditation, $2 the idempotency key, $3 the
 * card: its id, or the key of the holder's codice fiscale in the shop's Comune): the shop and its
 * campaign, the card locked (`for no key update`: its PIN attempts are counted under this lock),
 * and whether the key was already used. One text per way of naming the card, so that each is a
 * prepared statement with its own plan (by primary key, or by `card_one_live_per_holder`).
 */
function chargeLookup(card: string): string {
  return `with shop as (
    select a.merchant_id, a.comune_id, a.status, a.campaign_id, a.business_name,
           c.excluded_categories, to_char(c.spending_from, 'YYYY-MM-DD') as spending_from,
           to_char(c.spending_until, 'YYYY-MM-DD') as spending_until
      from "public_welfare"."shop_accreditation" a
      join "public_welfare"."campaign" c on c.id = a.campaign_id
     where a.id = $1
  ), card as (
    select id, comune_id, status, qr_nonce, holder_fiscal_code_hash, holder_fiscal_code_cipher,
           pin_hash, pin_failures
      from "public_welfare"."card"
     where ${card}
       for no key update
  )
  select shop.merchant_id, shop.comune_id as shop_comune_id, shop.status as shop_status,
         shop.campaign_id, shop.business_name, shop.excluded_categories, shop.spending_from,
         shop.spending_until, card.id as card_id, card.comune_id as card_comune_id,
         card.status as card_status, card.qr_nonce, card.holder_fiscal_code_hash,
         card.holder_fiscal_code_cipher, card.pin_hash,
         card.pin_failures,
         exists (select 1 from "public_welfare"."payment" p where p.id = $2) as paid
    from (select 1) as one left join shop on true left join card on true`;
}
const LOOKUP_BY_CARD_ID = chargeLookup('id = $3::uuid');
const LOOKUP_BY_FISCAL_CODE = chargeLookup(
  `comune_id = (select comune_id from shop) and holder_fiscal_code_hash = $3 and status <> 'REPLACED'`,
);

/**
 * The campaigns whose credit a payment at a shop can spend ($1 the merchant, $2 its Comune, $3
 * today, $4 the category): the merchant's accreditations in the Comune, within their spending
 * window, not excluding the category; the earliest spending end first.
 */
const ELIGIBLE_CAMPAIGNS = `select a.id as accreditation_id, c.id as campaign_id
   from "public_welfare"."shop_accreditation" a
   join "public_welfare"."campaign" c on c.id = a.campaign_id
  where a.merchant_id = $1 and a.comune_id = $2 and a.status = 'ACCREDITED'
    and c.spending_from <= $3::date and c.spending_until >= $3::date
    and not ($4::text = any(c.excluded_categories))
  order by c.spending_until, c.id`;

/** A card payment's row, AUTHORISED, returned whole for the answer. */
const INSERT_PAYMENT = `insert into "public_welfare"."payment"
    ("id", "comune_id", "card_id", "accreditation_id", "cashier_id", "amount_cents", "category",
     "status", "transfer_ids", "residual_cents", "ies_cents", "ies_transfer_id", "ies_status")
  values ($1, $2, $3, $4, $5, $6, $7, 'AUTHORISED', $8::jsonb, $9, $10, $11, $12)
  returning *`;

/**
 * The shop, its campaign, the card (locked) and whether the key was used, in one statement: the
 * card named by its id (a QR payload) or, when `cardId` is null, by the key of its holder's codice
 * fiscale in the shop's Comune.
 */
export async function lookupCharge(
  tx: EntityManager,
  accreditationId: string,
  key: string,
  card: { cardId: string | null; fiscalCodeKey: string | null },
): Promise<ChargeLookup | undefined> {
  const [row] = await sql<ChargeLookup>(
    tx,
    card.cardId ? LOOKUP_BY_CARD_ID : LOOKUP_BY_FISCAL_CODE,
    [accreditationId, key, card.cardId ? card.cardId : card.fiscalCodeKey],
  );
  return row;
}

/** The campaigns a payment of `category` at the merchant's shops in the Comune can spend. */
export function eligibleCampaigns(
  tx: EntityManager,
  merchantId: string,
  comuneId: string,
  today: string,
  category: ShopCategory,
): Promise<Eligible[]> {
  return sql<Eligible>(tx, ELIGIBLE_CAMPAIGNS, [merchantId, comuneId, today, category]);
}

/** A new AUTHORISED payment's row. */
export interface NewPayment {
  id: string;
  comuneId: string;
  cardId: string;
  accreditationId: string;
  cashierId: string;
  amountCents: number;
  category: ShopCategory;
  transferIds: string[];
  residualCents: number;
  /** The card's fallback: the IES part held in ies-circuit (none: voucher credit only). */
  ies?: { cents: number; transferId: string } | null;
}

/** Inserts an AUTHORISED payment (the key refuses a second one) and answers it as an entity. */
export async function insertPayment(tx: EntityManager, p: NewPayment): Promise<Payment> {
  const [inserted] = await sql<Record<string, unknown>>(tx, INSERT_PAYMENT, [
    p.id,
    p.comuneId,
    p.cardId,
    p.accreditationId,
    p.cashierId,
    p.amountCents,
    p.category,
    JSON.stringify(p.transferIds),
    p.residualCents,
    p.ies?.cents ?? 0,
    p.ies?.transferId ?? null,
    p.ies ? 'HELD' : null,
  ]);
  return tx.map(Payment, inserted!);
}
