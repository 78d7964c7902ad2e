export {
  createTransformersCache,
  parseTransformersKey,
  type TransformersCache,
  type TransformersCacheOptions,
  type TransformersProgress,
} from './transformers-cache.ts';
export { configureTransformers, type ConfigureTransformersOptions, type TransformersEnv } from './configure-transformers.ts';
