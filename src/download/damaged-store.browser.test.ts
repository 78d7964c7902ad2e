import { describe, expect, it } from 'vitest';
import { blobKey } from '../store/index.ts';
import { cutBlob, hub, managersClosedAfterEach, rejection, sha256, syntheticRepo } from '../../test/support/browser.ts';

const manager = managersClosedAfterEach();
const MiB = 2 ** 20;

describe('a blob record is trusted only with its bytes', () => {
  it('a stored blob that lost bytes behind the store is fetched again by the next download, whole', async () => {
    const repo = await syntheticRepo('cut', { 'model.bin': 5 * MiB, 'config.json': '{}' });
    const mm = manager();
    const model = await mm.download(repo).done;
    const original = await sha256(await mm.cache.file(repo, 'model.bin'));
    const file = model.files.find((entry) => entry.path === 'model.bin')!;
    await cutBlob(mm.config.storeName, blobKey(file.hash));
    expect((await rejection(mm.cache.file(repo, 'model.bin'))).code).toBe('NOT_CACHED');

    const served = async (): Promise<number> => (await hub.stats(repo)).files[`${repo}/model.bin`]?.bytes ?? 0;
    const before = await served();
    await mm.download(repo).done;
    expect((await served()) - before).toBe(5 * MiB);
    expect(await sha256(await mm.cache.file(repo, 'model.bin'))).toBe(original);
    expect((await mm.cache.verify(repo)).bad).toEqual([]);
  });
});
