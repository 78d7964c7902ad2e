export {
  planVariants,
  parseGraphPath,
  DTYPE_SUFFIX,
  type VariantPlan,
  type PlannedSession,
  type TransformersJsConfig,
} from './plan-variants.ts';
export { planModel, planListing, type ModelPlan } from './plan-model.ts';
export { createSession, type SessionOptions, type HangarSession } from './create-session.ts';
export { readOnnxHeader, type OnnxHeader, type OnnxValueInfo } from './read-onnx-header.ts';
export { validateModel, type ValidateOptions, type ValidationReport } from './validate-model.ts';
export {
  benchmarkBackends,
  rememberedBackend,
  deviceKey,
  type BenchmarkOptions,
  type BackendBenchmark,
  type BackendTiming,
} from './benchmark-backends.ts';
export type { InputOptions } from './synthetic-inputs.ts';
export {
  createTransformersCache,
  parseTransformersKey,
  type TransformersCache,
  type TransformersCacheOptions,
  type TransformersProgress,
} from './transformers-cache.ts';
export { configureTransformers, type ConfigureTransformersOptions, type TransformersEnv } from './configure-transformers.ts';
