import { describe, expect, it } from 'vitest';
import { planClean } from './plan-clean.ts';

const DAY = 86_400_000;
const hash = (value: string) => ({ algorithm: 'sha256' as const, value: value.padEnd(64, '0') });
const key = (value: string) => `sha256-${value.padEnd(64, '0')}`;

function snapshot(repo: string, commit: string, lastUsed: number, blobs: string[], pinned = false) {
  return { repo, commit, lastUsed, pinned, files: Object.fromEntries(blobs.map((b) => [`${b}.bin`, { size: 0, hash: hash(b) }])) };
}

const sizes = new Map([
  [key('a'), 100],
  [key('b'), 200],
  [key('c'), 300],
  [key('d'), 400],
]);

describe('planClean', () => {
  it('counts a blob shared by two snapshots once', () => {
    const plan = planClean([snapshot('r', '1', 0, ['a', 'b']), snapshot('r', '2', 0, ['b', 'c'])], sizes, {}, 0);
    expect(plan.sizeBefore).toBe(600);
    expect(plan.orphanBlobs).toEqual([key('d')]);
    expect(plan.bytesFreed).toBe(400);
  });

  it('evicts least recently used first until within maxSize, freeing shared blobs only with their last user', () => {
    const snapshots = [snapshot('old', '1', 1, ['a', 'b']), snapshot('mid', '2', 2, ['b', 'c']), snapshot('new', '3', 3, ['d'])];
    const plan = planClean(snapshots, sizes, { maxSize: 900 }, 10);
    expect(plan.sizeBefore).toBe(1000);
    expect(plan.remove).toEqual([{ repo: 'old', commit: '1', reason: 'maxSize' }]);
    expect(plan.orphanBlobs).toEqual([key('a')]); // b is still used by mid
    expect(plan.sizeAfter).toBe(900);
    const tighter = planClean(snapshots, sizes, { maxSize: 450 }, 10);
    expect(tighter.remove.map((r) => r.repo)).toEqual(['old', 'mid']);
    expect(tighter.sizeAfter).toBe(400);
  });

  it('never evicts pinned or protected snapshots, even over maxSize', () => {
    const snapshots = [snapshot('pinned', '1', 1, ['a', 'b', 'c'], true), snapshot('busy', '2', 2, ['d'])];
    const plan = planClean(snapshots, sizes, { maxSize: 0, retention: 0 }, 10 * DAY, (s) => s.repo === 'busy');
    expect(plan.remove).toEqual([]);
    expect(plan.sizeAfter).toBe(1000);
  });

  it('drops snapshots unused for longer than retention', () => {
    const snapshots = [snapshot('stale', '1', 0, ['a']), snapshot('fresh', '2', 29 * DAY, ['b'])];
    const plan = planClean(snapshots, sizes, { retention: 30 * DAY }, 31 * DAY);
    expect(plan.remove).toEqual([{ repo: 'stale', commit: '1', reason: 'retention' }]);
    expect(plan.orphanBlobs.sort()).toEqual([key('a'), key('c'), key('d')].sort());
  });

  it('grows linearly: 4x the snapshots take well under 16x the time (quadratic would), and the plan is right at 80,000 files', () => {
    const inputs = (count: number) => {
      const many = Array.from({ length: count }, (_, i) =>
        snapshot(
          `r${i}`,
          String(i),
          i,
          Array.from({ length: 20 }, (_, j) => `${i}x${j}x`),
        ),
      );
      const sizes = new Map(many.flatMap((s) => Object.values(s.files).map((f) => [`sha256-${f.hash.value}`, 10] as const)));
      return { many, sizes };
    };
    // The fastest of a few runs: the least disturbed by the machine.
    const fastest = (count: number): { ms: number; plan: ReturnType<typeof planClean> } => {
      const { many, sizes } = inputs(count);
      let best = { ms: Infinity, plan: planClean([], new Map(), {}, 0) };
      for (let run = 0; run < 5; run++) {
        const started = performance.now();
        const plan = planClean(many, sizes, { maxSize: count * 100 }, 2 * count);
        const ms = performance.now() - started;
        if (ms < best.ms) best = { ms, plan };
      }
      return best;
    };
    const small = fastest(1000);
    const large = fastest(4000);
    expect(large.ms / small.ms).toBeLessThan(10);
    expect(large.plan.sizeAfter).toBeLessThanOrEqual(400_000);
    expect(large.plan.remove.length).toBe(2000);
    expect(large.plan.remove.every((entry) => Number(entry.commit) < 2000)).toBe(true);
  });
});
