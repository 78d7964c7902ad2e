// `hangar/transformers`: transformers.js loads its model files through a manager's store.
export { transformersCache, configureTransformers } from './manager-transformers.ts';
export type { TransformersCache, TransformersCacheOptions, TransformersProgress } from './transformers-cache.ts';
export type { ConfigureTransformersOptions, TransformersEnv } from './configure-transformers.ts';
