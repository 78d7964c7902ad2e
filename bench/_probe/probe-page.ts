function call(req: object): Promise<unknown> {
  const w = new Worker(new URL('./probe.worker.ts', import.meta.url), { type: 'module' });
  return new Promise((resolve) => { w.onmessage = (e) => { w.terminate(); resolve(e.data); }; w.onerror = (e) => { w.terminate(); resolve({ ok: false, error: e.message }); }; w.postMessage(req); });
}
async function cleanup(name: string): Promise<void> { try { await (await navigator.storage.getDirectory()).removeEntry(name, { recursive: true }); } catch { /* none */ } }
(window as unknown as { probe: unknown }).probe = { call, cleanup };
