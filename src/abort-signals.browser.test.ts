import { describe, expect, it } from 'vitest';
import { AbortError } from './index.ts';
import { managersClosedAfterEach, rejection, syntheticRepo } from '../test/support/browser.ts';
import { benchmark, createSession, validate } from './runtime/index.ts';

const manager = managersClosedAfterEach();
const MiB = 2 ** 20;
const VAD = 'hangar-test/silero-vad';

/** A signal that aborts `ms` after the call starts. */
function abortAfter(ms: number): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), ms);
  return controller.signal;
}

function expectAborted(error: Error): void {
  expect(error).toBeInstanceOf(AbortError);
  expect((error as AbortError).code).toBe('ABORTED');
}

describe('every long call stops on its AbortSignal, with AbortError', () => {
  it('verify() stops in the middle of hashing one large blob, in the worker', async () => {
    const repo = await syntheticRepo('verify-abort', { 'big.bin': 24 * MiB });
    const mm = manager();
    await mm.download(repo).done;
    expectAborted(await rejection(mm.cache.verify(repo, { signal: abortAfter(30) })));
    expect((await mm.cache.verify(repo)).bad).toEqual([]);
  });

  it('import() stops in the middle of an archive blob, and the store has nothing of it', async () => {
    const repo = await syntheticRepo('import-abort', { 'big.bin': 24 * MiB });
    const source = manager();
    await source.download(repo).done;
    const archive = await source.cache.export(repo);
    const target = manager();
    expectAborted(await rejection(target.cache.import(archive, { signal: abortAfter(30) })));
    expect(await target.cache.list()).toEqual([]);
  });

  it('export() and clean() stop on an aborted signal, changing nothing', async () => {
    const repo = await syntheticRepo('export-abort', { 'a.bin': MiB });
    const mm = manager();
    await mm.download(repo).done;
    const aborted = AbortSignal.abort();
    expectAborted(await rejection(mm.cache.export(repo, { signal: aborted })));
    expectAborted(await rejection(mm.cache.clean({ maxSize: 0, signal: aborted })));
    expect((await mm.cache.list()).map((model) => model.repo)).toEqual([repo]);
  });

  it('createSession(), validate() and benchmark() stop on their signal, leaving no session open', async () => {
    const mm = manager();
    await mm.download(VAD, { files: ['onnx/model.onnx'] }).done;
    const aborted = AbortSignal.abort();
    expectAborted(await rejection(createSession(mm, VAD, 'onnx/model.onnx', { signal: aborted })));
    expectAborted(await rejection(validate(mm, VAD, 'onnx/model.onnx', { signal: aborted })));
    expectAborted(await rejection(benchmark(mm, VAD, 'onnx/model.onnx', { signal: aborted })));
    // Aborted while ONNX Runtime opens it: the session that comes back is released and the call still fails.
    expectAborted(await rejection(createSession(mm, VAD, 'onnx/model.onnx', { signal: abortAfter(1) })));
    expect(mm.metrics().backends.wasm).toBeUndefined();
  });
});
