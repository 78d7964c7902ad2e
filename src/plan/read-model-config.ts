import { HubError } from '../errors/index.ts';
import { createHubFetch, resolveUrl, type HubContext } from '../hub/index.ts';
import type { TransformersJsConfig } from './plan-variants.ts';

/** Reads `transformers.js_config` from a repo's config.json at `commit` (undefined when absent). */
export async function readTransformersConfig(context: HubContext, repo: string, commit: string): Promise<TransformersJsConfig | undefined> {
  const response = await createHubFetch(context)(resolveUrl(context.endpoint, repo, commit, 'config.json'));
  let config: unknown;
  try {
    config = await response.json();
  } catch (error) {
    throw new HubError('HUB_BAD_RESPONSE', `${repo}: config.json is not JSON`, { cause: error, details: { repo, commit } });
  }
  const section = (config as Record<string, unknown> | null)?.['transformers.js_config'];
  return typeof section === 'object' && section !== null ? section : undefined;
}
