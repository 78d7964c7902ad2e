import { describe, expect, it } from 'vitest';
import { AbortError } from '../errors/index.ts';
import { Semaphore } from './semaphore.ts';

describe('Semaphore', () => {
  it('grants at most N slots, first come first served', async () => {
    const slots = new Semaphore(2);
    const a = await slots.acquire();
    await slots.acquire();
    const order: string[] = [];
    const c = slots.acquire().then((release) => (order.push('c'), release));
    const d = slots.acquire().then((release) => (order.push('d'), release));
    await Promise.resolve();
    expect(order).toEqual([]);
    a();
    a(); // idempotent: must not free a second slot
    await c;
    await Promise.resolve();
    expect(order).toEqual(['c']);
    (await c)();
    await d;
    expect(order).toEqual(['c', 'd']);
  });

  it('drops an aborted waiter', async () => {
    const slots = new Semaphore(1);
    const release = await slots.acquire();
    const controller = new AbortController();
    const waiting = slots.acquire(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(AbortError);
    release();
    const next = await slots.acquire();
    expect(typeof next).toBe('function');
  });
});
