export { parseSize } from './parse-size.ts';
export { parseDuration } from './parse-duration.ts';
export { resolveConfig, type HangarOptions, type ResolvedConfig, type Size, type Duration } from './resolve-config.ts';
