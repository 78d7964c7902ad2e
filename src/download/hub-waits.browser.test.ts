import { describe, expect, it } from 'vitest';
import { HangarError } from '../index.ts';
import { hub, managersClosedAfterEach, rejection, syntheticRepo } from '../../test/support/browser.ts';

const manager = managersClosedAfterEach();
const MiB = 2 ** 20;

describe('bounded waits', () => {
  it("a Retry-After longer than download.retryAfterMax fails at once with the server's error, instead of sleeping", async () => {
    const repo = await syntheticRepo('retry-after', { 'model.bin': MiB });
    await hub.addFault({ repo, path: 'model.bin', times: 0, fault: { type: 'status', status: 429, retryAfter: 3600 } });
    const mm = manager({ download: { retryAfterMax: '2s' } });
    const job = mm.download(repo);
    const delays: number[] = [];
    job.on('retry', (event) => delays.push(event.delayMs));
    const started = performance.now();
    const error = await rejection(job.done);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(error).toBeInstanceOf(HangarError);
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.message).toMatch(/asked to wait 3600 s.*download\.retryAfterMax \(2 s\)/);
    expect(error.details).toMatchObject({ retryAfterMs: 3_600_000 });
    expect(delays.every((delay) => delay <= 2000)).toBe(true);
  });

  it('a readable Retry-After on an API call is bounded the same way', async () => {
    const repo = await syntheticRepo('retry-after-api', { 'model.bin': 1024 });
    await hub.addFault({ repo, origin: 'hub', times: 0, fault: { type: 'status', status: 503, retryAfter: 3600, exposeRetryAfter: true } });
    const mm = manager({ download: { retryAfterMax: '2s' } });
    const error = await rejection(mm.download(repo).done);
    expect(error.code).toBe('HUB_UNAVAILABLE');
    expect(error.details).toMatchObject({ retryAfterMs: 3_600_000 });
  });

  it('download.timeout is wall-clock per file, waits between retries included', async () => {
    const repo = await syntheticRepo('timeout', { 'model.bin': MiB });
    await hub.addFault({ repo, path: 'model.bin', times: 0, fault: { type: 'status', status: 503 } });
    const mm = manager({ download: { timeout: '1500ms', retryDelay: '1s', retries: 10 } });
    const started = performance.now();
    const error = await rejection(mm.download(repo).done);
    const took = performance.now() - started;
    expect(error.code).toBe('TIMEOUT');
    expect((error.cause as HangarError).code).toBe('HUB_UNAVAILABLE');
    expect(took).toBeLessThan(5000);
  });

  it('an API answer that stalls half-way is abandoned after stallTimeout and fetched again', async () => {
    const repo = await syntheticRepo('api-stall', { 'model.bin': 1024 });
    await hub.addFault({ repo, origin: 'hub', times: 1, fault: { type: 'stall', afterBytes: 20 } });
    const mm = manager({ download: { stallTimeout: '1s' } });
    const job = mm.download(repo);
    const retried: string[] = [];
    job.on('retry', (event) => retried.push(event.error.code));
    const model = await job.done;
    expect(model.files.map((file) => file.path)).toEqual(['model.bin']);
    expect(retried).toEqual(['STALLED']);
  });
});

describe('listings are checked and fetched again when damaged', () => {
  it('a flipped byte in the tree answer is fetched again, and the download is whole', async () => {
    const repo = await syntheticRepo('flipped', { 'a.bin': 64 * 1024, 'b.json': '{"b":1}', 'c/d.json': '{"d":1}' });
    // Byte 40 falls inside the first entry's oid or path: the answer still parses but is not valid UTF-8.
    await hub.addFault({ repo, origin: 'hub', api: 'tree', fault: { type: 'corrupt', atByte: 40 } });
    const job = manager().download(repo);
    const retried: string[] = [];
    job.on('retry', (event) => retried.push(event.error.code));
    const model = await job.done;
    expect(model.files.map((file) => file.path).sort()).toEqual(['a.bin', 'b.json', 'c/d.json']);
    expect(retried).toEqual(['HUB_BAD_RESPONSE']);
  });

  it('one flipped bit anywhere in the tree answer never yields a wrong download: the listing is read again', async () => {
    const files = { 'a.bin': 64 * 1024, 'b.json': '{"b":1}', 'c/d.json': '{"d":1}' };
    const repo = await syntheticRepo('bit-flip', files);
    const mm = manager({ download: { retryDelay: '10ms' } });
    const truth = await mm.download(repo).done;
    const whole = (model: { files: unknown[] }): unknown =>
      [...model.files].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    await mm.cache.delete(repo);
    const answer = await (await fetch(`${hub.url}/api/models/${repo}/tree/${truth.commit}?recursive=true&expand=false`)).arrayBuffer();
    // Every 23rd byte (a prime, so the hits drift across fields): each field of each entry (type, oid, size, lfs, path)
    // and the JSON between them is hit somewhere.
    for (let atByte = 0; atByte < answer.byteLength; atByte += 23) {
      const fault = await hub.addFault({ repo, origin: 'hub', api: 'tree', fault: { type: 'corrupt', atByte, xor: 1 } });
      const model = await mm.download(repo).done.catch((error: unknown) => error);
      expect(model, `bit flipped at byte ${atByte} of ${answer.byteLength}`).not.toBeInstanceOf(Error);
      expect(whole(model as typeof truth), `bit flipped at byte ${atByte}`).toEqual(whole(truth));
      await hub.removeFault(fault);
      await mm.cache.delete(repo);
    }
  });

  it('a listed file the server does not have: the listing is read once more, then ENTRY_NOT_FOUND', async () => {
    const repo = await syntheticRepo('gone', { 'a.json': '{"a":1}', 'b.json': '{"b":1}' });
    await hub.reset();
    await hub.addFault({ repo, path: 'b.json', times: 0, fault: { type: 'status', status: 404 } });
    const error = await rejection(manager().download(repo).done);
    expect(error.code).toBe('ENTRY_NOT_FOUND');
    expect(error.details).toMatchObject({ path: 'b.json' });
    expect((await hub.stats()).requests.filter((request) => request.url.includes('/tree/'))).toHaveLength(2);
  });

  it('a Link that loops ends in HUB_BAD_RESPONSE after the retries, one request per page read', async () => {
    const id = `hangar-test/${Date.now().toString(36)}-loop`;
    await hub.addRepo({ id, listing: { link: 'self', pageSize: 1 }, commits: [{ files: { 'a.json': '{}', 'b.json': '{}' } }] });
    await hub.reset();
    const error = await rejection(manager({ download: { retries: 2 } }).download(id).done);
    expect(error.code).toBe('HUB_BAD_RESPONSE');
    expect((await hub.stats()).requests.filter((request) => request.url.includes('/tree/'))).toHaveLength(3);
  });
});
