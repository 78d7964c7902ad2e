import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HangarError, StoreError } from '../../errors/index.ts';
import type { FileHash } from '../../hub/index.ts';
import { blobKey } from '../../store/index.ts';
import { readArchive, writeArchive, type ArchiveLimits, type ArchiveManifest } from './index.ts';
import { encodeTarHeader, TAR_BLOCK } from './tar-header.ts';
import { decodeTarSize, encodeTarSize } from './tar-size.ts';

const COMMIT = 'a'.repeat(40);
const SHARED: FileHash = { algorithm: 'sha256', value: '1'.repeat(64) };
const CONFIG: FileHash = { algorithm: 'git-sha1', value: '2'.repeat(40) };
const BYTES = new Map<string, Uint8Array<ArrayBuffer>>([
  [blobKey(SHARED), bytes(1000, 7)],
  [blobKey(CONFIG), new TextEncoder().encode('{"model_type":"bert"}')],
]);

function bytes(length: number, seed: number): Uint8Array<ArrayBuffer> {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);
}

function manifest(overrides: Partial<ArchiveManifest> = {}): ArchiveManifest {
  return {
    format: 'hangar-archive',
    version: 1,
    createdAt: '2025-01-02T03:04:05.000Z',
    repo: 'org/model',
    commit: COMMIT,
    refs: ['main'],
    files: [
      { path: 'onnx/model.onnx', size: 1000, hash: SHARED },
      { path: 'config.json', size: BYTES.get(blobKey(CONFIG))!.length, hash: CONFIG },
      { path: 'onnx/model_copy.onnx', size: 1000, hash: SHARED },
    ],
    ...overrides,
  };
}

function blobs(): Map<string, Blob> {
  return new Map([...BYTES].map(([key, data]) => [key, new Blob([data])]));
}

/** Hand-built tar: each entry gets a valid header, padded data; two end blocks unless `end` is false. */
function tar(entries: Array<{ name: string; data: Uint8Array<ArrayBuffer> | string; typeflag?: string; size?: number }>, end = true): Blob {
  const parts: BlobPart[] = [];
  for (const entry of entries) {
    const data = typeof entry.data === 'string' ? new TextEncoder().encode(entry.data) : entry.data;
    parts.push(encodeTarHeader({ name: entry.name, size: entry.size ?? data.length, mtime: 0, typeflag: entry.typeflag ?? '0' }), data);
    parts.push(new Uint8Array((TAR_BLOCK - (data.length % TAR_BLOCK)) % TAR_BLOCK));
  }
  if (end) parts.push(new Uint8Array(2 * TAR_BLOCK));
  return new Blob(parts);
}

function manifestEntry(value: unknown = manifest()) {
  return { name: 'manifest.json', data: JSON.stringify(value) };
}

function blobEntries(m: ArchiveManifest = manifest()) {
  const keys = new Set(m.files.map((f) => blobKey(f.hash)));
  return [...keys].map((key) => ({ name: `blobs/${key}`, data: BYTES.get(key)! }));
}

async function rejection(archive: Blob, limits?: ArchiveLimits): Promise<StoreError> {
  const error = await readArchive(archive, limits).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreError);
  expect((error as HangarError).code).toBe('ARCHIVE_INVALID');
  expect((error as HangarError).message).toMatch(/^Invalid model archive: /);
  return error as StoreError;
}

async function mutate(archive: Blob, change: (data: Uint8Array) => void): Promise<Blob> {
  const data = new Uint8Array(await archive.arrayBuffer());
  change(data);
  return new Blob([data]);
}

describe('writeArchive / readArchive', () => {
  it('round-trips the manifest and locates every distinct blob', async () => {
    const file = writeArchive(manifest(), blobs());
    expect(file).toBeInstanceOf(File);
    expect(file.name).toBe(`org--model-${COMMIT.slice(0, 12)}.tar`);
    expect(file.type).toBe('application/x-tar');
    expect(file.size % TAR_BLOCK).toBe(0);

    const { manifest: read, entries } = await readArchive(file);
    expect(read).toEqual(manifest());
    expect(entries.map((e) => e.key)).toEqual([blobKey(SHARED), blobKey(CONFIG)]);
    for (const entry of entries) {
      expect(entry.hash).toEqual(entry.key === blobKey(SHARED) ? SHARED : CONFIG);
      expect(entry.offset % TAR_BLOCK).toBe(0);
      const slice = new Uint8Array(await file.slice(entry.offset, entry.offset + entry.size).arrayBuffer());
      expect(slice).toEqual(BYTES.get(entry.key));
    }
    // Header names fit the 100-byte name field: the ustar prefix field stays empty.
    const data = new Uint8Array(await file.arrayBuffer());
    for (const offset of [0, ...entries.map((e) => e.offset - TAR_BLOCK)]) {
      expect(data.subarray(offset + 345, offset + 500).every((b) => b === 0)).toBe(true);
      expect(data.subarray(offset, offset + 100).includes(0)).toBe(true);
    }
  });

  it('takes a custom name, leaves unused blobs out and refuses missing or wrong-sized blobs', async () => {
    const extra = blobs().set(blobKey({ algorithm: 'sha256', value: '9'.repeat(64) }), new Blob(['x']));
    const file = writeArchive(manifest(), extra, 'backup.tar');
    expect(file.name).toBe('backup.tar');
    expect((await readArchive(file)).entries).toHaveLength(2);

    const missing = blobs();
    missing.delete(blobKey(CONFIG));
    expect(() => writeArchive(manifest(), missing)).toThrow(
      expect.objectContaining({ code: 'ARCHIVE_INVALID', details: expect.objectContaining({ reason: 'mismatch' }) }),
    );
    const wrong = blobs().set(blobKey(CONFIG), new Blob(['short']));
    expect(() => writeArchive(manifest(), wrong)).toThrow(/manifest says/);
    expect(() => writeArchive(manifest({ repo: '../x' }), blobs())).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ reason: 'bad-manifest' }) }),
    );
  });

  it('accepts an empty snapshot', async () => {
    const { manifest: read, entries } = await readArchive(writeArchive(manifest({ files: [] }), new Map()));
    expect(read.files).toEqual([]);
    expect(entries).toEqual([]);
  });

  const hasTar = !spawnSync('tar', ['--version']).error;
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it.skipIf(!hasTar)('writes a tar that the system tar lists and extracts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hangar-archive-'));
    dirs.push(dir);
    const path = join(dir, 'model.tar');
    const file = writeArchive(manifest(), blobs());
    await writeFile(path, new Uint8Array(await file.arrayBuffer()));

    const list = spawnSync('tar', ['tvf', path], { encoding: 'utf8' });
    expect(list.status, list.stderr).toBe(0);
    expect(list.stderr).toBe('');
    const lines = list.stdout.trim().split('\n');
    expect(lines.map((line) => line.split(/\s+/).at(-1))).toEqual([
      'manifest.json',
      `blobs/${blobKey(SHARED)}`,
      `blobs/${blobKey(CONFIG)}`,
    ]);
    expect(lines[1]).toMatch(/^-rw-r--r-- 0\/0 +1000 2025-01-0[12] /);

    const out = join(dir, 'out');
    spawnSync('mkdir', [out]);
    const extract = spawnSync('tar', ['xf', path, '-C', out], { encoding: 'utf8' });
    expect(extract.status, extract.stderr).toBe(0);
    expect(JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'))).toEqual(manifest());
    expect(new Uint8Array(await readFile(join(out, 'blobs', blobKey(SHARED))))).toEqual(BYTES.get(blobKey(SHARED)));
  });
});

describe('tar size field', () => {
  it.each([0, 1, 511, 8 ** 11 - 1])('encodes %d as 11 octal digits and a NUL', (size) => {
    const field = encodeTarSize(size);
    expect(field).toHaveLength(12);
    expect(String.fromCharCode(...field)).toBe(`${size.toString(8).padStart(11, '0')}\0`);
    expect(decodeTarSize(field)).toBe(size);
  });

  it.each([8 ** 11, 9 * 2 ** 30, 64 * 2 ** 40, Number.MAX_SAFE_INTEGER])('encodes %d in GNU base-256', (size) => {
    const field = encodeTarSize(size);
    expect(field[0]).toBe(0x80);
    expect(field.subarray(1, 4).every((b) => b === 0)).toBe(true);
    expect(decodeTarSize(field)).toBe(size);
  });

  it('decodes base-256 big-endian and refuses negative, huge or malformed fields', () => {
    const field = new Uint8Array(12);
    field[0] = 0x80;
    field[9] = 0x02;
    field[11] = 0x05;
    expect(decodeTarSize(field)).toBe(2 * 65536 + 5);
    expect(decodeTarSize(Uint8Array.from({ length: 12 }, () => 0xff))).toBeUndefined();
    expect(decodeTarSize(Uint8Array.from({ length: 12 }, (_, i) => (i === 0 ? 0x80 : 0x7f)))).toBeUndefined();
    expect(decodeTarSize(new TextEncoder().encode('0000000009x\0'))).toBeUndefined();
    expect(decodeTarSize(new TextEncoder().encode('     1234 \0\0'))).toBe(0o1234);
    expect(() => encodeTarSize(-1)).toThrow(RangeError);
  });
});

describe('readArchive rejects', () => {
  it('a file that is not a tar (not-an-archive)', async () => {
    expect((await rejection(new Blob(['hello']))).details.reason).toBe('not-an-archive');
    expect((await rejection(new Blob([bytes(4096, 3)]))).details.reason).toBe('not-an-archive');
    // An empty tar (just the end blocks) holds no manifest: not one of ours.
    expect((await rejection(new Blob([new Uint8Array(1024)]))).details.reason).toBe('not-an-archive');
  });

  it('a flipped header checksum byte (bad-header)', async () => {
    const good = writeArchive(manifest(), blobs());
    const { entries } = await readArchive(good);
    const second = entries[0]!.offset - TAR_BLOCK;
    for (const at of [148 + 3, second + 150]) {
      const error = await rejection(await mutate(good, (data) => (data[at] = data[at] === 0x30 ? 0x31 : 0x30)));
      expect(error.details.reason).toBe('bad-header');
      expect(error.message).toMatch(/checksum/);
    }
  });

  it('a symlink, directory or pax entry (bad-header)', async () => {
    for (const typeflag of ['2', '1', '5', 'x', 'L']) {
      const error = await rejection(tar([manifestEntry(), { name: `blobs/${blobKey(SHARED)}`, data: '', typeflag }, ...blobEntries()]));
      expect(error.details).toMatchObject({ reason: 'bad-header', typeflag });
    }
  });

  it('a stray single zero block (bad-header)', async () => {
    const [first, ...rest] = blobEntries();
    const archive = new Blob([tar([manifestEntry(), first!], false), new Uint8Array(TAR_BLOCK), tar(rest)]);
    expect((await rejection(archive)).details.reason).toBe('bad-header');
  });

  it('a truncated archive (truncated)', async () => {
    const good = writeArchive(manifest(), blobs());
    const { entries } = await readArchive(good);
    const entry = entries[0]!;
    const cuts = [entry.offset + 10, entry.offset - 100, good.size - TAR_BLOCK, good.size - 2 * TAR_BLOCK];
    for (const cut of cuts) {
      const error = await rejection(good.slice(0, cut));
      expect(error.details.reason, `cut at ${cut}`).toBe('truncated');
    }
    expect((await rejection(tar([manifestEntry(), ...blobEntries()], false))).message).toMatch(/end-of-archive/);
  });

  it('an entry whose base-256 size runs past the end (truncated), or over maxEntryBytes (oversized)', async () => {
    const huge = 9 * 2 ** 30;
    const archive = tar([manifestEntry(), { name: `blobs/${blobKey(SHARED)}`, data: '', size: huge }]);
    expect((await rejection(archive)).details).toMatchObject({ reason: 'truncated', size: huge });
    expect((await rejection(archive, { maxEntryBytes: 2 ** 30 })).details).toMatchObject({ reason: 'oversized', size: huge });
  });

  it('entries over maxEntryBytes, manifests over maxManifestBytes and more files than maxFiles (oversized)', async () => {
    const good = writeArchive(manifest(), blobs());
    expect((await rejection(good, { maxEntryBytes: 999 })).details).toMatchObject({ reason: 'oversized', size: 1000, limit: 999 });
    expect((await rejection(good, { maxManifestBytes: 100 })).details).toMatchObject({ reason: 'oversized', limit: 100 });
    expect((await rejection(good, { maxFiles: 2 })).details).toMatchObject({ reason: 'oversized', files: 3, limit: 2 });
    await expect(readArchive(good, { maxEntryBytes: 1000, maxFiles: 3 })).resolves.toBeDefined();
  });

  it('unexpected or escaping entry names (unsafe-path)', async () => {
    const names = [
      '../../evil',
      'blobs/../x',
      '/abs',
      'blobs/sha256-abc',
      `blobs/${blobKey(SHARED)}/x`,
      `./blobs/${blobKey(SHARED)}`,
      'blobs/',
    ];
    for (const name of names) {
      const error = await rejection(tar([manifestEntry(), { name, data: 'x' }, ...blobEntries()]));
      expect(error.details, name).toMatchObject({ reason: 'unsafe-path', name });
    }
    const first = await rejection(tar([{ name: '../evil', data: 'x' }, manifestEntry(), ...blobEntries()]));
    expect(first.details.reason).toBe('unsafe-path');
  });

  it('a manifest path that could escape the snapshot (unsafe-path)', async () => {
    for (const path of ['../x', '/x', 'a/../../x', 'a//b', 'C:/x', 'a\\b']) {
      const m = manifest({ files: [{ path, size: 1000, hash: SHARED }] });
      const error = await rejection(tar([manifestEntry(m), ...blobEntries(m)]));
      expect(error.details, path).toMatchObject({ reason: 'unsafe-path', path });
    }
  });

  it('a missing, misplaced, unreadable or invalid manifest (bad-manifest)', async () => {
    const m = manifest();
    const withFiles = (files: unknown) => ({ ...m, files });
    const file = m.files[0]!;
    const cases: Array<[string, Blob]> = [
      ['no manifest', tar([...blobEntries()])],
      ['manifest second', tar([blobEntries()[0]!, manifestEntry(), ...blobEntries().slice(1)])],
      ['two manifests', tar([manifestEntry(), manifestEntry(), ...blobEntries()])],
      ['not JSON', tar([{ name: 'manifest.json', data: '{nope' }])],
      ['not UTF-8', tar([{ name: 'manifest.json', data: new Uint8Array([0x7b, 0xff, 0x7d]) }])],
      ['array', tar([manifestEntry([])])],
      ['format', tar([manifestEntry({ ...m, format: 'zip' })])],
      ['version', tar([manifestEntry({ ...m, version: 2 })])],
      ['createdAt', tar([manifestEntry({ ...m, createdAt: 'yesterday' })])],
      ['repo', tar([manifestEntry({ ...m, repo: 'org/../x' })])],
      ['commit', tar([manifestEntry({ ...m, commit: 'main' })])],
      ['refs', tar([manifestEntry({ ...m, refs: ['ok', 'bad ref'] })])],
      ['files', tar([manifestEntry(withFiles({}))])],
      ['algorithm', tar([manifestEntry(withFiles([{ ...file, hash: { algorithm: 'md5', value: '1'.repeat(32) } }]))])],
      ['hex length', tar([manifestEntry(withFiles([{ ...file, hash: { algorithm: 'sha256', value: '1'.repeat(40) } }]))])],
      ['hex case', tar([manifestEntry(withFiles([{ ...file, hash: { algorithm: 'sha256', value: 'A'.repeat(64) } }]))])],
      ['negative size', tar([manifestEntry(withFiles([{ ...file, size: -1 }]))])],
      ['fractional size', tar([manifestEntry(withFiles([{ ...file, size: 1.5 }]))])],
      ['string size', tar([manifestEntry(withFiles([{ ...file, size: '1000' }]))])],
      ['duplicate path', tar([manifestEntry(withFiles([file, file]))])],
      ['file and folder', tar([manifestEntry(withFiles([file, { ...file, path: 'onnx' }]))])],
      ['same hash, other size', tar([manifestEntry(withFiles([file, { ...file, path: 'b', size: 5 }]))])],
    ];
    for (const [label, archive] of cases) {
      const error = await rejection(archive);
      expect(error.details.reason, label).toBe('bad-manifest');
    }
  });

  it('blobs that do not match the manifest (mismatch)', async () => {
    const m = manifest();
    const [shared, config] = blobEntries(m);
    const stray = { name: `blobs/sha256-${'9'.repeat(64)}`, data: 'x' };
    const cases: Array<[string, Blob, RegExp]> = [
      ['missing blob', tar([manifestEntry(m), shared!]), /is missing/],
      ['extra blob', tar([manifestEntry(m), shared!, config!, stray]), /not used by the manifest/],
      ['duplicate blob', tar([manifestEntry(m), shared!, config!, shared!]), /appears twice/],
      ['wrong size', tar([manifestEntry(m), { ...shared!, data: bytes(999, 7) }, config!]), /999 bytes, the manifest says 1000/],
    ];
    for (const [label, archive, message] of cases) {
      const error = await rejection(archive);
      expect(error.details.reason, label).toBe('mismatch');
      expect(error.message, label).toMatch(message);
    }
  });
});
