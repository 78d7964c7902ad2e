import { openDB } from 'idb';
import { META_VERSION, type BlobRecord, type MetaSchema, type RefRecord, type SnapshotRecord } from '../src/store/meta-db.ts';

/** Paths of every synthetic model: a transformers.js-style repo of 20 files. */
const PATHS = [
  'config.json',
  'generation_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'preprocessor_config.json',
  'README.md',
  'onnx/model.onnx',
  'onnx/model.onnx_data',
  'onnx/model_fp16.onnx',
  'onnx/model_fp16.onnx_data',
  'onnx/model_q4.onnx',
  'onnx/model_q4f16.onnx',
  'onnx/model_quantized.onnx',
  'onnx/model_int8.onnx',
  'onnx/model_uint8.onnx',
  'onnx/model_bnb4.onnx',
  'onnx/decoder_model_merged.onnx',
  'onnx/encoder_model.onnx',
  'onnx/embed_tokens.onnx',
];
/** Files an odd model shares with the model before it (2 of 20: the same tokenizer). */
const SHARED = new Set(['tokenizer.json', 'tokenizer_config.json']);
const MODELS_PER_TX = 100;
const OPFS_CONCURRENCY = 32;
const ONE_BYTE = new Uint8Array([0x2a]);

/** `length` hex digits, unique per `id` (its first 8 digits), pseudo-random after (mulberry32). */
function hex(id: number, salt: number, length: number): string {
  let out = (id >>> 0).toString(16).padStart(8, '0');
  let state = (Math.imul(id, 0x9e3779b1) ^ salt) >>> 0;
  while (out.length < length) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out += ((t ^ (t >>> 14)) >>> 0).toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}

/** Snapshots, refs and blob records of `models` models; least recently used in a shuffled order. */
function records(models: number, now: number): { snapshots: SnapshotRecord[]; refs: RefRecord[]; blobs: BlobRecord[] } {
  const snapshots: SnapshotRecord[] = [];
  const refs: RefRecord[] = [];
  const blobs: BlobRecord[] = [];
  for (let i = 0; i < models; i++) {
    const repo = `bench-org/model-${String(i).padStart(5, '0')}`;
    const commit = hex(i, 0xc0ffee, 40);
    const lastUsed = now - ((i * 7919) % models) * 1000;
    const previous = snapshots[i - 1];
    const files: SnapshotRecord['files'] = {};
    for (const path of PATHS) {
      const shared = i % 2 === 1 ? previous?.files[path] : undefined;
      if (shared !== undefined && SHARED.has(path)) {
        files[path] = shared;
        continue;
      }
      const value = hex(blobs.length, 0x5eed, 64);
      files[path] = { size: 1, hash: { algorithm: 'sha256', value } };
      blobs.push({ key: `sha256-${value}`, size: 1, createdAt: lastUsed });
    }
    snapshots.push({ repo, commit, files, createdAt: lastUsed, lastUsed, pinned: false });
    refs.push({ repo, ref: 'main', commit, updatedAt: lastUsed });
  }
  return { snapshots, refs, blobs };
}

async function writeMeta(storeName: string, data: ReturnType<typeof records>): Promise<void> {
  const db = await openDB<MetaSchema>(`${storeName}-meta`, META_VERSION);
  try {
    for (let start = 0; start < data.snapshots.length; start += MODELS_PER_TX) {
      // As the store's own writers do: each transaction also stamps the repos it writes.
      const tx = db.transaction(['snapshots', 'refs', 'blobs', 'stamps'], 'readwrite');
      const snapshots = data.snapshots.slice(start, start + MODELS_PER_TX);
      const keys = new Set(snapshots.flatMap((s) => Object.values(s.files).map((file) => `sha256-${file.hash.value}`)));
      await Promise.all([
        ...snapshots.map((snapshot) => tx.objectStore('snapshots').put(snapshot)),
        ...data.refs.slice(start, start + MODELS_PER_TX).map((ref) => tx.objectStore('refs').put(ref)),
        ...data.blobs.filter((blob) => keys.has(blob.key)).map((blob) => tx.objectStore('blobs').put(blob)),
        ...snapshots.map((snapshot) => tx.objectStore('stamps').put('seeded', snapshot.repo)),
        tx.done,
      ]);
    }
  } finally {
    db.close();
  }
}

async function writeBlobFiles(storeName: string, keys: string[]): Promise<void> {
  const root = await navigator.storage.getDirectory();
  const dir = await (await root.getDirectoryHandle(storeName)).getDirectoryHandle('blobs');
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let key = keys[next++]; key !== undefined; key = keys[next++]) {
      const writable = await (await dir.getFileHandle(key, { create: true })).createWritable();
      await writable.write(ONE_BYTE);
      await writable.close();
    }
  };
  await Promise.all(Array.from({ length: OPFS_CONCURRENCY }, worker));
}

/**
 * Fills an existing (schema v2) store with `models` models of 20 files without downloading:
 * records in a few big transactions, a 1-byte OPFS file per blob (blob sizes are 1).
 */
export async function seedStore(storeName: string, models: number): Promise<{ files: number; blobs: number }> {
  const data = records(models, Date.now());
  await writeMeta(storeName, data);
  await writeBlobFiles(
    storeName,
    data.blobs.map((blob) => blob.key),
  );
  return { files: models * PATHS.length, blobs: data.blobs.length };
}
