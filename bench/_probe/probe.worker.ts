import { createSHA256 } from 'hash-wasm';

interface Req { url: string; write: boolean; hash: boolean; ckpt: boolean; store: string; mode: 'fetch' | 'hashmem'; chunk: number }

self.onmessage = async (e: MessageEvent<Req>) => {
  const q = e.data;
  try {
    if (q.mode === 'hashmem') {
      const h = await createSHA256();
      const buf = new Uint8Array(8 * 2 ** 20);
      for (let i = 0; i < buf.length; i++) buf[i] = (i * 2654435761) >>> 24;
      const per: number[] = [];
      for (let round = 0; round < 8; round++) {
        const t = performance.now();
        for (let k = 0; k < 8; k++) for (let at = 0; at < buf.length; at += q.chunk) h.update(buf.subarray(at, at + q.chunk));
        per.push(Math.round(64 * 2 ** 20 / 1e6 / ((performance.now() - t) / 1000)));
      }
      h.digest('hex');
      postMessage({ ok: true, mbpsPer64MiB: per });
      return;
    }
    const h = await createSHA256(); h.init();
    let handle: FileSystemSyncAccessHandle | undefined;
    if (q.write) {
      const root = await navigator.storage.getDirectory();
      const dir = await root.getDirectoryHandle(q.store, { create: true });
      const fh = await dir.getFileHandle('p.bin', { create: true });
      handle = await fh.createSyncAccessHandle();
    }
    const t0 = performance.now();
    const res = await fetch(q.url, { cache: 'no-store' });
    const reader = res.body!.getReader();
    let off = 0, n = 0, readMs = 0, writeMs = 0, hashMs = 0, ckptMs = 0, lastCk = 0;
    const sizes = new Map<number, number>();
    const tFirst = performance.now();
    for (;;) {
      let t = performance.now();
      const { done, value } = await reader.read();
      readMs += performance.now() - t;
      if (done) break;
      n++;
      const b = 2 ** Math.ceil(Math.log2(value.byteLength));
      sizes.set(b, (sizes.get(b) ?? 0) + 1);
      if (handle) { t = performance.now(); handle.write(value, { at: off }); writeMs += performance.now() - t; }
      if (q.hash) { t = performance.now(); h.update(value); hashMs += performance.now() - t; }
      off += value.byteLength;
      if (q.ckpt && off - lastCk >= 8 * 2 ** 20) { t = performance.now(); handle?.flush(); h.save(); ckptMs += performance.now() - t; lastCk = off; }
    }
    if (q.hash) h.digest('hex');
    const totalMs = performance.now() - t0;
    handle?.close();
    postMessage({ ok: true, bytes: off, totalMs: Math.round(totalMs), headersMs: Math.round(tFirst - t0), MBps: Math.round(off / 1e6 / (totalMs / 1000)), chunks: n, avgChunkKiB: Math.round(off / n / 1024), readWaitMs: Math.round(readMs), writeMs: Math.round(writeMs), hashMs: Math.round(hashMs), ckptMs: Math.round(ckptMs), sizes: Object.fromEntries([...sizes].sort((a, b) => a[0] - b[0])) });
  } catch (err) { postMessage({ ok: false, error: String(err) }); }
};
