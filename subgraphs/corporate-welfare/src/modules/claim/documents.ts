// A copy of third-sector's `modules/shared/documents.ts` (subgraphs never import each other): if
// it moves into the kit, use the kit's and delete this file.

const SIGNATURES: { type: string; bytes: number[] }[] = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
];

/** The content type of a PDF, JPEG or PNG file (by its first bytes); undefined for anything else. */
export function sniffDocumentType(content: Buffer): string | undefined {
  return SIGNATURES.find((s) => s.bytes.every((b, i) => content[i] === b))?.type;
}
