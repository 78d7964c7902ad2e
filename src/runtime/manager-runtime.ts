import { withManager, type ManagerInternals } from '../manager-internals.ts';
import type { ModelManager } from '../model-manager.ts';
import { benchmarkBackends, deviceKey, rememberedBackend, type BackendBenchmark, type BenchmarkOptions } from './benchmark-backends.ts';
import { createSession as openSession, type HangarSession, type SessionOptions } from './create-session.ts';
import { validateModel, type ValidateOptions, type ValidationReport } from './validate-model.ts';

/** The store, the profile and a session opener for the graphs of `repo` (sessions it opens are not counted in metrics). */
async function sessionsOf({ openStore, probe, config }: ManagerInternals, repo: string) {
  const [store, profile] = await Promise.all([openStore(), probe()]);
  const open = (graph: string, sessionOptions: SessionOptions) => openSession(store, config, profile, repo, graph, sessionOptions);
  return { store, profile, open };
}

/**
 * Opens a stored ONNX graph of `manager`'s store in onnxruntime-web (offline), with session options
 * from the device profile and the manager's config; the backend `benchmark()` measured fastest for
 * it on this device, unless `options.backend` says otherwise.
 */
export function createSession(manager: ModelManager, repo: string, path: string, options: SessionOptions = {}): Promise<HangarSession> {
  return withManager(manager, async ({ openStore, probe, config, metrics }) => {
    const [store, profile] = await Promise.all([openStore(), probe()]);
    const commit = await store.localCommit(repo, options.revision ?? 'main');
    const measured = commit === undefined ? undefined : rememberedBackend(store.name, deviceKey(profile), repo, commit, path);
    const result = await openSession(store, config, profile, repo, path, {
      ...(measured === undefined ? {} : { backend: measured }),
      ...options,
    });
    metrics.session(result.backend, result.createMs, result.modelBytes, result.session);
    return result;
  });
}

/** Checks a stored graph: its ONNX header (read without loading the weights), a smoke run on synthetic inputs, and a quantized variant against fp32. */
export function validate(manager: ModelManager, repo: string, path: string, options: ValidateOptions = {}): Promise<ValidationReport> {
  return withManager(manager, async (internals) => {
    const { store, open } = await sessionsOf(internals, repo);
    return validateModel(store, open, repo, path, options);
  });
}

/** Times a stored model on each usable backend; the fastest becomes `createSession`'s default for it on this device (remembered). */
export function benchmark(manager: ModelManager, repo: string, path: string, options: BenchmarkOptions = {}): Promise<BackendBenchmark> {
  return withManager(manager, async (internals) => {
    const { store, profile, open } = await sessionsOf(internals, repo);
    return benchmarkBackends(store, open, profile, repo, path, options);
  });
}
