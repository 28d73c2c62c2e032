import QRCode from 'qrcode';
import { graphql } from '$lib/server/graphql';
import { requireViewer } from '$lib/server/guards';
import { CardMovementsQuery, MyBalanceQuery } from '$lib/server/money';
import type { PageServerLoad } from './$types';

const MyCardsQuery = graphql(`
  query MyCards {
    myCards {
      id
      number
      status
      blockReason
      qrPayload
      createdAt
      comune {
        id
        name
      }
    }
  }
`);

/** The QR code of a card's payload as an SVG data URI (rendered here: no script in the page). */
async function qrImage(payload: string): Promise<string> {
  const svg = await QRCode.toString(payload, {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 4,
    color: { dark: '#000000', light: '#ffffff' },
  });
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

/** "La mia carta": the person's live cards (by the codice fiscale of their login). */
export const load: PageServerLoad = async (event) => {
  const viewer = requireViewer(event);
  const [result, balance] = await Promise.all([
    event.locals.api(MyCardsQuery),
    event.locals.api(MyBalanceQuery),
  ]);
  const balances = (balance.data?.myCardBalance ?? []).map((b) => ({
    ...b,
    creditedCents: Number(b.creditedCents),
    spentCents: Number(b.spentCents),
    returnedCents: Number(b.returnedCents),
    availableCents: Number(b.availableCents),
  }));
  const titles = new Map(balances.map((b) => [b.campaignId, b.campaignTitle]));
  const cards = await Promise.all(
    (result.data?.myCards ?? []).map(async (card) => ({
      id: card.id,
      number: card.number,
      status: card.status,
      blockReason: card.blockReason,
      createdAt: card.createdAt,
      comuneName: card.comune.name,
      comuneId: card.comune.id,
      // A blocked card's QR code would be refused at the till: show it only when usable.
      qr: card.qrPayload && card.status === 'ACTIVE' ? await qrImage(card.qrPayload) : null,
      balances: balances.filter((b) => b.cardId === card.id),
      movements: (
        (await event.locals.api(CardMovementsQuery, { cardId: card.id })).data?.cardMovements ?? []
      ).map((mv) => ({
        id: mv.id,
        code: mv.code,
        amountCents: Number(mv.amountCents),
        at: mv.at,
        campaignTitle: titles.get(mv.campaignId) ?? '',
      })),
    })),
  );
  return {
    hasFiscalCode: Boolean(viewer.person.fiscalCode),
    cards,
    unavailable: result.unavailable || !result.data?.myCards,
    balanceUnavailable: balance.unavailable || !balance.data?.myCardBalance,
  };
};
