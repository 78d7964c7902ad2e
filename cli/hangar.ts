import { MIRROR_HELP, UsageError, parseMirrorArgs } from './mirror/parse-mirror-args.ts';
import { mirror } from './mirror/mirror.ts';
import { formatBytes } from '../src/util/index.ts';

/** Where the command writes, what it reads, and what stops it (the process's by default; tests pass their own). */
export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal | undefined;
}

export const HELP = `Usage: hangar <command> [options]

Commands:
  mirror <repo>[@revision] ... --out DIR   copy Hub repos into a folder any static server can host
                                           as a Hangar endpoint (hangar mirror --help)

Options:
  -h, --help   this text`;

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** Runs `hangar <argv>`; resolves to the exit status (0 done, 1 failed, 2 bad arguments, 130 interrupted). */
export async function hangar(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    (command === undefined ? io.stderr : io.stdout)(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'mirror') {
    io.stderr(`hangar: unknown command ${JSON.stringify(command)} (hangar --help lists them)`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseMirrorArgs(rest, io.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`hangar mirror: ${error.message} (hangar mirror --help)`);
    return 2;
  }
  if (parsed === 'help') {
    io.stdout(MIRROR_HELP);
    return 0;
  }
  const { targets, options, quiet } = parsed;
  const log = quiet ? undefined : io.stderr;
  try {
    log?.(`Mirroring ${plural(targets.length, 'repo')} from ${options.endpoint} into ${options.out}`);
    const result = await mirror(targets, {
      ...options,
      signal: io.signal,
      log,
    });
    for (const r of result.reports) {
      if (quiet) continue;
      io.stdout(
        `${r.repo}@${r.revision} ${r.commit.slice(0, 12)}: ${plural(r.files, 'file')} (${formatBytes(r.bytes)}); ` +
          `${r.downloaded} downloaded (${formatBytes(r.receivedBytes)}), ${r.linked} linked, ${r.kept} kept; listing ${r.listing}`,
      );
    }
    for (const { target, error } of result.failures)
      io.stderr(`hangar mirror: ${target.repo}@${target.revision}: ${error.code}: ${error.message}`);
    return result.failures.length === 0 ? 0 : 1;
  } catch (error) {
    if (io.signal?.aborted) {
      io.stderr('hangar mirror: interrupted; partial downloads are kept for the next run');
      return 130;
    }
    const { code, message } = error as { code?: string; message?: string };
    io.stderr(`hangar mirror: ${code ? `${code}: ` : ''}${message ?? String(error)}`);
    return 1;
  }
}
