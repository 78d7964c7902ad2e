import { createHash } from 'node:crypto';
import { closeSync, createReadStream, mkdirSync, openSync, readFileSync, readSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYNTHETIC_ALGORITHM, SYNTHETIC_BLOCK_SIZE, syntheticBlock, syntheticChunks } from './content';

/** Where file bytes come from once a FileSource has been normalised. */
export type ContentSource = { bytes: Uint8Array } | { synthetic: { size: number; seed: number } } | { diskPath: string };

/** A file's bytes and hashes; `chunks` streams an inclusive byte range without buffering the file. */
export interface BlobContent {
  size: number;
  sha256: string;
  /** Git blob sha1 of the bytes: sha1("blob <size>\0" + bytes). */
  gitSha1: string;
  chunks(start: number, end: number): AsyncIterable<Buffer> | Iterable<Buffer>;
}

interface Hashes {
  sha256: string;
  gitSha1: string;
}

/** Synthetic files at least this big get their hashes cached on disk. */
const DISK_CACHE_MIN_SIZE = 8 * 1024 * 1024;
const memo = new Map<string, Hashes>();

function hashStream(size: number, each: (feed: (b: Buffer) => void) => void): Hashes {
  const sha256 = createHash('sha256');
  const sha1 = createHash('sha1').update(`blob ${size}\0`);
  each((b) => {
    sha256.update(b);
    sha1.update(b);
  });
  return { sha256: sha256.digest('hex'), gitSha1: sha1.digest('hex') };
}

function syntheticHashes(seed: number, size: number, cacheDir: string | undefined): Hashes {
  const key = `synthetic:${seed}:${size}`;
  const known = memo.get(key);
  if (known) return known;
  const file = cacheDir && size >= DISK_CACHE_MIN_SIZE ? join(cacheDir, `${seed}-${size}.json`) : undefined;
  if (file) {
    try {
      const cached = JSON.parse(readFileSync(file, 'utf8')) as Partial<Hashes> & { algorithm?: string };
      if (cached.algorithm === SYNTHETIC_ALGORITHM && cached.sha256 && cached.gitSha1) {
        const hashes = { sha256: cached.sha256, gitSha1: cached.gitSha1 };
        memo.set(key, hashes);
        return hashes;
      }
    } catch {
      // not cached yet
    }
  }
  const hashes = hashStream(size, (feed) => {
    const blocks = Math.ceil(size / SYNTHETIC_BLOCK_SIZE);
    for (let b = 0; b < blocks; b++) {
      const block = syntheticBlock(seed, b);
      const rest = size - b * SYNTHETIC_BLOCK_SIZE;
      feed(rest < SYNTHETIC_BLOCK_SIZE ? block.subarray(0, rest) : block);
    }
  });
  memo.set(key, hashes);
  if (file && cacheDir) {
    try {
      mkdirSync(cacheDir, { recursive: true });
      writeFileSync(file, JSON.stringify({ algorithm: SYNTHETIC_ALGORITHM, seed, size, ...hashes }) + '\n');
    } catch {
      // a read-only cache only costs time
    }
  }
  return hashes;
}

function diskHashes(path: string, size: number, mtimeMs: number): Hashes {
  const key = `disk:${path}:${size}:${mtimeMs}`;
  const known = memo.get(key);
  if (known) return known;
  const hashes = hashStream(size, (feed) => {
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(1024 * 1024);
      let n: number;
      while ((n = readSync(fd, buf, 0, buf.length, null)) > 0) feed(buf.subarray(0, n));
    } finally {
      closeSync(fd);
    }
  });
  memo.set(key, hashes);
  return hashes;
}

function* sliceChunks(bytes: Buffer, start: number, end: number): Generator<Buffer> {
  for (let at = start; at <= end; at += SYNTHETIC_BLOCK_SIZE) {
    yield bytes.subarray(at, Math.min(end + 1, at + SYNTHETIC_BLOCK_SIZE));
  }
}

/**
 * Builds the BlobContent of a source, hashing it once (streamed, memoised per process; synthetic
 * files of 8 MiB and more are also cached as `<cacheDir>/<seed>-<size>.json`).
 */
export function blobContent(source: ContentSource, cacheDir?: string): BlobContent {
  if ('bytes' in source) {
    const bytes = Buffer.from(source.bytes);
    const hashes = hashStream(bytes.length, (feed) => feed(bytes));
    return { size: bytes.length, ...hashes, chunks: (start, end) => sliceChunks(bytes, start, end) };
  }
  if ('synthetic' in source) {
    const { size, seed } = source.synthetic;
    if (!Number.isSafeInteger(size) || size < 0) throw new Error(`invalid synthetic size ${size}`);
    if (!Number.isSafeInteger(seed)) throw new Error(`invalid synthetic seed ${seed}`);
    return { size, ...syntheticHashes(seed, size, cacheDir), chunks: (start, end) => syntheticChunks(seed, start, end) };
  }
  const path = realpathSync(source.diskPath);
  const st = statSync(path);
  if (!st.isFile()) throw new Error(`not a file: ${source.diskPath}`);
  const size = st.size;
  return {
    size,
    ...diskHashes(path, size, st.mtimeMs),
    chunks: (start, end) =>
      end < start ? [] : (createReadStream(path, { start, end, highWaterMark: SYNTHETIC_BLOCK_SIZE }) as AsyncIterable<Buffer>),
  };
}
