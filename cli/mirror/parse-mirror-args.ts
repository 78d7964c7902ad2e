import { parseArgs } from 'node:util';
import { parseDuration } from '../../src/config/index.ts';
import { checkRepoId, checkRevision } from '../../src/hub/index.ts';
import type { MirrorTarget } from './mirror.ts';
import type { MirrorOptions } from './mirror-repo.ts';

/** A command line `hangar mirror` cannot run: its message is one line for the user. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** What `hangar mirror` was asked to do (`--help` aside). */
export interface MirrorCommand {
  quiet: boolean;
  targets: MirrorTarget[];
  options: Omit<MirrorOptions, 'signal' | 'log'>;
}

export const MIRROR_HELP = `Usage: hangar mirror <repo>[@revision] ... --out DIR [options]

Copies Hugging Face Hub repos into DIR in the Hub's URL layout, as plain files that any static
server (nginx, an object store, a CDN) serves as a Hangar endpoint: model info, listings and
{repo}/resolve/{commit}/{path}, with {repo}/resolve/{ref} as a symlink. Every file is checked
against its SHA-256 (LFS) or git blob SHA-1 before it appears; a re-run asks once per revision
and fetches only files it does not hold yet. The revision defaults to main.

Options:
  --out DIR                  the mirror folder (created when missing)
  --endpoint URL             where to copy from (default: $HF_ENDPOINT, else https://huggingface.co)
  --token TOKEN              access token for private or gated repos, sent to the endpoint's origin
                             only (default: $HF_TOKEN, which keeps it out of the process list)
  --concurrency N            files downloaded at once (default 4, 1 to 16)
  --retries N                retries per file and per Hub request (default 5, 0 to 20)
  --timeout DURATION         per file, its attempts and waits together (default 1h)
  --stall-timeout DURATION   no byte for this long: the attempt is retried (default 30s)
  --quiet                    print errors only
  -h, --help                 this text

Serve DIR with cli/mirror/nginx/mirror.conf, then point Hangar at it:
createModelManager({ endpoint: 'http://your-host' }). See docs/mirror.md.

Exit status: 0 every repo mirrored, 1 a repo failed (the others are done), 2 bad arguments,
130 interrupted (partial downloads are kept and resumed by the next run).`;

function count(value: string | undefined, key: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw new UsageError(`${key}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return n;
}

function duration(value: string | undefined, key: string, fallback: string): number {
  try {
    const ms = parseDuration(value ?? fallback, key);
    if (ms <= 0) throw new UsageError(`${key}: must be longer than 0`);
    return ms;
  } catch (error) {
    throw error instanceof UsageError ? error : new UsageError((error as Error).message);
  }
}

/** `org/name@revision` (revision: main when absent), each part checked as the library checks them. */
export function parseTarget(spec: string): MirrorTarget {
  const at = spec.indexOf('@');
  const repo = at < 0 ? spec : spec.slice(0, at);
  const revision = at < 0 ? 'main' : spec.slice(at + 1);
  try {
    checkRepoId(repo);
    checkRevision(revision);
  } catch (error) {
    throw new UsageError(`${JSON.stringify(spec)}: ${(error as Error).message}`);
  }
  return { repo, revision };
}

/** Parses the arguments after `hangar mirror` (`'help'` for `--help`); throws UsageError for anything it cannot run. */
export function parseMirrorArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): MirrorCommand | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: 'string' },
        endpoint: { type: 'string' },
        token: { type: 'string' },
        concurrency: { type: 'string' },
        retries: { type: 'string' },
        timeout: { type: 'string' },
        'stall-timeout': { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
  const { values, positionals } = parsed;
  if (values.help === true) return 'help';
  if (positionals.length === 0) throw new UsageError('no repo given: hangar mirror <repo>[@revision] ... --out DIR');
  if (values.out === undefined || values.out === '') throw new UsageError('--out DIR is required: the folder to write the mirror to');
  const endpoint = (values.endpoint ?? env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UsageError(`--endpoint: expected an http(s) URL, got ${JSON.stringify(endpoint)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--endpoint: expected an http(s) URL, got ${JSON.stringify(endpoint)}`);
  const token = values.token ?? env.HF_TOKEN;
  return {
    quiet: values.quiet === true,
    targets: positionals.map(parseTarget),
    options: {
      out: values.out,
      endpoint,
      accessToken: token === '' ? undefined : token,
      concurrency: count(values.concurrency, '--concurrency', 4, 1, 16),
      retries: count(values.retries, '--retries', 5, 0, 20),
      timeoutMs: duration(values.timeout, '--timeout', '1h'),
      stallMs: duration(values['stall-timeout'], '--stall-timeout', '30s'),
      retryDelayMs: 1000,
      retryAfterMaxMs: 60_000,
    },
  };
}
