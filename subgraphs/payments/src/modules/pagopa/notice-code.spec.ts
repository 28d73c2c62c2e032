import { describe, expect, it } from 'vitest';
import {
  groupedNoticeNumber,
  isValidNoticeNumber,
  iuvCheckDigits,
  noticeCodes,
  qrPayload,
} from './notice-code.js';

// SACI 3.x, schema NAV.3 / IUV.3: check digits = (aux digit 3 ‖ codice segregazione ‖ IUV base)
// mod 93 on two digits. The expected values were worked out apart (Python big integers), not by
// this code.
const EXAMPLES = [
  { seg: '01', base: '0000000000001', check: '44', notice: '301000000000000144' },
  { seg: '01', base: '0000000000002', check: '45', notice: '301000000000000245' },
  { seg: '47', base: '1234567890123', check: '89', notice: '347123456789012389' },
  { seg: '00', base: '0000000000093', check: '03', notice: '300000000000009303' },
  { seg: '12', base: '9999999999999', check: '57', notice: '312999999999999957' },
];

describe('pagoPA notice codes (NAV.3)', () => {
  it('computes the IUV check digits modulo 93, on two digits', () => {
    for (const e of EXAMPLES) expect(iuvCheckDigits(e.seg, e.base)).toBe(e.check);
  });

  it('builds the 17-digit IUV and the 18-digit notice number of a sequence number', () => {
    for (const e of EXAMPLES) {
      const codes = noticeCodes(e.seg, Number(e.base));
      expect(codes.noticeNumber).toBe(e.notice);
      expect(codes.iuv).toBe(e.notice.slice(1));
      expect(codes.iuv).toHaveLength(17);
      expect(isValidNoticeNumber(codes.noticeNumber)).toBe(true);
    }
  });

  it('refuses a notice number with a wrong check digit, another aux digit or length', () => {
    expect(isValidNoticeNumber('301000000000000145')).toBe(false);
    expect(isValidNoticeNumber('001000000000000144')).toBe(false);
    expect(isValidNoticeNumber('30100000000000014')).toBe(false);
    expect(() => noticeCodes('01', 0)).toThrow();
    expect(() => noticeCodes('01', 10_000_000_000_000)).toThrow();
  });

  it('writes the QR payload of version 002, the amount in cents on at least two digits', () => {
    expect(qrPayload('301000000000000144', '80002190827', 2550)).toBe(
      'PAGOPA|002|301000000000000144|80002190827|2550',
    );
    expect(qrPayload('301000000000000144', '80002190827', 5)).toBe(
      'PAGOPA|002|301000000000000144|80002190827|05',
    );
    expect(() => qrPayload('301000000000000144', '8000219082', 100)).toThrow();
    expect(() => qrPayload('301000000000000144', '80002190827', 0)).toThrow();
  });

  it('groups the notice number by four digits as printed', () => {
    expect(groupedNoticeNumber('301000000000000144')).toBe('3010 0000 0000 0001 44');
  });
});
