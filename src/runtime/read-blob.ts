/** Above this, a Blob is streamed into a preallocated buffer rather than read with `arrayBuffer()`. */
const LARGE = 2 ** 30;

/**
 * The bytes of a stored file for ONNX Runtime. Below 1 GiB the Blob itself (ORT reads it with one
 * `arrayBuffer()`); above, one `arrayBuffer()` here (ORT would stream it), or where the browser
 * cannot allocate an ArrayBuffer that large, its stream copied into a WebAssembly.Memory the way
 * ORT reads large URLs. Much faster than handing ORT a blob: URL (measured: 512 MiB of external
 * data ready in 2.1 s instead of 4.2 s).
 */
export async function readForOrt(blob: Blob): Promise<Blob | Uint8Array> {
  if (blob.size < LARGE) return blob;
  try {
    return new Uint8Array(await blob.arrayBuffer());
  } catch {
    // Too large for one ArrayBuffer in this browser: stream it into a wasm memory instead.
  }
  let buffer: ArrayBuffer;
  try {
    buffer = new ArrayBuffer(blob.size);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const pages = Math.ceil(blob.size / 65536);
    buffer = new WebAssembly.Memory({ initial: pages, maximum: pages }).buffer;
  }
  const bytes = new Uint8Array(buffer, 0, blob.size);
  const reader = blob.stream().getReader();
  let offset = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    bytes.set(chunk.value, offset);
    offset += chunk.value.byteLength;
  }
  return bytes;
}
