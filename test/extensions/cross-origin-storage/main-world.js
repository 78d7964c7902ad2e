/* global window, location */
// MAIN world, document_start: defines navigator.crossOriginStorage as the WICG explainer describes it
// (https://github.com/WICG/cross-origin-storage):
//   requestFileHandles([{ algorithm: 'SHA-256', value }], { create }) -> handles
//   read handles (create false): getFile() -> File; rejects NotFoundError unless every hash is stored
//   write handles (create true): createWritable() -> { write(Blob | BufferSource | string), close(), abort() }
// A test implementation for Hangar's end-to-end tests, not a polyfill: the bytes live in the
// extension's own storage, kept by content.js (ISOLATED world), reached through a MessagePort it hands over.
//
// The user's answer to the permission prompt is what the test sets (no prompt is shown):
//   window.crossOriginStorageTest.answer = 'grant' | 'deny' | 'never'   (reads; default from ?cos-answer=, else 'grant')
//   window.crossOriginStorageTest.createAnswer = 'grant' | 'deny' | 'never'   (create: true; default 'grant')
// 'deny' rejects with NotAllowedError, 'never' leaves the promise pending forever (a prompt nobody
// answers). window.crossOriginStorageTest also logs every call (calls) and lets a test list, clear
// or overwrite (tamper) the stored files.
(() => {
  const control = {
    answer: new URL(location.href).searchParams.get('cos-answer') ?? 'grant',
    createAnswer: 'grant',
    /** Every requestFileHandles call: { hashes, create, answer, outcome }. */
    calls: [],
  };

  let nextId = 0;
  const pending = new Map();
  let connectedOnce = false;
  const port = new Promise((resolve) => {
    window.addEventListener('message', (event) => {
      if (event.source !== window || event.data?.type !== 'hangar-cos-port' || event.ports.length !== 1) return;
      event.stopImmediatePropagation();
      const [connected] = event.ports;
      if (connectedOnce) {
        connected.close(); // content.js answered the hello too: one port is enough
        return;
      }
      connectedOnce = true;
      connected.onmessage = ({ data }) => {
        const call = pending.get(data.id);
        if (call === undefined) return;
        pending.delete(data.id);
        if (data.ok) call.resolve(data.value);
        else call.reject(data.name === 'TypeError' ? new TypeError(data.message) : new DOMException(data.message, data.name));
      };
      resolve(connected);
    });
    // content.js may run before or after this script: it sends a port when it starts and when asked.
    window.postMessage({ type: 'hangar-cos-hello' }, location.origin);
  });

  /** One request to the store (content.js). */
  async function store(op, args = {}) {
    const connected = await port;
    return new Promise((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, { resolve, reject });
      connected.postMessage({ id, op, ...args });
    });
  }

  /** The user's answer to the (imagined) prompt. */
  function prompt(answer) {
    if (answer === 'never') return new Promise(() => {});
    if (answer === 'deny')
      return Promise.reject(new DOMException('The user did not grant access to Cross-Origin Storage.', 'NotAllowedError'));
    return Promise.resolve();
  }

  function chunkOf(data) {
    if (data instanceof Blob) return data;
    if (typeof data === 'string') return new Blob([data]);
    if (ArrayBuffer.isView(data)) return new Blob([data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)]);
    if (data instanceof ArrayBuffer) return new Blob([data.slice(0)]);
    if (data !== null && typeof data === 'object' && data.type === 'write') return chunkOf(data.data);
    throw new TypeError('write() takes a Blob, a BufferSource or a string');
  }

  class CrossOriginStorageFileHandle {
    #hash;
    #writable;
    constructor(hash, writable) {
      this.#hash = { algorithm: hash.algorithm, value: hash.value };
      this.#writable = writable;
      this.kind = 'file';
      this.name = hash.value;
    }

    async getFile() {
      if (this.#writable) throw new DOMException('A handle requested with create: true can only be written.', 'NotAllowedError');
      const blob = await store('get', { hash: this.#hash });
      return new File([blob], this.#hash.value);
    }

    async createWritable() {
      if (!this.#writable) throw new DOMException('A handle requested without create: true can only be read.', 'NotAllowedError');
      const hash = this.#hash;
      let chunks = [];
      let state = 'open';
      const ensureOpen = () => {
        if (state !== 'open') throw new TypeError(`The writable is ${state}`);
      };
      return {
        async write(data) {
          ensureOpen();
          chunks.push(chunkOf(data));
        },
        async close() {
          ensureOpen();
          state = 'closed';
          const blob = new Blob(chunks);
          chunks = [];
          await store('put', { hash, blob, check: true });
        },
        async abort() {
          state = 'aborted';
          chunks = [];
        },
      };
    }
  }

  const crossOriginStorage = {
    async requestFileHandles(hashes, options = {}) {
      if (!Array.isArray(hashes) || hashes.length === 0) throw new TypeError('requestFileHandles takes a non-empty array of hashes');
      const create = options?.create === true;
      const call = {
        hashes: hashes.map((hash) => hash?.value),
        create,
        answer: create ? control.createAnswer : control.answer,
        outcome: 'pending',
      };
      control.calls.push(call);
      try {
        await prompt(call.answer);
        if (!create) {
          const found = await store('has', { hashes });
          if (found.some((present) => !present))
            throw new DOMException('A requested file is not in Cross-Origin Storage.', 'NotFoundError');
        }
        call.outcome = 'granted';
        return hashes.map((hash) => new CrossOriginStorageFileHandle(hash, create));
      } catch (error) {
        call.outcome = error.name;
        throw error;
      }
    },
  };

  Object.defineProperty(Navigator.prototype, 'crossOriginStorage', {
    configurable: true,
    enumerable: true,
    get() {
      return crossOriginStorage;
    },
  });

  Object.defineProperty(window, 'crossOriginStorageTest', {
    configurable: true,
    value: {
      get answer() {
        return control.answer;
      },
      set answer(value) {
        control.answer = value;
      },
      get createAnswer() {
        return control.createAnswer;
      },
      set createAnswer(value) {
        control.createAnswer = value;
      },
      get calls() {
        return control.calls;
      },
      /** The stored files: [{ key: 'SHA-256:<hex>', size }]. */
      list: () => store('list'),
      clear: () => store('clear'),
      /** Stores `blob` under `value` without checking it: a damaged or hostile shared copy. */
      tamper: (value, blob) => store('put', { hash: { algorithm: 'SHA-256', value }, blob, check: false }),
      /** Whether the store (content.js) is connected. */
      ready: () => port.then(() => true),
    },
  });
})();
