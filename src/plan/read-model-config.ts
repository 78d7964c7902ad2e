import { HubError } from '../errors/index.ts';
import { createHubFetch, resolveUrl, type HubContext } from '../hub/index.ts';
import type { TransformersJsConfig } from './plan-variants.ts';

/** What planning reads from a repo's config.json. */
export interface ModelConfig {
  /** Its `transformers.js_config` section. */
  transformersJs: TransformersJsConfig | undefined;
  /** A decoder-only text-generation model (`architectures` names a `…ForCausalLM`). */
  causalLm: boolean;
}

/** Reads what planning needs from a repo's config.json at `commit`. */
export async function readModelConfig(context: HubContext, repo: string, commit: string): Promise<ModelConfig> {
  const response = await createHubFetch(context)(resolveUrl(context.endpoint, repo, commit, 'config.json'));
  let config: Record<string, unknown> | null;
  try {
    config = (await response.json()) as Record<string, unknown> | null;
  } catch (error) {
    throw new HubError('HUB_BAD_RESPONSE', `${repo}: config.json is not JSON`, { cause: error, details: { repo, commit } });
  }
  const section = config?.['transformers.js_config'];
  const architectures = config?.['architectures'];
  return {
    transformersJs: typeof section === 'object' && section !== null ? section : undefined,
    causalLm: Array.isArray(architectures) && architectures.some((name) => typeof name === 'string' && name.endsWith('ForCausalLM')),
  };
}

/** Whether `value` (a kept record's) has the shape `readModelConfig` gives. */
export function isModelConfig(value: unknown): value is ModelConfig {
  if (typeof value !== 'object' || value === null) return false;
  const { transformersJs, causalLm } = value as Record<string, unknown>;
  return typeof causalLm === 'boolean' && (transformersJs === undefined || (typeof transformersJs === 'object' && transformersJs !== null));
}
