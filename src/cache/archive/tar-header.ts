import { archiveError } from './archive-error.ts';
import { formatOctal, parseOctal } from './tar-octal.ts';
import { decodeTarSize, encodeTarSize } from './tar-size.ts';

/** Size of a tar header and of the unit data is padded to. */
export const TAR_BLOCK = 512;

/** The fields of a tar header that Hangar uses. */
export interface TarHeader {
  name: string;
  size: number;
  typeflag: string;
}

const CHECKSUM = 148;
const MAGIC = 257;
const PREFIX = 345;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A ustar header block for a regular file (`typeflag` '0'), mode 0644, owner 0:0; names must fit in 100 bytes. */
export function encodeTarHeader(entry: { name: string; size: number; mtime: number; typeflag?: string }): Uint8Array<ArrayBuffer> {
  const block = new Uint8Array(TAR_BLOCK);
  const name = encoder.encode(entry.name);
  if (name.length === 0 || name.length > 100) throw new RangeError(`Tar entry name must be 1 to 100 bytes: ${entry.name}`);
  block.set(name, 0);
  writeAscii(block, 100, '0000644\0');
  writeAscii(block, 108, '0000000\0');
  writeAscii(block, 116, '0000000\0');
  block.set(encodeTarSize(entry.size), 124);
  writeAscii(block, 136, `${formatOctal(Math.min(Math.max(0, Math.floor(entry.mtime)), 8 ** 11 - 1), 11)}\0`);
  writeAscii(block, CHECKSUM, '        ');
  writeAscii(block, 156, entry.typeflag ?? '0');
  writeAscii(block, MAGIC, 'ustar\x0000');
  writeAscii(block, 329, '0000000\0');
  writeAscii(block, 337, '0000000\0');
  writeAscii(block, CHECKSUM, `${formatOctal(checksum(block), 6)}\0 `);
  return block;
}

/**
 * Parses a header block found at byte `offset`. Throws StoreError ARCHIVE_INVALID: `not-an-archive` when the
 * first block lacks the ustar magic, `bad-header` for a later one, a bad checksum or a malformed size.
 */
export function decodeTarHeader(block: Uint8Array, offset: number, first: boolean): TarHeader {
  const magic = String.fromCharCode(...block.subarray(MAGIC, MAGIC + 8));
  const posix = magic === 'ustar\x0000';
  if (!posix && magic !== 'ustar  \0') {
    if (first) throw archiveError('not-an-archive', 'not a tar file (no ustar header at the start)', { offset });
    throw archiveError('bad-header', `the block at byte ${offset} is not a ustar header`, { offset });
  }
  const stored = parseOctal(block.subarray(CHECKSUM, CHECKSUM + 8));
  const actual = checksum(block);
  if (stored !== actual) {
    throw archiveError('bad-header', `header checksum mismatch at byte ${offset}`, { offset, expected: stored ?? null, actual });
  }
  const size = decodeTarSize(block.subarray(124, 136));
  if (size === undefined) throw archiveError('bad-header', `malformed size field in the header at byte ${offset}`, { offset });
  const name = readString(block, 0, 100);
  const prefix = posix ? readString(block, PREFIX, 155) : '';
  return { name: prefix ? `${prefix}/${name}` : name, size, typeflag: String.fromCharCode(block[156] ?? 0) };
}

function checksum(block: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < TAR_BLOCK; i++) sum += i >= CHECKSUM && i < CHECKSUM + 8 ? 0x20 : (block[i] ?? 0);
  return sum;
}

function writeAscii(block: Uint8Array, at: number, text: string): void {
  for (let i = 0; i < text.length; i++) block[at + i] = text.charCodeAt(i);
}

function readString(block: Uint8Array, at: number, length: number): string {
  const field = block.subarray(at, at + length);
  const end = field.indexOf(0);
  return decoder.decode(end === -1 ? field : field.subarray(0, end));
}
