// Italian/English labels of a card's status and block reason. Shared by the citizen's
// "La mia carta" and the Comune's card pages.
import { m } from '$lib/paraglide/messages';
import type { CardStatus } from './card-format';

export * from './card-format';

const STATUS: Record<CardStatus, () => string> = {
  ACTIVE: m.cards_status_active,
  BLOCKED: m.cards_status_blocked,
  REPLACED: m.cards_status_replaced,
};

const REASON: Record<string, () => string> = {
  PIN_LOCKED: m.cards_reason_pin_locked,
  LOST: m.cards_reason_lost,
  STOLEN: m.cards_reason_stolen,
  DAMAGED: m.cards_reason_damaged,
  SUSPECTED_MISUSE: m.cards_reason_suspected_misuse,
  HOLDER_REQUEST: m.cards_reason_holder_request,
  OTHER: m.cards_reason_other,
};

export const cardStatusLabel = (status: string): string =>
  (STATUS as Record<string, () => string>)[status]?.() ?? status;

export const blockReasonLabel = (reason: string): string => REASON[reason]?.() ?? reason;
