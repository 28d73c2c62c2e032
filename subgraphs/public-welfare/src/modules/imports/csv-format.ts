import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';

/**
 * How a CSV file is written, detected from its first bytes: the encodings registry software and
 * Excel produce (UTF-8 with or without BOM, UTF-16 with a BOM, Excel's classic "CSV" in
 * Windows-1252) and the separator of its header (`;` in the Italian Excel dialect, `,` or tab
 * elsewhere). Decoding uses the WHATWG `TextDecoder` of Node (full ICU, which Node's official
 * builds carry since v13): it knows every one of these encodings, so no extra dependency.
 */
export const FILE_ENCODINGS = [
  'UTF-8',
  'UTF-8-BOM',
  'UTF-16LE',
  'UTF-16BE',
  'WINDOWS-1252',
] as const;
export type FileEncoding = (typeof FILE_ENCODINGS)[number];

export const SEPARATORS = [';', ',', '\t'] as const;
export type Separator = (typeof SEPARATORS)[number];

export interface FileFormat {
  encoding: FileEncoding;
  separator: Separator;
}

/** Most bytes read before choosing the encoding and the separator (the first line is enough). */
export const SNIFF_BYTES = 64 * 1024;

const DECODER_LABEL: Record<FileEncoding, string> = {
  'UTF-8': 'utf-8',
  'UTF-8-BOM': 'utf-8',
  'UTF-16LE': 'utf-16le',
  'UTF-16BE': 'utf-16be',
  'WINDOWS-1252': 'windows-1252',
};

/** Raised when a file that held UTF-8 (or began with its BOM) then holds bytes that are not. */
export class MixedEncoding extends Error {
  constructor() {
    super('bytes not valid UTF-8 after the start of the file');
    this.name = 'MixedEncoding';
  }
}

/** The encoding of a file from its first bytes. */
export function detectEncoding(head: Buffer): FileEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'UTF-8-BOM';
  if (head[0] === 0xff && head[1] === 0xfe) return 'UTF-16LE';
  if (head[0] === 0xfe && head[1] === 0xff) return 'UTF-16BE';
  // UTF-16 without a BOM: text of ASCII letters has a zero byte in every other position.
  if (head.length >= 4) {
    let evenZeros = 0;
    let oddZeros = 0;
    const n = Math.min(head.length, 512) & ~1;
    for (let i = 0; i < n; i += 2) {
      if (head[i] === 0) evenZeros += 1;
      if (head[i + 1] === 0) oddZeros += 1;
    }
    if (evenZeros > n / 4 && oddZeros === 0) return 'UTF-16BE';
    if (oddZeros > n / 4 && evenZeros === 0) return 'UTF-16LE';
  }
  try {
    // The end cut off: a character cut at the end of the sniffed bytes is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, cutAt(head)));
    return 'UTF-8';
  } catch {
    return 'WINDOWS-1252';
  }
}

/**
 * The separator of a header line: the most frequent of `;`, `,` and tab outside quotes (`;`,
 * the Italian Excel dialect's, when none appears or on a tie with it).
 */
export function detectSeparator(headerLine: string): Separator {
  const counts = new Map<Separator, number>(SEPARATORS.map((s) => [s, 0]));
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch as Separator)) {
      counts.set(ch as Separator, counts.get(ch as Separator)! + 1);
    }
  }
  let best: Separator = ';';
  for (const s of SEPARATORS) if (counts.get(s)! > counts.get(best)!) best = s;
  return best;
}

const asBuffer = (chunk: unknown): Buffer =>
  Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), 'utf8');

/** Where a UTF-8 sequence cut at the end of `buf` begins (`buf.length` when none is cut). */
function cutAt(buf: Buffer): number {
  for (let i = buf.length - 1; i >= Math.max(0, buf.length - 3); i--) {
    const byte = buf[i]!;
    if (byte < 0x80) return buf.length;
    if (byte >= 0xc0) {
      const size = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return i + size > buf.length ? i : buf.length;
    }
  }
  return buf.length;
}

/**
 * Decodes a file that began as UTF-8 without a BOM. While it has been plain ASCII it may still
 * be Windows-1252 (Excel's "CSV" of an Italian name such as NICOLÒ on line 300): at the first
 * byte that is not UTF-8, a file that was ASCII so far switches to Windows-1252 (the same text
 * for ASCII); one that already held UTF-8 characters raises MixedEncoding.
 */
class Utf8OrWindows1252 {
  private pending = Buffer.alloc(0);
  private windows?: TextDecoder;
  private sawUtf8 = false;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly format: FileFormat) {}

  decode(chunk: Buffer, last: boolean): string {
    if (this.windows) return this.windows.decode(chunk, { stream: !last });
    const bytes = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const end = last ? bytes.length : cutAt(bytes);
    const whole = bytes.subarray(0, end);
    this.pending = Buffer.from(bytes.subarray(end));
    try {
      const text = this.utf8.decode(whole);
      if (!this.sawUtf8 && whole.some((b) => b >= 0x80)) this.sawUtf8 = true;
      return text;
    } catch {
      // UTF-8 characters already read, or valid ones in this very chunk: the file mixes both.
      const lenient = new TextDecoder('utf-8').decode(whole);
      if (this.sawUtf8 || [...lenient].some((ch) => ch > '\u007f' && ch !== '\ufffd'))
        throw new MixedEncoding();
      this.format.encoding = 'WINDOWS-1252';
      this.windows = new TextDecoder('windows-1252');
      return this.windows.decode(Buffer.concat([whole, this.pending]), { stream: !last });
    }
  }
}

/**
 * Opens a byte stream as text: reads its first line (at most SNIFF_BYTES), detects the encoding
 * and the separator, and returns them with the whole text (BOM removed) as it arrives, so rows
 * are read from the first one. `format` is the detection so far: a file taken for UTF-8 turns
 * to WINDOWS-1252 at its first byte that is not UTF-8 if it was ASCII until then. The text's
 * iterator raises MixedEncoding when a file that held UTF-8 then is not UTF-8, and the source's
 * own errors (an aborted or oversized upload); returning from it destroys the source.
 */
export async function openCsv(
  source: Readable,
): Promise<{ format: FileFormat; text: AsyncGenerator<string> }> {
  const bytes = source[Symbol.asyncIterator]() as AsyncIterator<unknown>;
  const head: Buffer[] = [];
  let size = 0;
  let ended = false;
  try {
    while (size < SNIFF_BYTES) {
      const next = await bytes.next();
      if (next.done) {
        ended = true;
        break;
      }
      const chunk = asBuffer(next.value);
      head.push(chunk);
      size += chunk.length;
      if (chunk.includes(0x0a) && size >= 4) break;
    }
  } catch (err) {
    await bytes.return?.();
    throw err;
  }
  const first = Buffer.concat(head);
  const format: FileFormat = { encoding: detectEncoding(first), separator: ';' };
  let decode: (chunk: Buffer, last: boolean) => string;
  if (format.encoding === 'UTF-8') {
    const decoder = new Utf8OrWindows1252(format);
    decode = (chunk, last) => decoder.decode(chunk, last);
  } else {
    const decoder = new TextDecoder(DECODER_LABEL[format.encoding], {
      fatal: format.encoding === 'UTF-8-BOM',
    });
    decode = (chunk, last) => {
      try {
        return decoder.decode(chunk, { stream: !last });
      } catch {
        throw new MixedEncoding();
      }
    };
  }
  const start = decode(first, ended);
  const newline = start.search(/\r?\n/);
  format.separator = detectSeparator(newline < 0 ? start : start.slice(0, newline));

  async function* text(): AsyncGenerator<string> {
    try {
      if (start) yield start;
      if (ended) return;
      for (;;) {
        const next = await bytes.next();
        if (next.done) break;
        const piece = decode(asBuffer(next.value), false);
        if (piece) yield piece;
      }
      const rest = decode(Buffer.alloc(0), true);
      if (rest) yield rest;
    } finally {
      await bytes.return?.();
    }
  }
  return { format, text: text() };
}
