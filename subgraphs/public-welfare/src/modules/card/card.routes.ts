import type { MikroORM } from '@mikro-orm/postgresql';
import type { SubgraphRoute } from '@welfare/kit/subgraph';
import { sendDomainError, sendFile } from '@welfare/kit/http';
import type { Campaign } from '../campaign/campaign.entity.js';
import { renderCardLettersPdf } from './card-letter.pdf.js';
import type { CardService, IssuedCard } from './card.service.js';

export interface CardRouteOptions {
  orm: MikroORM;
  cards: CardService;
}

/** The Comune's name on documents: the first line of the campaign's contacts (as receipts). */
function issuerOf(campaign: Campaign | null): string {
  if (!campaign) return 'Comune';
  return campaign.contacts.split('\n')[0]!.trim().slice(0, 120) || campaign.title;
}

const letters = (issued: IssuedCard[]) =>
  issued.map((i) => ({
    fiscalCode: i.fiscalCode,
    number: i.card.number,
    pin: i.pin,
    qrPayload: i.qrPayload,
    issuedAt: i.card.createdAt,
  }));

/**
 * The card routes (behind the gateway's token). The letters are rendered inside the issuing
 * transaction: if rendering fails nothing is issued, and the PINs exist only in the answer.
 * - `POST /files/cards/issue?campaignId=`: issues the cards still missing for the campaign's
 *   approved applications (staff of its Comune) and answers the PDF of exactly those new
 *   letters (200, header `x-cards-issued`), or 204 when every holder already has a live card.
 * - `POST /files/cards/replace?cardId=`: replaces the card and answers the new card's letter.
 */
export function cardRoutes(options: CardRouteOptions): Record<string, SubgraphRoute> {
  const issue: SubgraphRoute = async (req, res, verified) => {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      const result = await options.cards.issueForCampaign(
        options.orm.em.fork(),
        verified.caller,
        url.searchParams.get('campaignId') ?? '',
        (issued, campaign) =>
          renderCardLettersPdf({
            comuneName: issuerOf(campaign),
            campaignTitle: campaign.title,
            replacement: false,
            letters: letters(issued),
          }),
      );
      if (!result.output) {
        res.writeHead(204, { 'cache-control': 'no-store', 'x-cards-issued': '0' });
        res.end();
        return;
      }
      sendFile(res, {
        contentType: 'application/pdf',
        fileName: 'lettere-carte.pdf',
        content: result.output,
        headers: { 'x-cards-issued': String(result.issued.length) },
      });
    } catch (err) {
      sendDomainError(res, err);
    }
  };

  const replace: SubgraphRoute = async (req, res, verified) => {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const em = options.orm.em.fork();
    try {
      const result = await options.cards.replace(
        em,
        verified.caller,
        url.searchParams.get('cardId') ?? '',
        async (issued) => {
          const campaign = await options.cards.campaignOf(em.fork(), issued[0]!.card);
          return renderCardLettersPdf({
            comuneName: issuerOf(campaign),
            campaignTitle: null,
            replacement: true,
            letters: letters(issued),
          });
        },
      );
      sendFile(res, {
        contentType: 'application/pdf',
        fileName: 'lettera-carta-sostitutiva.pdf',
        content: result.output!,
        headers: { 'x-cards-issued': '1' },
      });
    } catch (err) {
      sendDomainError(res, err);
    }
  };

  return {
    'POST /files/cards/issue': issue,
    'POST /files/cards/replace': replace,
  };
}
