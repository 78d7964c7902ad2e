import { startFakeHub } from '../hub/index.ts';

/** Starts the fake Hub for the end-to-end run; tests find it in HANGAR_HUB_URL. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const hub = await startFakeHub();
  process.env.HANGAR_HUB_URL = hub.url;
  return () => hub.close();
}
