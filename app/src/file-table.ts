import { formatBytes, formatEta, type FileProgress } from 'hangar';

const ACTIVE = new Set(['downloading', 'retrying']);

/** What a file's state says to a person: rate and time left only while bytes move. */
export function describeFile(file: FileProgress): string {
  if (file.error !== undefined) return `failed: ${file.error.message}`;
  if (file.state === 'cached') return 'already on this device';
  if (file.state === 'done') return 'verified';
  if (!ACTIVE.has(file.state)) return file.state;
  const rate = file.bytesPerSecond > 0 ? `, ${formatBytes(file.bytesPerSecond)}/s, ${formatEta(file.etaSeconds)} left` : '';
  return `${file.state}${rate}`;
}

/**
 * The rows of a per-file progress table: name, a real bar, bytes, state. Each row is one grid that
 * wraps on a phone (the name on its own line) instead of squeezing the numbers.
 */
export function fileRows(files: FileProgress[]): HTMLTableRowElement[] {
  return files.map((file) => {
    const row = document.createElement('tr');
    row.className = 'file-row';
    const name = row.insertCell();
    name.className = 'file-name';
    name.textContent = file.path;
    const bar = row.insertCell().appendChild(document.createElement('progress'));
    bar.max = Math.max(1, file.total);
    bar.value = file.loaded;
    bar.setAttribute('aria-label', file.path);
    const bytes = row.insertCell();
    bytes.className = 'num';
    bytes.textContent = file.loaded === file.total ? formatBytes(file.total) : `${formatBytes(file.loaded)} / ${formatBytes(file.total)}`;
    row.insertCell().textContent = describeFile(file);
    return row;
  });
}
