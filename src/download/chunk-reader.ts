const READ_BUFFER = 2 ** 20;

/**
 * Reads a body into one reused 1 MiB buffer (a BYOB reader), so memory stays flat instead of
 * piling up a fresh buffer per chunk until the next GC; falls back to the default reader.
 * `read(into)` reads into `into` instead (a buffer handed back by the hash thread), and the
 * reader keeps using it; a buffer the caller gave away is replaced by a new one.
 */
export function chunkReader(body: ReadableStream<Uint8Array>): ChunkReader {
  let byob: ReadableStreamBYOBReader;
  try {
    byob = body.getReader({ mode: 'byob' });
  } catch {
    const reader = body.getReader();
    return { read: () => reader.read(), cancel: () => reader.cancel().catch(() => {}) };
  }
  let buffer = new ArrayBuffer(READ_BUFFER);
  return {
    async read(into) {
      if (into !== undefined) buffer = into;
      // A transferred buffer is detached (byteLength 0).
      else if (buffer.byteLength === 0) buffer = new ArrayBuffer(READ_BUFFER);
      const result = await byob.read(new Uint8Array(buffer, 0, buffer.byteLength));
      if (result.value !== undefined) buffer = result.value.buffer;
      return result;
    },
    cancel: () => byob.cancel().catch(() => {}),
  };
}

/** A body being read, and how to let go of it when the attempt ends early. */
export interface ChunkReader {
  read(into?: ArrayBuffer): Promise<ReadableStreamReadResult<Uint8Array>>;
  cancel(): Promise<void>;
}
