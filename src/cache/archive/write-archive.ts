import { blobKey } from '../../store/index.ts';
import { archiveError } from './archive-error.ts';
import { parseArchiveManifest, type ArchiveManifest } from './archive-manifest.ts';
import { encodeTarHeader, TAR_BLOCK } from './tar-header.ts';

const ZEROS = new Uint8Array(2 * TAR_BLOCK);

/**
 * Builds the archive, a ustar tar: `manifest.json`, then one `blobs/<blobKey>` entry per distinct hash of the
 * manifest, in order of first use. Blob bytes are not copied: the File is assembled from the Blobs themselves.
 * Throws StoreError ARCHIVE_INVALID when the manifest breaks the rules `readArchive` checks, or a blob
 * is missing from `blobs` or has the wrong size (`reason: 'mismatch'`). Blobs the manifest does not use are left out.
 */
export function writeArchive(manifest: ArchiveManifest, blobs: ReadonlyMap<string, Blob>, name?: string): File {
  const checked = parseArchiveManifest(manifest, Infinity);
  const mtime = Math.floor(Date.parse(checked.createdAt) / 1000);
  const parts: BlobPart[] = [];
  const add = (entryName: string, data: Blob | Uint8Array<ArrayBuffer>, size: number) => {
    parts.push(encodeTarHeader({ name: entryName, size, mtime }), data);
    const pad = (TAR_BLOCK - (size % TAR_BLOCK)) % TAR_BLOCK;
    if (pad) parts.push(ZEROS.subarray(0, pad));
  };

  const json = new TextEncoder().encode(JSON.stringify(checked));
  add('manifest.json', json, json.byteLength);
  const written = new Set<string>();
  for (const file of checked.files) {
    const key = blobKey(file.hash);
    if (written.has(key)) continue;
    written.add(key);
    const blob = blobs.get(key);
    if (!blob) throw archiveError('mismatch', `no blob ${key} for ${JSON.stringify(file.path)}`, { path: file.path, key });
    if (blob.size !== file.size) {
      throw archiveError('mismatch', `blob ${key} is ${blob.size} bytes, the manifest says ${file.size}`, {
        key,
        expected: file.size,
        actual: blob.size,
      });
    }
    add(`blobs/${key}`, blob, blob.size);
  }
  parts.push(ZEROS);
  const fileName = name ?? `${checked.repo.replaceAll('/', '--')}-${checked.commit.slice(0, 12)}.tar`;
  return new File(parts, fileName, { type: 'application/x-tar', lastModified: mtime * 1000 });
}
