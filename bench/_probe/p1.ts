import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright';
import { CHROMIUM_ARGS, chromiumPath } from '../../test/chromium.ts';
import { findBrowserPid, rendererPids, readMemory } from '../proc-mem.ts';
const dir = mkdtempSync(join(tmpdir(), 'hb-'));
const ctx = await chromium.launchPersistentContext(dir, { executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
try {
  console.log('browser()', ctx.browser()?.version());
  const page = ctx.pages()[0] ?? await ctx.newPage();
  await page.goto('data:text/html,<p>hi</p>');
  const bpid = await findBrowserPid(dir);
  console.log('bpid', bpid, await rendererPids(bpid));
  for (const pid of await rendererPids(bpid)) console.log(pid, await readMemory(pid));
  const s = await ctx.newCDPSession(page);
  try { console.log(JSON.stringify(await s.send('SystemInfo.getProcessInfo' as never))); } catch (e) { console.log('page cdp', (e as Error).message); }
  try { const b = ctx.browser(); if (b) { const bs = await b.newBrowserCDPSession(); console.log(JSON.stringify(await bs.send('SystemInfo.getProcessInfo'))); } } catch (e) { console.log('browser cdp', (e as Error).message); }
  const t=performance.now(); for (let i=0;i<20;i++) await readMemory((await rendererPids(bpid))[0]!); console.log('read ms', (performance.now()-t)/20);
} finally { await ctx.close(); rmSync(dir, { recursive: true, force: true }); }
