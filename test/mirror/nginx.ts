import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nginx config shipped for mirrors, served by the tests exactly as users get it (only `listen` and `root` set). */
export const MIRROR_CONF = fileURLToPath(new URL('../../cli/mirror/nginx/mirror.conf', import.meta.url));

/** A running nginx serving a mirror folder on a loopback port. */
export interface Nginx {
  url: string;
  /** Each request as `"$request" $status "$http_range"`, one a line. */
  accessLog(): Promise<string>;
  close(): Promise<void>;
}

/** Debian's nginx (or `NGINX_PATH`), or an error that says how to install it. */
export function nginxPath(): string {
  const path = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
  if (!existsSync(path)) {
    throw new Error(
      `nginx not found at ${path}: the static mirror tests serve the mirror with Debian's nginx; install it with \`bash .ci/setup\` (or set NGINX_PATH)`,
    );
  }
  return path;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** `mirror.conf` with its `listen` and `root` set; throws if the shipped file no longer has exactly one of each. */
async function serverBlock(root: string, port: number): Promise<string> {
  const conf = await readFile(MIRROR_CONF, 'utf8');
  const set = (text: string, directive: string, value: string): string => {
    const pattern = new RegExp(`^(\\s*)${directive}\\s+[^;]*;`, 'gm');
    if ((text.match(pattern) ?? []).length !== 1) throw new Error(`${MIRROR_CONF}: expected one \`${directive}\` directive`);
    return text.replace(pattern, `$1${directive} ${value};`);
  };
  return set(set(conf, 'listen', `127.0.0.1:${port}`), 'root', root);
}

/** A minimal main config around the server block: everything nginx writes stays in `dir`; no daemon, one worker. */
function mainConfig(dir: string): string {
  const mimeTypes = existsSync('/etc/nginx/mime.types')
    ? 'include /etc/nginx/mime.types;'
    : 'types { application/json json; text/html html; }';
  return `# Written by test/mirror/nginx.ts.
daemon off;
worker_processes 1;
${process.getuid?.() === 0 ? 'user root;\n' : ''}pid ${dir}/nginx.pid;
error_log stderr warn;
events { worker_connections 128; }
http {
    ${mimeTypes}
    sendfile on;
    log_format hangar '"$request" $status "$http_range"';
    access_log ${dir}/access.log hangar;
    client_body_temp_path ${dir}/temp/body;
    proxy_temp_path ${dir}/temp/proxy;
    fastcgi_temp_path ${dir}/temp/fastcgi;
    uwsgi_temp_path ${dir}/temp/uwsgi;
    scgi_temp_path ${dir}/temp/scgi;
    include ${dir}/mirror.conf;
}
`;
}

/** Resolves once nginx answers on `url` (at most 10 s), rejects if it exits first. */
async function ready(child: ChildProcess, url: string, output: () => string): Promise<void> {
  let exitCode: number | null | undefined;
  const onExit = (code: number | null): void => void (exitCode = code);
  child.once('exit', onExit);
  try {
    for (const deadline = Date.now() + 10_000; ;) {
      if (exitCode !== undefined) throw new Error(`nginx exited (${exitCode}) before serving: ${output().trim()}`);
      try {
        await fetch(url, { signal: AbortSignal.timeout(1000) });
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`nginx did not answer on ${url} within 10 s: ${output().trim()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  } finally {
    child.off('exit', onExit);
  }
}

/**
 * Starts Debian's nginx with `cli/mirror/nginx/mirror.conf` serving `root` on a free loopback port,
 * its pid, temp and log files in a temporary folder (removed by `close`).
 */
export async function startNginx(root: string): Promise<Nginx> {
  const binary = nginxPath();
  const dir = await mkdtemp(join(tmpdir(), 'hangar-nginx-'));
  await mkdir(join(dir, 'temp'));
  await writeFile(join(dir, 'nginx.conf'), mainConfig(dir));
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    await writeFile(join(dir, 'mirror.conf'), await serverBlock(root, port));
    let output = '';
    const child = spawn(binary, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', 'stderr'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const url = `http://127.0.0.1:${port}`;
    try {
      await ready(child, url, () => output);
    } catch (error) {
      child.kill('SIGKILL');
      // Another process took the port between freePort and nginx's bind: try another.
      if (attempt < 3 && /Address already in use/.test(output)) continue;
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // A test run that ends without calling close (killed, crashed) must not leave nginx behind.
    const orphan = (): void => void child.kill('SIGKILL');
    process.once('exit', orphan);
    return {
      url,
      accessLog: () => readFile(join(dir, 'access.log'), 'utf8').catch(() => ''),
      async close() {
        process.off('exit', orphan);
        if (child.exitCode === null) {
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(killer);
        }
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
}
