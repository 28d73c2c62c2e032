import { describe, expect, it } from 'vitest';
import { sniffDocumentType } from './documents.js';

describe('sniffDocumentType', () => {
  it('recognises PDF, JPEG and PNG by their first bytes, and nothing else', () => {
    expect(sniffDocumentType(Buffer.from('%PDF-1.4\n'))).toBe('application/pdf');
    expect(sniffDocumentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(
      sniffDocumentType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0])),
    ).toBe('image/png');
    expect(sniffDocumentType(Buffer.from('GIF89a'))).toBeUndefined();
    expect(sniffDocumentType(Buffer.from('%PD'))).toBeUndefined();
    expect(sniffDocumentType(Buffer.alloc(0))).toBeUndefined();
  });
});
