import type { RepoFile } from '../hub/index.ts';
import type { Dtype, HardwareProfile } from '../probe/index.ts';
import type { CommitMetadata } from './commit-metadata.ts';
import { planVariants, type VariantPlan } from './plan-variants.ts';
import type { ModelConfig } from './read-model-config.ts';

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
const FOUR_BIT = new Set<Dtype>(['q4f16', 'q4', 'bnb4']);

/**
 * Plans which files of a repo listing to fetch for `profile` (reads config.json when the repo has
 * one). With `dtype` 'auto', a plan larger than the free storage the probe saw is redone with the
 * lightest variants the device can run, and says so.
 */
export async function planListing(
  metadata: CommitMetadata,
  repo: string,
  commit: string,
  listed: readonly RepoFile[],
  profile: PlanProfile,
  dtype: 'auto' | Dtype = 'auto',
  signal?: AbortSignal,
): Promise<VariantPlan & { bytes: number }> {
  return choosePlan(listed, await metadata.modelConfig(repo, commit, listed, signal), profile, dtype);
}

/** The profile a plan needs. */
type PlanProfile = Pick<HardwareProfile, 'recommendation'> & Partial<Pick<HardwareProfile, 'storage'>>;

/**
 * `plan()` for a manager: the revision's commit (one request, shared while in flight), then the
 * listing and config.json at that commit, read once and kept (`CommitMetadata`): a picker planning
 * four variants, and the download after it, make one round of requests.
 */
export async function planModel(
  metadata: CommitMetadata,
  repo: string,
  revision: string,
  profile: PlanProfile,
  dtype: 'auto' | Dtype = 'auto',
  signal?: AbortSignal,
): Promise<ModelPlan> {
  const commit = await metadata.commit(repo, revision, signal);
  const listed = await metadata.listing(repo, commit, signal);
  return { ...(await planListing(metadata, repo, commit, listed, profile, dtype, signal)), repo, revision, commit };
}

function choosePlan(
  listed: readonly RepoFile[],
  config: ModelConfig | undefined,
  profile: PlanProfile,
  dtype: 'auto' | Dtype,
): VariantPlan & { bytes: number } {
  const { backend } = profile.recommendation;
  const dtypes = config?.causalLm === true ? llmOrder(profile.recommendation.dtypes, backend) : profile.recommendation.dtypes;
  const paths = listed.map((file) => file.path);
  const sizes = new Map(listed.map((file) => [file.path, file.size]));
  const bytesOf = (plan: VariantPlan): number => plan.files.reduce((sum, path) => sum + (sizes.get(path) ?? 0), 0);
  const auto = dtype === 'auto';
  const transformersJs = config?.transformersJs;
  const planned = planVariants(paths, {
    backend,
    dtypes: auto ? dtypes : [dtype],
    ...(auto && transformersJs !== undefined ? { config: transformersJs } : {}),
  });
  const llm = `a text-generation model: ${backend === 'webgpu' ? '4-bit weights first' : 'full precision last'}`;
  const plan = auto && config?.causalLm === true ? { ...planned, reasons: [llm, ...planned.reasons] } : planned;
  const bytes = bytesOf(plan);
  const { quota, usage } = profile.storage ?? {};
  const free = quota === undefined ? undefined : quota - (usage ?? 0);
  if (!auto || free === undefined || bytes <= free) return { ...plan, bytes };
  // The lightest by the listing's sizes: a q4 with float embeddings can outweigh q8 (Qwen2.5 0.5B: 786 vs 512 MB).
  const runnable = LIGHTEST_FIRST.filter((candidate) => dtypes.includes(candidate));
  const candidates = runnable.map((candidate) => planVariants(paths, { backend, dtypes: [candidate, ...runnable] }));
  const lighter = candidates.reduce((best, candidate) => (bytesOf(candidate) < bytesOf(best) ? candidate : best), plan);
  const lighterBytes = bytesOf(lighter);
  const reason =
    lighter === plan
      ? `only ${free} bytes of storage free and the plan needs ${bytes}: no variant is lighter`
      : `only ${free} bytes of storage free and the plan needs ${bytes}: the lightest variants instead (${lighterBytes} bytes)`;
  return { ...lighter, bytes: lighterBytes, reasons: [...plan.reasons, reason, ...(lighter === plan ? [] : lighter.reasons)] };
}

/**
 * The device's dtypes reordered for a text-generation model, whose decoding reads every weight once
 * per token: on WebGPU 4-bit weights first (q4f16 with shader-f16); on WASM the device's order, but
 * full precision after 4-bit (a repo without 8-bit weights gets q4, not fp32 at four times the size).
 */
function llmOrder(dtypes: readonly Dtype[], backend: 'webgpu' | 'wasm'): Dtype[] {
  const first = backend === 'webgpu' ? (d: Dtype) => FOUR_BIT.has(d) : (d: Dtype) => d !== 'fp32' && d !== 'fp16';
  return [...dtypes.filter(first), ...dtypes.filter((d) => !first(d))];
}
