import { skipIf } from '../../test/support/engine.ts';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoreEvent } from '../index.ts';
import { managersClosedAfterEach, setup, syntheticRepo } from '../../test/support/browser.ts';

const manager = managersClosedAfterEach();
const MB = 2 ** 20;

type Persistence = Pick<StorageManager, 'persist' | 'persisted'>;
const storage: Persistence | undefined = (navigator as { storage?: StorageManager }).storage;
const proto: Persistence | undefined = storage === undefined ? undefined : Object.getPrototypeOf(storage);
const original = proto === undefined ? undefined : { persist: proto.persist, persisted: proto.persisted };
afterEach(() => {
  if (proto !== undefined && original !== undefined) Object.assign(proto, original);
});

/**
 * Makes `persist()` behave like Firefox's with its prompt left unanswered: pending until `answer`
 * is called (if ever). Firefox itself runs with default prefs, so there the real prompt does it.
 */
function promptNobodyAnswers(): { calls: () => number; answer: (granted: boolean) => void } {
  let calls = 0;
  let answer: (granted: boolean) => void = () => {};
  let granted = false;
  if (proto !== undefined && setup.engine !== 'firefox') {
    proto.persist = () => {
      calls++;
      return new Promise<boolean>((resolve) => {
        answer = (value) => {
          granted = value;
          resolve(value);
        };
      });
    };
    proto.persisted = async () => granted;
  } else if (proto !== undefined) {
    const persist = proto.persist;
    proto.persist = function (this: StorageManager) {
      calls++;
      return persist.call(this);
    };
  }
  return { calls: () => calls, answer: (value) => answer(value) };
}

describe('persist() never blocks', () => {
  it('with a persistence prompt nobody answers, the first download of a fresh page is as quick as the second', async (context) => {
    skipIf(context, proto === undefined ? 'this browser has no navigator.storage: nothing to ask' : undefined);
    const prompt = promptNobodyAnswers();
    const [first, second] = await Promise.all([
      syntheticRepo('persist-a', { 'model.bin': 2 * MB }),
      syntheticRepo('persist-b', { 'model.bin': 2 * MB }),
    ]);
    const mm = manager();
    const persistEvents: StoreEvent[] = [];
    mm.on('change', (event) => event.type === 'persist' && persistEvents.push(event));
    const timed = async (repo: string): Promise<number> => {
      const started = performance.now();
      await mm.download(repo).done;
      return performance.now() - started;
    };
    const firstMs = await timed(first);
    const secondMs = await timed(second);
    expect(prompt.calls()).toBe(1);
    // Not a benchmark: an awaited prompt never ends; the first download also opens the store and starts the worker.
    expect(firstMs).toBeLessThan(secondMs + 3000);
    const usage = await mm.cache.usage();
    expect(usage.persisted).not.toBe(true);
    expect(persistEvents).toEqual([]);
  });

  it('a late answer arrives as the persist event and in usage().persisted', async (context) => {
    if (proto === undefined || setup.engine === 'firefox')
      skipIf(context, 'answers the prompt itself: not with a real Firefox prompt, nor without navigator.storage');
    const prompt = promptNobodyAnswers();
    const repo = await syntheticRepo('persist-late', { 'model.bin': MB });
    const mm = manager();
    const granted = new Promise<StoreEvent>((resolve) => mm.on('change', (event) => event.type === 'persist' && resolve(event)));
    await mm.download(repo).done;
    prompt.answer(true);
    expect(await granted).toMatchObject({ type: 'persist', granted: true, local: true });
    expect((await mm.cache.usage()).persisted).toBe(true);
  });
});
