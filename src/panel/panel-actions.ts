import type { CleanReport, ModelManager } from '../index.ts';
import { formatBytes } from '../util/index.ts';
import { h } from './dom.ts';
import { verifiedText, type ModelActions } from './model-view.ts';
import type { StorageActions } from './storage-view.ts';

/** What the panel's actions need from the panel. */
export interface ActionHost {
  /** Runs an action: its outcome (or error) in the message line, then a refresh. */
  act(action: () => Promise<string | undefined>): void;
  /** Keeps a clean preview to show (undefined: none); shown from the next render of the storage section. */
  setPreview(report: CleanReport | undefined): void;
  renderStorage(): void;
  /** Repos whose details are open (kept across re-renders). */
  readonly open: Set<string>;
}

/** The storage section's controls: clean (dry run first), import. */
export function storageActions(manager: ModelManager, host: ActionHost): StorageActions {
  return {
    previewClean: () =>
      host.act(async () => {
        host.setPreview(await manager.cache.clean({ dryRun: true }));
        return 'Clean preview: nothing was changed.';
      }),
    clean: () => {
      if (!confirm('Clean the cache now? The revisions listed will be deleted.')) return;
      host.setPreview(undefined);
      host.act(async () => {
        const report = await manager.cache.clean();
        return `Cleaned: ${report.remove.length} revision(s), ${report.blobs} blob(s), ${formatBytes(report.bytesFreed)} freed.`;
      });
    },
    dismissPreview: () => (host.setPreview(undefined), host.renderStorage()),
    importArchive: (file) =>
      host.act(async () => {
        const model = await manager.cache.import(file);
        return `Imported ${model.repo} at ${model.commit.slice(0, 10)}: ${model.files.length} files, every hash checked.`;
      }),
  };
}

/** A model's controls: verify, pin, export, copy as JSON, delete. */
export function modelActions(manager: ModelManager, host: ActionHost): ModelActions {
  return {
    verify: (repo) => host.act(async () => verifiedText(repo, await manager.cache.verify(repo))),
    setPinned: (repo, pinned) =>
      host.act(async () =>
        pinned
          ? (await manager.cache.pin(repo), `Pinned ${repo}: clean() keeps it.`)
          : (await manager.cache.unpin(repo), `Unpinned ${repo}.`),
      ),
    exportModel: (repo) =>
      host.act(async () => {
        const archive = await manager.cache.export(repo);
        const link = h('a', { href: URL.createObjectURL(archive), download: archive.name });
        link.click();
        // Not the panel's work: the object URL is freed even when the panel has left the page.
        setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
        return `Exported ${repo} as ${archive.name} (${formatBytes(archive.size)}).`;
      }),
    copy: (model) =>
      host.act(
        async () => (await navigator.clipboard.writeText(JSON.stringify(model, null, 2)), `Copied the details of ${model.repo} as JSON.`),
      ),
    remove: (model) => {
      if (!confirm(`Delete ${model.repo} (${formatBytes(model.size)}) from this browser?`)) return;
      host.act(async () => {
        const report = await manager.cache.delete(model.repo);
        return `Deleted ${model.repo}: ${formatBytes(report.bytesFreed)} freed.`;
      });
    },
    toggled: (repo, open) => (open ? host.open.add(repo) : host.open.delete(repo)),
  };
}
