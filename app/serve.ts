import { fileURLToPath } from 'node:url';
import { preview } from 'vite';
import { startFakeHub } from '../test/hub/server.ts';

/**
 * `npm start`: serves the built app (dist/) together with the fake Hub as a local mirror of the
 * fixture models, so the app works on a machine without internet.
 */
const hub = await startFakeHub({ port: Number(process.env.HUB_PORT ?? 8300), cdnPort: Number(process.env.HUB_CDN_PORT ?? 8301) });
const server = await preview({ configFile: fileURLToPath(new URL('vite.config.ts', import.meta.url)) });
console.log(`Hangar app:   ${server.resolvedUrls?.local[0] ?? 'http://127.0.0.1:4173/'}`);
console.log(`Local mirror: ${hub.url} (files redirect to ${hub.cdnUrl})`);
const stop = async (): Promise<void> => {
  await Promise.allSettled([hub.close(), server.close()]);
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
