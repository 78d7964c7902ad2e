import { createCipheriv, createHash } from 'node:crypto';

/** Synthetic content is generated in independent blocks of this many bytes. */
export const SYNTHETIC_BLOCK_SIZE = 64 * 1024;

/** Identifies the generator; stored with cached hashes so a change invalidates them. */
export const SYNTHETIC_ALGORITHM = 'aes-128-ctr/sha256(hangar-fake-hub:seed)/v1';

const ZERO = Buffer.alloc(SYNTHETIC_BLOCK_SIZE);
const keys = new Map<number, Buffer>();

function keyFor(seed: number): Buffer {
  let key = keys.get(seed);
  if (!key) {
    key = createHash('sha256').update(`hangar-fake-hub:${seed}`).digest().subarray(0, 16);
    keys.set(seed, key);
  }
  return key;
}

/**
 * Block `index` of the endless synthetic stream for `seed`: the AES-128-CTR keystream with
 * key = sha256("hangar-fake-hub:<seed>")[0..16) and counter = byte offset / 16, so any block
 * can be produced without the ones before it.
 */
export function syntheticBlock(seed: number, index: number): Buffer {
  const iv = Buffer.alloc(16);
  iv.writeBigUInt64BE(BigInt(index) * BigInt(SYNTHETIC_BLOCK_SIZE / 16), 8);
  return createCipheriv('aes-128-ctr', keyFor(seed), iv).update(ZERO);
}

/** Yields bytes [start, end] (inclusive) of the synthetic stream for `seed`, one block at most per chunk. */
export function* syntheticChunks(seed: number, start: number, end: number): Generator<Buffer> {
  if (end < start) return;
  const first = Math.floor(start / SYNTHETIC_BLOCK_SIZE);
  const last = Math.floor(end / SYNTHETIC_BLOCK_SIZE);
  for (let b = first; b <= last; b++) {
    const base = b * SYNTHETIC_BLOCK_SIZE;
    const block = syntheticBlock(seed, b);
    const from = Math.max(start, base) - base;
    const to = Math.min(end + 1, base + SYNTHETIC_BLOCK_SIZE) - base;
    yield from === 0 && to === SYNTHETIC_BLOCK_SIZE ? block : block.subarray(from, to);
  }
}

/** Bytes [start, start + length) of the synthetic stream for `seed`, as one buffer (for small reads). */
export function syntheticBytes(seed: number, start: number, length: number): Buffer {
  return Buffer.concat([...syntheticChunks(seed, start, start + length - 1)]);
}
