// `hangar/runtime`: ONNX Runtime sessions from a manager's store (onnxruntime-web is a peer of this entry point only).
export { createSession, validate, benchmark } from './manager-runtime.ts';
export type { SessionOptions, HangarSession } from './create-session.ts';
export type { OnnxHeader, OnnxValueInfo } from './read-onnx-header.ts';
export type { ValidateOptions, ValidationReport } from './validate-model.ts';
export type { BenchmarkOptions, BackendBenchmark, BackendTiming } from './benchmark-backends.ts';
export type { InputOptions } from './synthetic-inputs.ts';
