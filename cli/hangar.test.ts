import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeHub, type FakeHub } from '../test/hub/index.ts';
import { hangar } from './hangar.ts';

let hub: FakeHub;
let out: string;
beforeAll(async () => {
  hub = await startFakeHub();
  out = await mkdtemp(join(tmpdir(), 'hangar-cli-test-'));
});
afterAll(async () => {
  await hub.close();
  await rm(out, { recursive: true, force: true });
});

/** Runs `hangar …` in this process; the exit status and what it printed. */
async function run(argv: string[], env: Record<string, string> = {}): Promise<{ status: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const status = await hangar(argv, { stdout: (line) => stdout.push(line), stderr: (line) => stderr.push(line), env });
  return { status, stdout, stderr };
}

describe('hangar (the command line)', () => {
  it('--help, mirror --help: the usage on stdout, status 0', async () => {
    expect(await run(['--help'])).toMatchObject({ status: 0, stdout: [expect.stringContaining('mirror <repo>[@revision]')] });
    expect(await run(['mirror', '--help'])).toMatchObject({ status: 0, stdout: [expect.stringContaining('--out DIR')] });
  });

  it.each<[string[], RegExp]>([
    [[], /Usage: hangar <command>/],
    [['serve'], /unknown command "serve"/],
    [['mirror', '--out', 'x'], /no repo given/],
    [['mirror', 'a/b'], /--out DIR is required/],
    [['mirror', 'a/b', '--out', 'x', '--bogus'], /Unknown option '--bogus'/],
    [['mirror', 'a/b/c', '--out', 'x'], /"a\/b\/c": Invalid repo id/],
    [['mirror', 'a/b@', '--out', 'x'], /Invalid revision ""/],
    [['mirror', 'a/b', '--out', 'x', '--concurrency', '0'], /--concurrency: expected a whole number from 1 to 16/],
    [['mirror', 'a/b', '--out', 'x', '--timeout', 'soon'], /--timeout: expected a duration/],
    [['mirror', 'a/b', '--out', 'x', '--endpoint', 'ftp://x'], /--endpoint: expected an http\(s\) URL/],
  ])('%j: one line on stderr, status 2', async (argv, message) => {
    const { status, stdout, stderr } = await run(argv);
    expect(status).toBe(2);
    expect(stdout).toEqual([]);
    expect(stderr.join('\n')).toMatch(message);
    if (argv.length > 0) expect(stderr).toHaveLength(1);
  });

  it('mirrors, one summary line per repo on stdout; a repo that fails is one line on stderr and status 1', async () => {
    const ok = await run(['mirror', 'hangar-test/tiny-mlp', '--out', out, '--endpoint', hub.url, '--quiet']);
    expect(ok).toMatchObject({ status: 0, stderr: [] });
    const again = await run(['mirror', 'hangar-test/tiny-mlp', 'hangar-test/private-model', '--out', out], { HF_ENDPOINT: hub.url });
    expect(again.status).toBe(1);
    expect(again.stdout).toEqual([
      expect.stringMatching(/^hangar-test\/tiny-mlp@main [0-9a-f]{12}: 3 files .*0 downloaded .* 3 kept; listing reused$/),
    ]);
    expect(again.stderr.at(-1)).toMatch(/^hangar mirror: hangar-test\/private-model@main: AUTH_REQUIRED: /);
    // The token from the environment, as huggingface_hub reads it.
    const token = await run(['mirror', 'hangar-test/private-model', '--out', out, '--quiet'], {
      HF_ENDPOINT: hub.url,
      HF_TOKEN: 'hf_hangar_test_token',
    });
    expect(token.status).toBe(0);
  });

  it('runs as `npx hangar` / `npm run hangar --` through its launcher (cli/bin.mjs registers tsx)', async () => {
    const bin = fileURLToPath(new URL('./bin.mjs', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [bin, 'mirror', '--help']);
    expect(stdout).toMatch(/^Usage: hangar mirror/);
    const failed = await promisify(execFile)(process.execPath, [bin, 'nope']).catch(
      (error: unknown) => error as { code: number; stderr: string },
    );
    expect(failed).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command "nope"') });
  });
});
