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
