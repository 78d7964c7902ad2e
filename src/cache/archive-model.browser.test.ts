import { describe, expect, it } from 'vitest';
import { StoreError, type ModelManager } from '../index.ts';
import { encodeTarHeader, TAR_BLOCK } from './archive/tar-header.ts';
import { blobKey } from '../store/index.ts';
import { corruptBlob, fileHash, hub, managersClosedAfterEach, storedNames, rejection, sha256 } from '../../test/support/browser.ts';

const manager = managersClosedAfterEach();
const TINY = 'hangar-test/tiny-multi';

async function exported(): Promise<{ archive: File; commit: string }> {
  const mm = manager();
  const model = await mm.download(TINY).done;
  return { archive: await mm.cache.export(TINY), commit: model.commit };
}

/** The store is untouched: no model, no blob, no partial. */
async function untouched(mm: ModelManager): Promise<void> {
  expect(await mm.cache.list()).toEqual([]);
  expect(await storedNames(mm.config.storeName, 'blobs')).toEqual([]);
  expect(await storedNames(mm.config.storeName, 'partials')).toEqual([]);
}

/** A tar of the given entries (name -> bytes), with the end blocks unless `end` is false. */
function tar(entries: Array<[string, Uint8Array]>, end = true): File {
  const parts: BlobPart[] = [];
  for (const [name, data] of entries) {
    parts.push(
      encodeTarHeader({ name, size: data.length, mtime: 0 }),
      data as Uint8Array<ArrayBuffer>,
      new Uint8Array((TAR_BLOCK - (data.length % TAR_BLOCK)) % TAR_BLOCK),
    );
  }
  if (end) parts.push(new Uint8Array(2 * TAR_BLOCK));
  return new File(parts, 'x.tar');
}

describe('export and import', () => {
  it('round-trips a model into a fresh store that then loads it offline, byte for byte', async () => {
    const { archive, commit } = await exported();
    expect(archive.name).toMatch(/\.tar$/);
    const fresh = manager();
    await hub.reset();
    const imported = await fresh.cache.import(archive);
    expect(imported.commit).toBe(commit);
    expect((await hub.stats()).requests).toEqual([]);
    const loaded = await fresh.cache.load(TINY);
    expect(loaded.files.length).toBe(5);
    for (const file of loaded.files) {
      const stored = await fresh.cache.file(TINY, file.path);
      expect(await fileHash(stored, file.hash.algorithm)).toBe(file.hash.value);
    }
    expect((await fresh.cache.verify()).bad).toEqual([]);
    const [model] = await fresh.cache.list();
    expect(model!.revisions[0]!.refs).toEqual(['main']);
  });

  it('importing into a store that has the blobs already writes nothing twice', async () => {
    const mm = manager();
    const model = await mm.download(TINY).done;
    // In memory: the exported File reads the stored blobs lazily, and one of them is about to change.
    const exported = await mm.cache.export(TINY);
    const archive = new File([await exported.arrayBuffer()], exported.name);
    const before = await storedNames(mm.config.storeName, 'blobs');
    // Mark one stored blob (same size, other bytes): a blob written again by the import would lose the mark.
    const marked = model.files.reduce((a, b) => (b.size > a.size ? b : a));
    await corruptBlob(mm.config.storeName, blobKey(marked.hash), 10, new Uint8Array([1, 2, 3]));
    await mm.cache.import(archive);
    expect(await storedNames(mm.config.storeName, 'blobs')).toEqual(before);
    const { bad } = await mm.cache.verify(TINY);
    expect(bad.map((problem) => problem.key)).toEqual([blobKey(marked.hash)]);
  });

  it('export of a revision not stored is NOT_CACHED', async () => {
    await expect(manager().cache.export(TINY)).rejects.toMatchObject({ code: 'NOT_CACHED' });
  });

  it.each<[string, (archive: File) => Promise<File> | File, string]>([
    ['truncated', (a) => new File([a.slice(0, a.size - 3000)], 'cut.tar'), 'truncated'],
    [
      'a blob with a changed byte',
      async (a) => {
        const bytes = new Uint8Array(await a.arrayBuffer());
        const at = bytes.length - 2 * TAR_BLOCK - 700; // inside the last blob's data
        bytes[at] = bytes[at]! ^ 0xff;
        return new File([bytes], 'bad.tar');
      },
      'bad-hash',
    ],
    ['not a tar at all', () => new File(['<html>gateway login</html>'.repeat(40)], 'page.html'), 'not-an-archive'],
  ])('rejects %s and leaves the store untouched', async (_name, spoil, reason) => {
    const { archive } = await exported();
    const fresh = manager();
    const error = await rejection(fresh.cache.import(await spoil(archive)));
    expect(error).toBeInstanceOf(StoreError);
    expect(error.code).toBe('ARCHIVE_INVALID');
    expect(error.details?.reason).toBe(reason);
    await untouched(fresh);
  });

  it('rejects path traversal in the manifest and in entry names, and oversized entries', async () => {
    const fresh = manager();
    const data = new TextEncoder().encode('hello');
    const hash = { algorithm: 'sha256', value: await sha256(new Blob([data])) };
    const manifest = (path: string) =>
      new TextEncoder().encode(
        JSON.stringify({
          format: 'hangar-archive',
          version: 1,
          createdAt: new Date().toISOString(),
          repo: 'org/m',
          commit: 'a'.repeat(40),
          refs: [],
          files: [{ path, size: 5, hash }],
        }),
      );
    const traversal = tar([
      ['manifest.json', manifest('../../escape.txt')],
      [`blobs/sha256-${hash.value}`, data],
    ]);
    expect((await rejection(fresh.cache.import(traversal))).details?.reason).toBe('unsafe-path');
    const evilEntry = tar([
      ['manifest.json', manifest('ok.txt')],
      ['../../evil', data],
    ]);
    expect((await rejection(fresh.cache.import(evilEntry))).details?.reason).toBe('unsafe-path');
    const huge = new Uint8Array(encodeTarHeader({ name: `blobs/sha256-${hash.value}`, size: 2 ** 40, mtime: 0 }));
    const oversized = new File([tar([['manifest.json', manifest('ok.txt')]], false), huge], 'huge.tar');
    const error = await rejection(fresh.cache.import(oversized));
    expect(['oversized', 'truncated']).toContain(error.details?.reason);
    await untouched(fresh);
  });
});
