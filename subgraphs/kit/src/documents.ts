// The documents people upload (a provider's accreditation papers, an employer's welfare plan
// regulation, an employee's receipts) are PDF, JPEG or PNG, recognised by their first bytes and
// never by the name or content type the browser sent.

const SIGNATURES: { type: string; bytes: number[] }[] = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
];

/** The content types a document may have: PDF, JPEG or PNG. */
export const DOCUMENT_TYPES = SIGNATURES.map((s) => s.type);

/** The content type of a PDF, JPEG or PNG file (by its first bytes); undefined for anything else. */
export function sniffDocumentType(content: Buffer): string | undefined {
  return SIGNATURES.find((s) => s.bytes.every((b, i) => content[i] === b))?.type;
}
