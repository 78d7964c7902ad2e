import { startDownloadEnv } from '../download-env.ts';
import { Cleanup } from '../util.ts';
const cleanup = new Cleanup();
const size = Number(process.argv[2] ?? 512);
try {
  const env = await startDownloadEnv([size], cleanup);
  const repo = env.repos.get(size)!;
  const url = `${env.hub.url}/${repo.id}/resolve/main/${repo.path}`;
  await env.page.goto(env.page.url().replace('download.html', '_probe/probe.html'));
  await env.page.waitForFunction(() => 'probe' in window);
  const call = (req: object) => env.page.evaluate((r) => (window as unknown as { probe: { call(r: object): Promise<unknown> } }).probe.call(r), req);
  const clean = (s: string) => env.page.evaluate((n) => (window as unknown as { probe: { cleanup(n: string): Promise<void> } }).probe.cleanup(n), s);
  for (const chunk of [65536, 8 * 2 ** 20]) console.log('hashmem chunk', chunk, JSON.stringify(await call({ mode: 'hashmem', chunk })));
  const modes = (process.argv[3] ?? 'none,write,hash,write+hash,write+hash+ckpt').split(',');
  for (let rep = 0; rep < 2; rep++) for (const m of modes) {
    const store = `probe-${Date.now()}`;
    const cpu0 = process.cpuUsage();
    const r = await call({ mode: 'fetch', url, write: m.includes('write'), hash: m.includes('hash'), ckpt: m.includes('ckpt'), store });
    const c = process.cpuUsage(cpu0);
    console.log(m.padEnd(16), JSON.stringify(r), 'nodeCpuMs', Math.round((c.user + c.system) / 1000));
    await clean(store);
  }
} finally { await cleanup.run(); }
