/**
 * The app's service worker: precaches the shell (HTML, scripts, styles, manifest, icons) and ONNX
 * Runtime's wasm at install, serves them cache-first, and lets everything else (the Hub, the
 * mirror) through untouched: models live in Hangar's store, not here. The build fills in the
 * file list and a version hash of the bundle (vite.config.ts, `precache()`); a new build installs
 * a new cache and drops the old one.
 */

interface InstallEvent {
  waitUntil(promise: Promise<unknown>): void;
}
interface RequestEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface WorkerScope {
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', listener: (event: InstallEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: RequestEvent) => void): void;
}

const scope = self as unknown as WorkerScope;
const PRECACHE = JSON.parse('__HANGAR_PRECACHE__') as string[];
const CACHE = 'hangar-shell-__HANGAR_VERSION__';

scope.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => scope.skipWaiting()),
  );
});

scope.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith('hangar-shell-') && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => scope.clients.claim()),
  );
});

scope.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== location.origin) return;
  const path = request.mode === 'navigate' && !PRECACHE.includes(url.pathname) ? '/' : url.pathname;
  if (!PRECACHE.includes(path)) return;
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(path))
      .then((hit) => hit ?? fetch(request)),
  );
});
