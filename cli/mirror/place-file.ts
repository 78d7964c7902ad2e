import { randomBytes } from 'node:crypto';
import { copyFile, link, mkdir, readFile, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Ways to put a file at its final path in one step: each writes under `tempDir` (in the mirror, so
 * on the same file system) and renames into place, so a reader or a crash never sees half a file.
 */

function tempName(tempDir: string): string {
  return join(tempDir, `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`);
}

async function placed(tempDir: string, final: string, make: (temp: string) => Promise<void>): Promise<void> {
  await mkdir(tempDir, { recursive: true });
  await mkdir(dirname(final), { recursive: true });
  const temp = tempName(tempDir);
  try {
    await make(temp);
    await rename(temp, final);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Writes `content` to `final` unless it already holds exactly that (an unchanged file keeps its mtime for sync tools); true when written. */
export async function writeFileAtomic(tempDir: string, final: string, content: string): Promise<boolean> {
  const old = await readFile(final, 'utf8').catch(() => undefined);
  if (old === content) return false;
  await placed(tempDir, final, (temp) => writeFile(temp, content));
  return true;
}

/** Puts a hard link to `existing` at `final` (a copy where the file system refuses links). */
export async function linkAtomic(tempDir: string, existing: string, final: string): Promise<void> {
  await placed(tempDir, final, (temp) => link(existing, temp).catch(() => copyFile(existing, temp)));
}

/** Points the symlink `final` at `target` (relative to `final`'s folder) unless it already does; true when changed. */
export async function symlinkAtomic(tempDir: string, target: string, final: string): Promise<boolean> {
  if ((await readlink(final).catch(() => undefined)) === target) return false;
  await placed(tempDir, final, (temp) => symlink(target, temp));
  return true;
}
