import { z } from 'zod';

/*
 * The IES card-fallback contract (ARCHITECTURE.md, "Money"): what the ies-circuit subgraph answers
 * to public-welfare's POS, service to service (`@welfare/kit/service`), and nobody else. A card
 * payment at a shop that accepts IES spends the voucher credit first and then the holder's IES, in
 * one authorisation, all or nothing: public-welfare holds the IES part here, commits the voucher
 * part in its own transaction, then captures the hold (or voids it when its own part failed).
 *
 * - `quote`: the holder's IES that can pay the shop (the circuit where the shop is an ACTIVE member
 *   accepting IES and the holder, by codice fiscale, an ACTIVE citizen member). No effect.
 * - `hold`: reserve `amountCents` of the holder's IES for the shop, idempotent by
 *   `authorisationId` (the same id again answers the same hold; with other terms it is a
 *   CONFLICT, reason AUTHORISATION_CONFLICT). A hold not captured in time lapses on its own.
 * - `capture`: post the hold (the IES reach the shop's wallet). Idempotent; refused (reason
 *   HOLD_EXPIRED / HOLD_NOT_PENDING) if it lapsed or was voided.
 * - `void`: void the hold. Idempotent; an unknown authorisation answers `UNKNOWN`; a captured one
 *   is refused (HOLD_NOT_PENDING).
 * - `authorisation`: its state as ies-circuit's book has it (the recovery job's question).
 *
 * Amounts are integer cents (1 IES = 1 euro).
 */

/** The paths of the card-fallback operations, under ies-circuit's base URL. */
export const IES_CARD_PATHS = {
  quote: '/internal/ies/card-fallback/quote',
  hold: '/internal/ies/card-fallback/hold',
  capture: '/internal/ies/card-fallback/capture',
  void: '/internal/ies/card-fallback/void',
  authorisation: '/internal/ies/card-fallback/authorisation',
} as const;

/** The refusal reasons of the card-fallback operations (`extensions.reason`). */
export const IES_CARD_REFUSALS = [
  'IES_NOT_ACCEPTED',
  'NOT_AN_IES_MEMBER',
  'INSUFFICIENT_IES',
  'AUTHORISATION_CONFLICT',
  'HOLD_EXPIRED',
  'HOLD_NOT_PENDING',
] as const;

const uuid = z.string().uuid();
const fiscalCode = z.string().regex(/^[A-Z0-9]{16}$/);

/** The quote's question: the card's holder and the shop (an identity Organisation). */
export const iesCardQuoteRequest = z.object({
  fiscalCode,
  shopOrganisationId: uuid,
});
export type IesCardQuoteRequest = z.infer<typeof iesCardQuoteRequest>;

/** What the holder's IES can pay the shop. */
export const iesCardQuoteResponse = z.object({
  /** The shop is an ACTIVE member accepting IES of a circuit where the holder is an ACTIVE member. */
  accepted: z.boolean(),
  circuitId: uuid.nullable(),
  /** The circuit's name (for the till and the receipt). */
  circuitName: z.string().nullable(),
  /** The most the holder's IES can pay the shop now (after the fee, when one applies), in cents. */
  spendableCents: z.number().int().min(0),
});
export type IesCardQuoteResponse = z.infer<typeof iesCardQuoteResponse>;

/** A hold of the IES part of a card authorisation. */
export const iesCardHoldRequest = z.object({
  /** The POS's authorisation (public-welfare's payment id): the hold's idempotency key. */
  authorisationId: uuid,
  fiscalCode,
  shopOrganisationId: uuid,
  /** The part of the sale paid with IES, in cents. */
  amountCents: z.number().int().min(1).max(100_000_000),
  /** How long the hold lasts if nobody captures or voids it (seconds, default 3600). */
  timeoutSeconds: z.number().int().min(1).max(86_400).optional(),
});
export type IesCardHoldRequest = z.infer<typeof iesCardHoldRequest>;

/** An authorisation named by its id (capture, void, state). */
export const iesCardAuthorisationRequest = z.object({ authorisationId: uuid });

export const IES_CARD_STATUSES = ['HELD', 'CAPTURED', 'VOIDED', 'EXPIRED', 'UNKNOWN'] as const;

/** The IES part of an authorisation, as ies-circuit's book has it. */
export const iesCardAuthorisation = z.object({
  authorisationId: uuid,
  status: z.enum(IES_CARD_STATUSES),
  /** The part of the sale paid with IES (0 when UNKNOWN). */
  amountCents: z.number().int().min(0),
  /** The circuit's fee of the movement (0 when exempt). */
  feeCents: z.number().int().min(0),
  /** The book transfer (the hold) that moves the IES to the shop's wallet. */
  transferId: uuid.nullable(),
  circuitId: uuid.nullable(),
  expiresAt: z.string().nullable(),
});
export type IesCardAuthorisation = z.infer<typeof iesCardAuthorisation>;
