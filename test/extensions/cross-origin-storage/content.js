/* global chrome, window */
// ISOLATED world, document_start: the store of the test Cross-Origin Storage. Files live in the
// extension's own storage (chrome.storage.local, one storage for the extension whatever the site),
// so every site sees the same files. An extension page embedded as an iframe was tried first: its
// IndexedDB is third-party storage there, and Chromium refuses it ("The user denied permission to
// access the database"). chrome.storage holds JSON, so bytes are kept as base64 in 1 MiB pieces:
//   cos:<key>      -> { size, pieces, version, storedAt }     cos:<key>@<version>:<i> -> base64 of piece i
// where <key> is "SHA-256:<lowercase hex>". A put writes a new version's pieces, then the record,
// then drops the old pieces: a reader never sees a file half written. The page's MAIN world (main-world.js) talks to this
// script over a MessagePort (Blobs cross it as they are):
//   { id, op: 'has', hashes }            -> [true | false, ...]
//   { id, op: 'get', hash }              -> Blob (NotFoundError when absent)
//   { id, op: 'put', hash, blob, check } -> stores blob; with check (the API's path) its SHA-256 must match
//   { id, op: 'list' }                   -> [{ key, size }]
//   { id, op: 'clear' }                  -> removes every file
// Replies are { id, ok: true, value } or { id, ok: false, name, message }.
(() => {
  const PIECE = 2 ** 20;
  const storage = chrome.storage.local;

  function keyOf(hash) {
    if (typeof hash !== 'object' || hash === null || typeof hash.value !== 'string' || typeof hash.algorithm !== 'string')
      throw new TypeError('A hash is { algorithm, value }');
    if (hash.algorithm.toUpperCase() !== 'SHA-256') throw new DOMException(`Unsupported algorithm ${hash.algorithm}`, 'NotSupportedError');
    if (!/^[0-9a-fA-F]{64}$/.test(hash.value)) throw new TypeError(`Not a SHA-256 hex digest: ${hash.value}`);
    return `SHA-256:${hash.value.toLowerCase()}`;
  }

  async function sha256(bytes) {
    const digest = await crypto.subtle.digest('SHA-256', bytes);
    return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  }

  function toBase64(bytes) {
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(binary);
  }

  function fromBase64(text) {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  const pieceNames = (key, meta) => Array.from({ length: meta.pieces }, (_, i) => `cos:${key}@${meta.version}:${i}`);

  const ops = {
    async has({ hashes }) {
      const keys = hashes.map((hash) => `cos:${keyOf(hash)}`);
      const found = await storage.get(keys);
      return keys.map((key) => found[key] !== undefined);
    },
    async get({ hash }) {
      const key = keyOf(hash);
      const meta = (await storage.get(`cos:${key}`))[`cos:${key}`];
      if (meta === undefined) throw new DOMException(`No file ${hash.value} in Cross-Origin Storage`, 'NotFoundError');
      const parts = [];
      for (const name of pieceNames(key, meta)) parts.push(fromBase64((await storage.get(name))[name]));
      return new Blob(parts);
    },
    async put({ hash, blob, check }) {
      const key = keyOf(hash);
      if (!(blob instanceof Blob)) throw new TypeError('Expected a Blob');
      const bytes = new Uint8Array(await blob.arrayBuffer());
      if (check) {
        const actual = await sha256(bytes);
        if (actual !== hash.value.toLowerCase())
          throw new DOMException(`The bytes written hash to ${actual}, not ${hash.value}`, 'InvalidModificationError');
      }
      const old = (await storage.get(`cos:${key}`))[`cos:${key}`];
      const meta = { size: bytes.length, pieces: Math.ceil(bytes.length / PIECE), version: crypto.randomUUID(), storedAt: Date.now() };
      const names = pieceNames(key, meta);
      for (let i = 0; i < names.length; i++) await storage.set({ [names[i]]: toBase64(bytes.subarray(i * PIECE, (i + 1) * PIECE)) });
      await storage.set({ [`cos:${key}`]: meta });
      if (old !== undefined) await storage.remove(pieceNames(key, old));
      return undefined;
    },
    async list() {
      const all = await storage.get(null);
      return Object.entries(all)
        .filter(([name]) => /^cos:SHA-256:[0-9a-f]{64}$/.test(name))
        .map(([name, meta]) => ({ key: name.slice(4), size: meta.size }));
    },
    async clear() {
      const all = await storage.get(null);
      await storage.remove(Object.keys(all).filter((name) => name.startsWith('cos:')));
      return undefined;
    },
  };

  /** Hands the MAIN world a port to this store (again when it asks: it may start after this script). */
  function connect() {
    const channel = new MessageChannel();
    channel.port1.onmessage = async ({ data }) => {
      try {
        const op = ops[data.op];
        if (op === undefined) throw new DOMException(`Unknown operation ${data.op}`, 'NotSupportedError');
        channel.port1.postMessage({ id: data.id, ok: true, value: await op(data) });
      } catch (error) {
        channel.port1.postMessage({ id: data.id, ok: false, name: error?.name ?? 'Error', message: error?.message ?? String(error) });
      }
    };
    window.postMessage({ type: 'hangar-cos-port' }, window.location.origin, [channel.port2]);
  }

  window.addEventListener('message', (event) => {
    if (event.source === window && event.data?.type === 'hangar-cos-hello') connect();
  });
  connect();
})();
