import type { FileHash } from '../../hub/index.ts';
import { blobKey } from '../../store/index.ts';
import { archiveError } from './archive-error.ts';
import { parseArchiveManifest, type ArchiveManifest } from './archive-manifest.ts';
import { decodeTarHeader, TAR_BLOCK } from './tar-header.ts';

/** An entry located in the archive: hash or stream `file.slice(offset, offset + size)` to get its bytes. */
export interface ArchiveEntry {
  /** The blob key, `sha256-<hex>` or `git-sha1-<hex>`. */
  key: string;
  hash: FileHash;
  offset: number;
  size: number;
}

/** Caps on what `readArchive` accepts. */
export interface ArchiveLimits {
  /**
   * Largest `manifest.json`.
   * @default 16 MiB
   */
  maxManifestBytes?: number;
  /**
   * Largest entry.
   * @default 64 GiB
   */
  maxEntryBytes?: number;
  /**
   * Most files in the manifest.
   * @default 100 000
   */
  maxFiles?: number;
}

const MANIFEST = 'manifest.json';
const BLOB_NAME = /^blobs\/(sha256-[0-9a-f]{64}|git-sha1-[0-9a-f]{40})$/;

/**
 * Parses and validates the archive's structure, reading only its headers and manifest (blob contents are
 * not hashed here). Throws StoreError ARCHIVE_INVALID with `details.reason`: `not-an-archive`, `bad-header`,
 * `truncated`, `bad-manifest`, `unsafe-path`, `mismatch` or `oversized`.
 */
export async function readArchive(file: Blob, limits: ArchiveLimits = {}): Promise<{ manifest: ArchiveManifest; entries: ArchiveEntry[] }> {
  const maxManifestBytes = limits.maxManifestBytes ?? 16 * 2 ** 20;
  const maxEntryBytes = limits.maxEntryBytes ?? 64 * 2 ** 30;
  const maxFiles = limits.maxFiles ?? 100_000;
  if (file.size < TAR_BLOCK) throw archiveError('not-an-archive', `${file.size} bytes is too small for a tar file`, { size: file.size });

  let manifest: ArchiveManifest | undefined;
  const expected = new Map<string, { hash: FileHash; size: number }>();
  const entries: ArchiveEntry[] = [];
  for (let offset = 0; ;) {
    if (offset + TAR_BLOCK > file.size) {
      throw archiveError(
        'truncated',
        offset === file.size ? 'the end-of-archive blocks are missing' : `the file ends inside the header at byte ${offset}`,
        { offset },
      );
    }
    const block = await readBlock(file, offset);
    if (isZero(block)) {
      if (offset === 0) throw archiveError('not-an-archive', 'not a tar file (starts with a zero block)', { offset });
      if (offset + 2 * TAR_BLOCK > file.size) throw archiveError('truncated', 'the second end-of-archive block is missing', { offset });
      if (!isZero(await readBlock(file, offset + TAR_BLOCK)))
        throw archiveError('bad-header', `stray zero block at byte ${offset}`, { offset });
      break;
    }
    const header = decodeTarHeader(block, offset, offset === 0);
    const { name, size } = header;
    if (size > maxEntryBytes) {
      throw archiveError('oversized', `entry ${JSON.stringify(name)} is ${size} bytes, more than the limit of ${maxEntryBytes}`, {
        name,
        size,
        limit: maxEntryBytes,
      });
    }
    const dataOffset = offset + TAR_BLOCK;
    if (dataOffset + size > file.size) {
      throw archiveError('truncated', `entry ${JSON.stringify(name)} runs past the end of the file`, {
        name,
        offset: dataOffset,
        size,
        fileSize: file.size,
      });
    }
    if (header.typeflag !== '0' && header.typeflag !== '\0') {
      throw archiveError(
        'bad-header',
        `entry ${JSON.stringify(name)} has type ${JSON.stringify(header.typeflag)}; only regular files are allowed`,
        { name, typeflag: header.typeflag },
      );
    }
    const blobMatch = BLOB_NAME.exec(name);
    if (name !== MANIFEST && !blobMatch) throw archiveError('unsafe-path', `unexpected entry name ${JSON.stringify(name)}`, { name });

    if (!manifest) {
      if (name !== MANIFEST) throw archiveError('bad-manifest', `the first entry is ${JSON.stringify(name)}, not manifest.json`, { name });
      if (size > maxManifestBytes) {
        throw archiveError('oversized', `manifest.json is ${size} bytes, more than the limit of ${maxManifestBytes}`, {
          size,
          limit: maxManifestBytes,
        });
      }
      manifest = parseArchiveManifest(await readJson(file.slice(dataOffset, dataOffset + size)), maxFiles);
      for (const { hash, size: fileSize } of manifest.files) expected.set(blobKey(hash), { hash, size: fileSize });
    } else if (!blobMatch?.[1]) {
      throw archiveError('bad-manifest', `a second manifest.json at byte ${offset}`, { offset });
    } else {
      const key = blobMatch[1];
      const want = expected.get(key);
      if (!want) {
        const duplicate = entries.some((entry) => entry.key === key);
        throw archiveError('mismatch', duplicate ? `blob ${key} appears twice` : `blob ${key} is not used by the manifest`, { key });
      }
      if (size !== want.size)
        throw archiveError('mismatch', `blob ${key} is ${size} bytes, the manifest says ${want.size}`, {
          key,
          expected: want.size,
          actual: size,
        });
      expected.delete(key);
      entries.push({ key, hash: want.hash, offset: dataOffset, size });
    }
    offset = dataOffset + Math.ceil(size / TAR_BLOCK) * TAR_BLOCK;
  }

  if (!manifest) throw archiveError('bad-manifest', 'manifest.json is missing');
  const [missing] = expected.keys();
  if (missing !== undefined) {
    const path = manifest.files.find((f) => blobKey(f.hash) === missing)?.path;
    throw archiveError('mismatch', `blob ${missing} for ${JSON.stringify(path)} is missing`, {
      key: missing,
      path,
      missing: expected.size,
    });
  }
  return { manifest, entries };
}

async function readBlock(file: Blob, offset: number): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(offset, offset + TAR_BLOCK).arrayBuffer());
}

function isZero(block: Uint8Array): boolean {
  return block.every((byte) => byte === 0);
}

async function readJson(blob: Blob): Promise<unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await blob.arrayBuffer());
  } catch (error) {
    throw archiveError('bad-manifest', 'manifest.json is not UTF-8', {}, error);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw archiveError('bad-manifest', 'manifest.json is not valid JSON', {}, error);
  }
}
