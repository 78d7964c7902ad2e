import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import type { ServerResponse } from 'node:http';
import type { Fault } from './faults';
import { whenReleased } from './holds';

/** How to stream one response body. */
export interface BodyStream {
  res: ServerResponse;
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>;
  /** File offset of the first body byte (where `corrupt` counts from). */
  fileOffset: number;
  fault?: Fault;
  /** Called with each count of bytes handed to the socket. */
  onBytes?: (n: number) => void;
  /** Marks the stream as in flight; returns the function that ends it. */
  track?: () => () => void;
  /** Compress the body with gzip on its way out (faults and `onBytes` see the file's own bytes). */
  gzip?: boolean;
}

function closeAfterFlush(res: ServerResponse): void {
  res.flushHeaders();
  const socket = res.socket;
  if (!socket) return;
  socket.end(() => socket.destroy());
}

/**
 * Streams a body whose head is already written, with backpressure, applying the body faults
 * (drop, stall, corrupt, wrong-length, throttle); stops when the client goes away.
 */
export async function streamBody(o: BodyStream): Promise<void> {
  const { res, fault } = o;
  const untrack = o.track?.() ?? (() => {});
  let closed = res.destroyed;
  const gone = new Promise<void>((resolve) => {
    if (closed) resolve();
    res.once('close', () => {
      closed = true;
      untrack();
      resolve();
    });
  });
  const sleep = (ms: number) =>
    Promise.race([
      gone,
      new Promise<void>((resolve) => {
        const t = setTimeout(resolve, ms);
        void gone.then(() => clearTimeout(t));
      }),
    ]);
  // With gzip the file's bytes go through a compressor piped into the response; faults act on them before it.
  const zip = o.gzip === true ? createGzip() : undefined;
  zip?.pipe(res);
  const out: NodeJS.WritableStream = zip ?? res;
  /** Sends what the compressor holds, so the client sees every byte written so far (before a drop or a stall). */
  const flushZip = (): Promise<void> => new Promise((resolve) => (zip === undefined ? resolve() : zip.flush(() => resolve())));
  const write = async (buf: Buffer) => {
    if (closed || buf.length === 0) return;
    const ok = out.write(buf);
    o.onBytes?.(buf.length);
    if (!ok) await Promise.race([once(out as NodeJS.EventEmitter, 'drain'), gone]);
  };

  let written = 0;
  let stallDone = false;
  let startedAt = 0;
  try {
    for await (const raw of o.chunks) {
      if (closed) return;
      let chunk = raw;
      if (fault?.type === 'corrupt') {
        const at = fault.atByte - (o.fileOffset + written);
        if (at >= 0 && at < chunk.length) {
          chunk = Buffer.from(chunk);
          chunk[at] = (chunk[at] ?? 0) ^ (fault.xor ?? 0xff);
        }
      }
      if (
        (fault?.type === 'drop' || ((fault?.type === 'stall' || fault?.type === 'hold') && !stallDone)) &&
        written + chunk.length >= fault.afterBytes
      ) {
        const head = chunk.subarray(0, fault.afterBytes - written);
        await write(head);
        written += head.length;
        await flushZip();
        if (fault.type === 'drop') {
          if (fault.lingerMs) await sleep(fault.lingerMs);
          if (!closed) closeAfterFlush(res);
          return;
        }
        res.flushHeaders();
        if (fault.type === 'hold') {
          await Promise.race([gone, whenReleased(fault.name)]);
          if (closed) return;
        } else if (fault.ms === undefined) {
          await gone;
          return;
        } else await sleep(fault.ms);
        stallDone = true;
        chunk = chunk.subarray(head.length);
      }
      if (fault?.type === 'throttle') {
        const bps = fault.bytesPerSecond;
        const slice = Math.max(1, Math.min(16384, Math.floor(bps / 20)));
        if (!startedAt) startedAt = Date.now();
        // Wait before a slice, not after: once the last byte is out the response ends, as a real server's would.
        for (let at = 0; at < chunk.length && !closed; at += slice) {
          const wait = startedAt + (written / bps) * 1000 - Date.now();
          if (wait > 0) await sleep(wait);
          const part = chunk.subarray(at, at + slice);
          await write(part);
          written += part.length;
        }
      } else {
        await write(chunk);
        written += chunk.length;
      }
    }
    if (closed) return;
    if (fault?.type === 'wrong-length') closeAfterFlush(res);
    else if (zip) await new Promise<void>((resolve) => zip.end(resolve));
    else res.end();
    untrack();
  } catch {
    res.destroy();
  } finally {
    untrack();
  }
}
