import type { ServerResponse } from 'node:http';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { SubgraphRoute } from '@welfare/kit';
import { sendDomainError } from '@welfare/kit/http';
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

function sendPdf(res: ServerResponse, pdf: Buffer, fileName: string, count: number) {
  res.writeHead(200, {
    'content-type': 'application/pdf',
    'content-length': String(pdf.length),
    'content-disposition': `attachment; filename="${fileName}"`,
    'cache-control': 'no-store',
    'x-cards-issued': String(count),
  });
  res.end(pdf);
}

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
      sendPdf(res, result.output, 'lettere-carte.pdf', result.issued.length);
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
      sendPdf(res, result.output!, 'lettera-carta-sostitutiva.pdf', 1);
    } catch (err) {
      sendDomainError(res, err);
    }
  };

  return {
    'POST /files/cards/issue': issue,
    'POST /files/cards/replace': replace,
  };
}
