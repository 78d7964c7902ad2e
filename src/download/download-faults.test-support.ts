// Installs one fault in a download worker, named by the worker's name (imported by fault-download.test-worker.ts):
// - `silent-hash`: hash threads start but never answer;
// - `hasher-fails-once`: the first hasher cannot be created (its WebAssembly instance fails);
// - `slow-reads:<channel>:<ms>`: every read of 1 MiB or more of stored bytes takes `ms` (a slow disk;
//   OPFS reads stay synchronous), and the first one is announced on BroadcastChannel `<channel>`.
const [fault, channel, ms] = self.name.split(':');

if (fault === 'silent-hash') {
  const Real = globalThis.Worker;
  const silent = URL.createObjectURL(new Blob(['// never answers'], { type: 'text/javascript' }));
  globalThis.Worker = class extends Real {
    constructor(url: string | URL, options?: WorkerOptions) {
      const hash = String(url).includes('hash.worker');
      super(hash ? silent : url, hash ? undefined : options);
    }
  };
}

if (fault === 'hasher-fails-once') {
  const instantiate = WebAssembly.instantiate.bind(WebAssembly) as (...args: unknown[]) => Promise<unknown>;
  let failed = false;
  (WebAssembly as { instantiate: unknown }).instantiate = (...args: unknown[]) => {
    if (failed) return instantiate(...args);
    failed = true;
    return Promise.reject(new RangeError('WebAssembly.instantiate(): Out of memory (test fault)'));
  };
}

if (fault === 'slow-reads') {
  const delay = Number(ms);
  // Reads of partial bytes, not the storage probe's.
  const LARGE = 2 ** 20;
  let announced = false;
  const announce = (): void => {
    if (announced) return;
    announced = true;
    const port = new BroadcastChannel(channel!);
    port.postMessage('reading');
    port.close();
  };
  if (typeof FileSystemSyncAccessHandle !== 'undefined') {
    const { prototype } = FileSystemSyncAccessHandle;
    const syncRead = Object.getOwnPropertyDescriptor(prototype, 'read')!.value as FileSystemSyncAccessHandle['read'];
    prototype.read = function (this: FileSystemSyncAccessHandle, ...args: Parameters<typeof syncRead>) {
      if (args[0].byteLength >= LARGE) {
        announce();
        const until = performance.now() + delay;
        while (performance.now() < until);
      }
      return syncRead.apply(this, args);
    };
  }
  const blobRead = Object.getOwnPropertyDescriptor(Blob.prototype, 'arrayBuffer')!.value as Blob['arrayBuffer'];
  Blob.prototype.arrayBuffer = async function (this: Blob) {
    if (this.size >= LARGE) {
      announce();
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    return blobRead.call(this);
  };
}

export {};
