import type { ResolvedConfig } from '../config/index.ts';
import { hubContext, listRepoFiles, resolveRevision, type HubContext, type RepoFile } from '../hub/index.ts';
import type { Dtype, HardwareProfile } from '../probe/index.ts';
import { planVariants, type VariantPlan } from './plan-variants.ts';
import { readTransformersConfig } from './read-transformers-config.ts';

/** A variant plan for one repo revision, with its sizes. */
export interface ModelPlan extends VariantPlan {
  repo: string;
  revision: string;
  commit: string;
  /** Bytes of the planned files. */
  bytes: number;
}

/** Lightest weights first: the order used when storage is short. */
const LIGHTEST_FIRST: Dtype[] = ['q4', 'q4f16', 'bnb4', 'q8', 'int8', 'uint8', 'fp16', 'fp32'];

/**
 * Plans which files of a repo listing to fetch for `profile` (reads config.json when the repo has
 * one). With `dtype` 'auto', a plan larger than the free storage the probe saw is redone with the
 * lightest variants the device can run, and says so.
 */
export async function planListing(
  context: HubContext,
  repo: string,
  commit: string,
  listed: readonly RepoFile[],
  profile: Pick<HardwareProfile, 'recommendation'> & Partial<Pick<HardwareProfile, 'storage'>>,
  dtype: 'auto' | Dtype = 'auto',
): Promise<VariantPlan & { bytes: number }> {
  const config = listed.some((file) => file.path === 'config.json') ? await readTransformersConfig(context, repo, commit) : undefined;
  const { backend, dtypes } = profile.recommendation;
  const paths = listed.map((file) => file.path);
  const sizes = new Map(listed.map((file) => [file.path, file.size]));
  const bytesOf = (plan: VariantPlan): number => plan.files.reduce((sum, path) => sum + (sizes.get(path) ?? 0), 0);
  const auto = dtype === 'auto';
  const plan = planVariants(paths, { backend, dtypes: auto ? dtypes : [dtype], ...(auto && config !== undefined ? { config } : {}) });
  const bytes = bytesOf(plan);
  const { quota, usage } = profile.storage ?? {};
  const free = quota === undefined ? undefined : quota - (usage ?? 0);
  if (!auto || free === undefined || bytes <= free) return { ...plan, bytes };
  const lighter = planVariants(paths, { backend, dtypes: LIGHTEST_FIRST.filter((candidate) => dtypes.includes(candidate)) });
  const lighterBytes = bytesOf(lighter);
  const reason = `only ${free} bytes of storage free and the plan needs ${bytes}: lightest variants instead (${lighterBytes} bytes)`;
  return { ...lighter, bytes: lighterBytes, reasons: [...plan.reasons, reason, ...lighter.reasons] };
}

/** Resolves `revision`, lists the repo and plans the files a device with `profile` should fetch (for `dtype`, default 'auto'). */
export async function planModel(
  config: ResolvedConfig,
  repo: string,
  revision: string,
  profile: Pick<HardwareProfile, 'recommendation'> & Partial<Pick<HardwareProfile, 'storage'>>,
  signal?: AbortSignal,
  dtype: 'auto' | Dtype = 'auto',
): Promise<ModelPlan> {
  const context = hubContext(config, signal);
  const commit = await resolveRevision(context, repo, revision);
  const listed = await listRepoFiles(context, repo, commit);
  return { ...(await planListing(context, repo, commit, listed, profile, dtype)), repo, revision, commit };
}
