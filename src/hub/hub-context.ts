import type { ResolvedConfig } from '../config/index.ts';
import type { HubContext } from './types.ts';

/** The Hub context of a manager's config: its endpoint and token, and the download stall and timeout rules for API answers too. */
export function hubContext(config: Pick<ResolvedConfig, 'endpoint' | 'accessToken' | 'download'>, signal?: AbortSignal): HubContext {
  return {
    endpoint: config.endpoint,
    accessToken: config.accessToken,
    signal,
    stallMs: config.download.stallTimeout,
    timeoutMs: config.download.timeout,
  };
}
