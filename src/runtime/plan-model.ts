import type { ResolvedConfig } from '../config/index.ts';
import { listRepoFiles, resolveRevision, type HubContext, type RepoFile } from '../hub/index.ts';
import type { HardwareProfile } from '../probe/index.ts';
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

/** Plans which files of a repo listing to fetch for `profile` (reads config.json when the repo has one). */
export async function planListing(
  context: HubContext,
  repo: string,
  commit: string,
  listed: readonly RepoFile[],
  profile: Pick<HardwareProfile, 'recommendation'>,
  dtype?: string,
): Promise<VariantPlan> {
  const config = listed.some((file) => file.path === 'config.json') ? await readTransformersConfig(context, repo, commit) : undefined;
  const { backend, dtypes } = profile.recommendation;
  const wanted = dtype === undefined || dtype === 'auto' ? dtypes : [dtype as (typeof dtypes)[number]];
  return planVariants(
    listed.map((file) => file.path),
    { backend, dtypes: wanted, ...(dtype === undefined || dtype === 'auto' ? (config === undefined ? {} : { config }) : {}) },
  );
}

/** Resolves `revision`, lists the repo and plans the files a device with `profile` should fetch. */
export async function planModel(
  config: ResolvedConfig,
  repo: string,
  revision: string,
  profile: Pick<HardwareProfile, 'recommendation'>,
  signal?: AbortSignal,
): Promise<ModelPlan> {
  const context: HubContext = { endpoint: config.endpoint, accessToken: config.accessToken, signal };
  const commit = await resolveRevision(context, repo, revision);
  const listed = await listRepoFiles(context, repo, commit);
  const plan = await planListing(context, repo, commit, listed, profile);
  const sizes = new Map(listed.map((file) => [file.path, file.size]));
  return { ...plan, repo, revision, commit, bytes: plan.files.reduce((sum, path) => sum + (sizes.get(path) ?? 0), 0) };
}
