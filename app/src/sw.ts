/**
 * The app's service worker: precaches the shell (HTML, scripts, styles, manifest, icons) and ONNX
 * Runtime's wasm at install, serves them cache-first, and lets everything else (the Hub, the
 * mirror) through untouched: models live in Hangar's store, not here. The build fills in the
 * file list and a version hash of the bundle (vite.config.ts, `precache()`).
 *
 * Across a deploy: a new build installs its own cache (every file fetched past the HTTP cache, so
 * no page or public file of the previous build lands in it) and takes over the open pages, but the
 * caches of earlier builds are kept while a page that was open at that moment remains: such a page
 * still runs the previous build, and its next worker imports that build's hashed scripts, which
 * the network no longer has. They are served from the cache they came in (any `/assets/` path the
 * current build does not list), and the old caches go at a later navigation once those pages are
 * closed (or at the next activation when no page is open).
 */

interface ExtendableEvent {
  waitUntil(promise: Promise<unknown>): void;
}
interface RequestEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface WorkerScope {
  skipWaiting(): Promise<void>;
  clients: {
    claim(): Promise<void>;
    matchAll(options: { type: 'window'; includeUncontrolled: boolean }): Promise<ReadonlyArray<{ readonly id: string }>>;
  };
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: RequestEvent) => void): void;
}

/** The pages open when this build took over, and the caches of earlier builds kept for them. */
interface Kept {
  clients: string[];
  caches: string[];
}

const scope = self as unknown as WorkerScope;
const PRECACHE = JSON.parse('__HANGAR_PRECACHE__') as string[];
const PREFIX = 'hangar-shell-';
const CACHE = 'hangar-shell-__HANGAR_VERSION__';
/** Where this build's cache notes what it kept (not a file of the app). */
const KEPT = '/__hangar-kept-caches';

const openPages = async (): Promise<string[]> =>
  (await scope.clients.matchAll({ type: 'window', includeUncontrolled: true })).map((client) => client.id);

/** Keeps the earlier builds' caches while a page that was open at activation remains; deletes them once none does. */
async function keepForOpenPages(): Promise<void> {
  const cache = await caches.open(CACHE);
  const earlier = (await caches.keys()).filter((key) => key.startsWith(PREFIX) && key !== CACHE);
  const clients = await openPages();
  if (earlier.length === 0) return;
  if (clients.length === 0) return void (await Promise.all(earlier.map((key) => caches.delete(key))));
  await cache.put(KEPT, new Response(JSON.stringify({ clients, caches: earlier } satisfies Kept)));
}

/** Deletes the kept caches once none of the pages they were kept for is open. */
async function dropUnused(): Promise<void> {
  const cache = await caches.open(CACHE);
  const kept = (await (await cache.match(KEPT))?.json()) as Kept | undefined;
  if (kept === undefined) return;
  const open = new Set(await openPages());
  if (kept.clients.some((id) => open.has(id))) return;
  await Promise.all(kept.caches.map((key) => caches.delete(key)));
  await cache.delete(KEPT);
}

/** A hashed script or style of an earlier build, from the cache it was precached in (newest first). */
async function fromEarlierBuild(path: string): Promise<Response | undefined> {
  const earlier = (await caches.keys()).filter((key) => key.startsWith(PREFIX) && key !== CACHE).reverse();
  for (const key of earlier) {
    const hit = await (await caches.open(key)).match(path);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

scope.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      // Past the HTTP cache: a page or public file of the previous build would point at scripts this build does not have.
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: 'no-cache' }))))
      .then(() => scope.skipWaiting()),
  );
});

scope.addEventListener('activate', (event) => {
  event.waitUntil(keepForOpenPages().then(() => scope.clients.claim()));
});

scope.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== location.origin) return;
  if (request.mode === 'navigate') event.waitUntil(dropUnused());
  const path = request.mode === 'navigate' && !PRECACHE.includes(url.pathname) ? '/' : url.pathname;
  if (PRECACHE.includes(path))
    return event.respondWith(
      caches
        .open(CACHE)
        .then((cache) => cache.match(path))
        .then((hit) => hit ?? fetch(request)),
    );
  if (path.startsWith('/assets/')) event.respondWith(fromEarlierBuild(path).then((hit) => hit ?? fetch(request)));
});
