import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TOKEN, startFakeHub, syntheticBytes, type FakeHub } from './index';

const KB = 1024;
const MODEL = 256 * KB;
const CONFIG = JSON.stringify({ filler: 'x'.repeat(5000) });
let hub: FakeHub;
let n = 0;

/** A fresh repo: model.onnx (LFS, CDN), config.json and small.bin (30 KB, LFS). */
function repo(): { id: string; model: Buffer; seed: number } {
  const seed = 1000 + ++n;
  const id = `faults/r${n}`;
  hub.addRepo({
    id,
    commits: [
      {
        files: {
          'model.onnx': { synthetic: { size: MODEL, seed } },
          'config.json': CONFIG,
          'small.bin': { synthetic: { size: 30 * KB, seed } },
        },
      },
    ],
  });
  return { id, model: syntheticBytes(seed, 0, MODEL), seed };
}

interface Read {
  body: Buffer;
  error?: unknown;
}

async function read(res: Response): Promise<Read> {
  const reader = res.body?.getReader();
  const parts: Uint8Array[] = [];
  try {
    for (;;) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) break;
      parts.push(chunk.value);
    }
    return { body: Buffer.concat(parts) };
  } catch (error) {
    return { body: Buffer.concat(parts), error };
  }
}

const get = (id: string, path: string, init?: RequestInit) => fetch(`${hub.url}/${id}/resolve/main/${path}`, init);

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  hub = await startFakeHub({ fixtures: false });
});
afterAll(async () => {
  await hub?.close();
});

describe('faults', () => {
  it('drop: sends N bytes then kills the connection (CDN and hub bytes)', async () => {
    const r = repo();
    hub.addFault({ repo: r.id, path: 'model.onnx', fault: { type: 'drop', afterBytes: 100_000 } });
    const res = await get(r.id, 'model.onnx');
    expect(res.status).toBe(200);
    const got = await read(res);
    expect(got.error).toBeDefined();
    expect(got.body.length).toBe(100_000);
    expect(got.body.equals(r.model.subarray(0, 100_000))).toBe(true);
    expect(hub.stats().files[`${r.id}/model.onnx`]).toMatchObject({ requests: 1, bytes: 100_000, statuses: [200] });
    const again = await read(await get(r.id, 'model.onnx'));
    expect(again.error).toBeUndefined();
    expect(again.body.equals(r.model)).toBe(true);

    hub.addFault({ repo: r.id, path: 'config.json', fault: { type: 'drop', afterBytes: 0 } });
    const small = await read(await get(r.id, 'config.json'));
    expect(small.error).toBeDefined();
    expect(small.body.length).toBe(0);
  });

  it('stall: sends N bytes then nothing until the client aborts', async () => {
    const r = repo();
    hub.addFault({ repo: r.id, path: 'model.onnx', fault: { type: 'stall', afterBytes: 1000 } });
    const abort = new AbortController();
    const res = await get(r.id, 'model.onnx', { signal: abort.signal });
    const reader = res.body?.getReader();
    let got = 0;
    while (got < 1000) got += (await reader?.read())?.value?.length ?? 0;
    expect(got).toBe(1000);
    const next = reader?.read().catch(() => 'aborted');
    const winner = await Promise.race([next, new Promise((r) => setTimeout(() => r('stalled'), 300))]);
    expect(winner).toBe('stalled');
    expect(hub.stats().inFlight).toBe(1);
    abort.abort();
    await until(() => hub.stats().inFlight === 0);
  });

  it('stall with ms: pauses, then sends the rest', async () => {
    const r = repo();
    hub.addFault({ repo: r.id, path: 'config.json', fault: { type: 'stall', afterBytes: 10, ms: 300 } });
    const t = Date.now();
    const got = await read(await get(r.id, 'config.json'));
    expect(Date.now() - t).toBeGreaterThanOrEqual(280);
    expect(got.body.toString()).toBe(CONFIG);
  });

  it('corrupt: flips the byte at a file offset, only when the range includes it', async () => {
    const r = repo();
    hub.addFault({ repo: r.id, path: 'model.onnx', fault: { type: 'corrupt', atByte: 5000 } });
    const clean = await read(await get(r.id, 'model.onnx', { headers: { Range: 'bytes=0-99' } }));
    expect(clean.body.equals(r.model.subarray(0, 100))).toBe(true);
    const part = await read(await get(r.id, 'model.onnx', { headers: { Range: 'bytes=4000-5999' } }));
    expect(part.body.length).toBe(2000);
    expect(part.body[1000]).toBe((r.model[5000] ?? 0) ^ 0xff);
    part.body[1000] = r.model[5000] ?? 0;
    expect(part.body.equals(r.model.subarray(4000, 6000))).toBe(true);
    const after = await read(await get(r.id, 'model.onnx'));
    expect(after.body.equals(r.model)).toBe(true);

    hub.addFault({ repo: r.id, path: 'config.json', fault: { type: 'corrupt', atByte: 0 } });
    const small = await read(await get(r.id, 'config.json'));
    expect(small.body.toString()).not.toBe(CONFIG);
    expect(createHash('sha256').update(small.body).digest('hex')).not.toBe(createHash('sha256').update(CONFIG).digest('hex'));
  });

  it('wrong-length: announces another Content-Length, sends the real bytes', async () => {
    const r = repo();
    hub.addFault({ repo: r.id, path: 'model.onnx', fault: { type: 'wrong-length', contentLength: MODEL + 100 } });
    const long = await get(r.id, 'model.onnx');
    expect(long.headers.get('content-length')).toBe(String(MODEL + 100));
    const got = await read(long);
    expect(got.error).toBeDefined();
    expect(got.body.equals(r.model)).toBe(true);

    hub.addFault({ repo: r.id, path: 'config.json', fault: { type: 'wrong-length', contentLength: 100 } });
    const short = await get(r.id, 'config.json');
    expect(short.headers.get('content-length')).toBe('100');
    expect((await read(short)).body.toString()).toBe(CONFIG.slice(0, 100));
    expect((await read(await get(r.id, 'config.json'))).body.toString()).toBe(CONFIG);
  });

  it('ignore-range: answers 200 with the whole file', async () => {
    const r = repo();
    hub.addFault({ repo: r.id, path: 'model.onnx', fault: { type: 'ignore-range' } });
    const res = await get(r.id, 'model.onnx', { headers: { Range: 'bytes=100-199' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-range')).toBeNull();
    expect((await read(res)).body.equals(r.model)).toBe(true);
    const next = await get(r.id, 'model.onnx', { headers: { Range: 'bytes=100-199' } });
    expect(next.status).toBe(206);
    await next.arrayBuffer();
  });

  it('status: answers the status with Retry-After, `times` times', async () => {
    const r = repo();
    hub.addFault({ repo: r.id, path: 'model.onnx', times: 2, fault: { type: 'status', status: 429, retryAfter: 2 } });
    for (let i = 0; i < 2; i++) {
      const res = await get(r.id, 'model.onnx');
      expect(res.status).toBe(429);
      expect(res.url.startsWith(hub.cdnUrl)).toBe(true);
      expect(res.headers.get('retry-after')).toBe('2');
      expect(((await res.json()) as { error: string }).error).toBeTruthy();
    }
    expect((await get(r.id, 'model.onnx')).status).toBe(200);
    expect(hub.stats().files[`${r.id}/model.onnx`]?.statuses).toEqual([429, 429, 200]);

    hub.addFault({ repo: r.id, path: 'config.json', fault: { type: 'status', status: 503 } });
    const small = await get(r.id, 'config.json');
    expect(small.status).toBe(503);
    expect(small.headers.get('access-control-expose-headers')).not.toMatch(/retry-after/i);
    await small.arrayBuffer();
  });

  it('origin selects hub, cdn or the bytes origin; API calls can fail too', async () => {
    const r = repo();
    hub.addFault({ repo: r.id, path: 'model.onnx', origin: 'hub', fault: { type: 'status', status: 502 } });
    const hubSide = await get(r.id, 'model.onnx', { redirect: 'manual' });
    expect(hubSide.status).toBe(502);
    expect(hubSide.headers.get('x-error-message')).toBeTruthy();
    expect((await get(r.id, 'model.onnx', { redirect: 'manual' })).status).toBe(302);
    hub.addFault({ repo: r.id, path: 'model.onnx', origin: 'cdn', fault: { type: 'status', status: 403 } });
    expect((await get(r.id, 'model.onnx')).status).toBe(403);
    hub.addFault({ repo: r.id, origin: 'hub', fault: { type: 'status', status: 503 } });
    expect((await fetch(`${hub.url}/api/models/${r.id}`)).status).toBe(503);
    expect((await fetch(`${hub.url}/api/models/${r.id}`)).status).toBe(200);
    hub.addFault({ repo: r.id, origin: 'cdn', fault: { type: 'status', status: 500 } });
    expect((await get(r.id, 'config.json')).status).toBe(200);
    expect((await get(r.id, 'model.onnx')).status).toBe(500);
  });

  it('matches repo and path exactly', async () => {
    const a = repo();
    const b = repo();
    hub.addFault({ repo: a.id, path: 'config.json', fault: { type: 'status', status: 500 } });
    expect((await get(b.id, 'config.json')).status).toBe(200);
    expect((await get(a.id, 'model.onnx')).status).toBe(200);
    expect((await get(a.id, 'config.json')).status).toBe(500);
  });

  it('HEAD takes status faults but leaves body faults for the GET', async () => {
    const r = repo();
    hub.addFault({ repo: r.id, path: 'config.json', fault: { type: 'drop', afterBytes: 10 } });
    const head = await get(r.id, 'config.json', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect((await read(await get(r.id, 'config.json'))).error).toBeDefined();
    hub.addFault({ repo: r.id, path: 'config.json', fault: { type: 'status', status: 500 } });
    expect((await get(r.id, 'config.json', { method: 'HEAD' })).status).toBe(500);
  });

  it('html: answers a captive-portal page with 200', async () => {
    const r = repo();
    hub.addFault({ repo: r.id, path: 'model.onnx', fault: { type: 'html' } });
    const res = await get(r.id, 'model.onnx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect((await res.text()).toLowerCase()).toContain('gateway login');
  });

  it('throttle: streams at the given rate', async () => {
    const r = repo();
    hub.addFault({ repo: r.id, path: 'small.bin', fault: { type: 'throttle', bytesPerSecond: 100 * KB } });
    const t = Date.now();
    const got = await read(await get(r.id, 'small.bin'));
    const ms = Date.now() - t;
    expect(got.body.equals(syntheticBytes(r.seed, 0, 30 * KB))).toBe(true);
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(2000);
  });

  it('times: 0 lasts until removed', async () => {
    const r = repo();
    const id = hub.addFault({ repo: r.id, path: 'config.json', times: 0, fault: { type: 'status', status: 500 } });
    for (let i = 0; i < 3; i++) expect((await get(r.id, 'config.json')).status).toBe(500);
    expect(hub.removeFault(id)).toBe(true);
    expect((await get(r.id, 'config.json')).status).toBe(200);
    expect(() => hub.addFault({ fault: { type: 'throttle', bytesPerSecond: 0 } })).toThrow();
  });
});

describe('stats', () => {
  it('counts requests, ranges, bytes and statuses per file on the origin serving bytes', async () => {
    const r = repo();
    await (await get(r.id, 'model.onnx')).arrayBuffer();
    await (await get(r.id, 'model.onnx', { headers: { Range: 'bytes=1000-' } })).arrayBuffer();
    await (await get(r.id, 'model.onnx', { headers: { Range: `bytes=${MODEL}-` } })).arrayBuffer();
    await (await get(r.id, 'config.json')).arrayBuffer();
    const s = hub.stats(r.id);
    expect(s.files[`${r.id}/model.onnx`]).toEqual({
      requests: 3,
      rangeRequests: 2,
      bytes: MODEL + MODEL - 1000,
      statuses: [200, 206, 416],
      inFlight: 0,
    });
    expect(s.files[`${r.id}/config.json`]).toEqual({ requests: 1, rangeRequests: 0, bytes: CONFIG.length, statuses: [200], inFlight: 0 });
    expect(s.requests.map((q) => `${q.origin} ${q.method} ${q.status}`)).toEqual([
      'hub GET 302',
      'cdn GET 200',
      'hub GET 302',
      'cdn GET 206',
      'hub GET 302',
      'cdn GET 416',
      'hub GET 307', // a small file: the relative redirect to the resolve cache, then its bytes
      'hub GET 200',
    ]);
    expect(s.requests[3]?.range).toBe('bytes=1000-');
  });

  it('tracks concurrent body streams', async () => {
    const r = repo();
    hub.reset();
    hub.addFault({ repo: r.id, path: 'small.bin', times: 3, fault: { type: 'throttle', bytesPerSecond: 60 * KB } });
    const downloads = [0, 1, 2].map(async () => (await read(await get(r.id, 'small.bin'))).body.length);
    await until(() => hub.stats().inFlight === 3);
    expect(hub.stats(r.id).files[`${r.id}/small.bin`]?.inFlight).toBe(3);
    expect(await Promise.all(downloads)).toEqual([30 * KB, 30 * KB, 30 * KB]);
    await until(() => hub.stats().inFlight === 0);
    expect(hub.stats().maxInFlight).toBe(3);
    expect(hub.stats(r.id).files[`${r.id}/small.bin`]?.inFlight).toBe(0);
  });

  it('counts Authorization headers reaching the CDN', async () => {
    const r = repo();
    const before = hub.stats().cdnAuthorizationSeen;
    const redirect = await get(r.id, 'model.onnx', { redirect: 'manual', headers: { Authorization: `Bearer ${DEFAULT_TOKEN}` } });
    const location = redirect.headers.get('location') ?? '';
    await (await fetch(location)).arrayBuffer();
    expect(hub.stats().cdnAuthorizationSeen).toBe(before);
    await (await fetch(location, { headers: { Authorization: `Bearer ${DEFAULT_TOKEN}` } })).arrayBuffer();
    expect(hub.stats().cdnAuthorizationSeen).toBe(before + 1);
    expect(hub.stats(r.id).requests.at(-1)).toMatchObject({ origin: 'cdn', authorization: `Bearer ${DEFAULT_TOKEN}`, status: 200 });
  });

  it('reset clears faults and stats but keeps repos', async () => {
    const r = repo();
    hub.addFault({ repo: r.id, times: 0, fault: { type: 'status', status: 500 } });
    await get(r.id, 'config.json');
    hub.reset();
    expect(hub.stats().files).toEqual({});
    expect(hub.stats().requests).toEqual([]);
    expect((await get(r.id, 'config.json')).status).toBe(200);
  });
});
