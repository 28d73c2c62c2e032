import {
  IES_CARD_PATHS,
  iesCardAuthorisation,
  iesCardQuoteResponse,
  type IesCardAuthorisation,
  type IesCardHoldRequest,
  type IesCardQuoteResponse,
} from '@welfare/kit/contracts';
import { ServiceClient } from '@welfare/kit/service';

/*
 * The card's fallback (issue 17, item 5): what the POS asks the ies-circuit subgraph, through the
 * IES card contract (`@welfare/kit/contracts`, service to service). The holder's IES pay the part of
 * a card payment beyond the voucher credit, at a shop that accepts IES. A refusal is a
 * `ServiceRefusal` (with the contract's `reason`), anything unreadable an `OutcomeUnknown`.
 */

/** The IES part of card payments, as ies-circuit answers it. */
export interface IesCardPort {
  quote(fiscalCode: string, shopOrganisationId: string): Promise<IesCardQuoteResponse>;
  hold(request: IesCardHoldRequest): Promise<IesCardAuthorisation>;
  capture(authorisationId: string): Promise<IesCardAuthorisation>;
  void(authorisationId: string): Promise<IesCardAuthorisation>;
  authorisation(authorisationId: string): Promise<IesCardAuthorisation>;
}

/** How this subgraph reaches ies-circuit (from the config). */
export interface IesCardPeerSettings {
  /** This subgraph's service signing key (Ed25519 JWK JSON). */
  privateKey: string;
  /** ies-circuit's base URL (`SERVICE_URL_IES_CIRCUIT`). */
  url: string;
  /** Give up waiting after this long (the outcome is then unknown). Default 3 s. */
  timeoutMs?: number;
}

/** The IES card contract as the `public-welfare` service. */
export function iesCardClient(settings: IesCardPeerSettings): IesCardPort {
  const client = new ServiceClient({
    service: 'public-welfare',
    privateKey: settings.privateKey,
    audience: 'ies-circuit',
    baseUrl: settings.url,
    timeoutMs: settings.timeoutMs ?? 3_000,
  });
  const of = (path: string) => (authorisationId: string) =>
    client.call(path, { authorisationId }, iesCardAuthorisation);
  return {
    quote: (fiscalCode, shopOrganisationId) =>
      client.call(IES_CARD_PATHS.quote, { fiscalCode, shopOrganisationId }, iesCardQuoteResponse),
    hold: (request) => client.call(IES_CARD_PATHS.hold, request, iesCardAuthorisation),
    capture: of(IES_CARD_PATHS.capture),
    void: of(IES_CARD_PATHS.void),
    authorisation: of(IES_CARD_PATHS.authorisation),
  };
}
