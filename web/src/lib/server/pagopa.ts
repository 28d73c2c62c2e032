// pagoPA notices in the portal: the QR code image of a notice's payload, and the form's reading
// of an amount and a date. Used by the Comune's and the citizen's notice pages.
import QRCode from 'qrcode';
import { isDay } from '$lib/dates';

/**
 * The QR code of a notice's payload (`PAGOPA|002|…`) as an SVG data URI, rendered on the server
 * (no script in the page). Error correction M, as the Avviso di pagamento's QR code.
 */
export async function noticeQrImage(payload: string): Promise<string> {
  const svg = await QRCode.toString(payload, {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 4,
    color: { dark: '#000000', light: '#ffffff' },
  });
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

/** A date as typed (`31/01/2027`, `31-1-2027` or `2027-01-31`) as `yyyy-mm-dd`, or null. */
export function readDay(text: string): string | null {
  const trimmed = text.trim();
  if (isDay(trimmed)) return trimmed;
  const match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(trimmed);
  if (!match) return null;
  const day = `${match[3]}-${match[2]!.padStart(2, '0')}-${match[1]!.padStart(2, '0')}`;
  return isDay(day) ? day : null;
}
