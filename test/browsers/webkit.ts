import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineBrowserProvider } from '@vitest/browser';
import type { BrowserProvider, BrowserProviderOption } from 'vitest/node';

const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/**
 * WebKit features a Safari user has and WebKitGTK leaves off by default: `navigator.storage`
 * (estimate, persist) and the origin private file system with sync access handles. WebKitGTK's
 * storage backend still refuses `createSyncAccessHandle()`, which is what Hangar's probe must
 * find by trying (Safari's own backend accepts it).
 */
export const WEBKIT_FEATURES = ['+StorageAPI', '+StorageAPIEstimate', '+FileSystem', '+AccessHandle', '+FileSystemWritableStream'];

/** Debian's WebKitGTK MiniBrowser, or MINIBROWSER_PATH; throws a message that says how to get one. */
export function miniBrowserPath(): string {
  const path = process.env.MINIBROWSER_PATH ?? MINIBROWSER;
  if (!existsSync(path)) {
    throw new Error(`No WebKitGTK MiniBrowser at ${path}. Install Debian's webkit2gtk-driver and xvfb, or set MINIBROWSER_PATH.`);
  }
  return path;
}

export interface MiniBrowserOptions {
  /** Private browsing: an ephemeral session, as Safari's private windows give (IndexedDB refuses Blob values there). */
  private: boolean;
}

/**
 * A vitest browser provider that opens the test page in WebKitGTK's MiniBrowser under its own
 * Xvfb display, with no WebDriver in between: WebKitWebDriver sessions are always ephemeral, so
 * a persistent profile (what Safari users have) needs the browser started directly. The profile
 * lives in a fresh folder for the run and is removed at the end.
 */
export function minibrowser(options: MiniBrowserOptions): BrowserProviderOption {
  return defineBrowserProvider({
    name: 'minibrowser',
    options,
    providerFactory: () => new MiniBrowserProvider(options),
  });
}

class MiniBrowserProvider implements BrowserProvider {
  readonly name = 'minibrowser';
  readonly supportsParallelism = false;
  readonly #options: MiniBrowserOptions;
  readonly #home = mkdtempSync(join(tmpdir(), 'hangar-webkit-'));
  #display: Promise<{ xvfb: ChildProcess; display: string }> | undefined;
  #browser: ChildProcess | undefined;

  constructor(options: MiniBrowserOptions) {
    this.#options = options;
  }

  getCommandsContext(): Record<string, unknown> {
    return {};
  }

  async openPage(_sessionId: string, url: string): Promise<void> {
    const { display } = await (this.#display ??= startXvfb());
    this.#browser?.kill('SIGKILL');
    const args = [`--features=${WEBKIT_FEATURES.join(',')}`, ...(this.#options.private ? ['--private'] : []), url];
    const log = openSync(join(this.#home, 'minibrowser.log'), 'a');
    this.#browser = spawn(miniBrowserPath(), args, {
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        DISPLAY: display,
        XDG_DATA_HOME: join(this.#home, 'data'),
        XDG_CACHE_HOME: join(this.#home, 'cache'),
        XDG_CONFIG_HOME: join(this.#home, 'config'),
      },
    });
  }

  async close(): Promise<void> {
    this.#browser?.kill('SIGKILL');
    (await this.#display)?.xvfb.kill('SIGKILL');
    // MiniBrowser says nothing while all is well; what it said (a web process crash) goes to the run's output.
    const said = readFileSync(join(this.#home, 'minibrowser.log'), { encoding: 'utf8', flag: 'a+' }).trim();
    if (said) console.error(`MiniBrowser${this.#options.private ? ' (private)' : ''} said:\n${said.split('\n').slice(-30).join('\n')}`);
    // WebKit's network process may still be writing its HTTP cache (a cacheable answer, e.g. the static mirror's) for a moment.
    rmSync(this.#home, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}

/** Starts Xvfb on a free display (it writes the number it took to fd 3). */
function startXvfb(): Promise<{ xvfb: ChildProcess; display: string }> {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    xvfb.on('error', (error) => reject(new Error(`Cannot start Xvfb (apt-get install -y xvfb): ${error.message}`)));
    xvfb.stdio[3]!.once('data', (data: Buffer) => resolve({ xvfb, display: `:${data.toString().trim()}` }));
  });
}
