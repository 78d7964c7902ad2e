export { DTYPES } from './types.ts';
export type { Dtype, Backend, WebGpuInfo, HardwareFacts, Recommendation, HardwareProfile } from './types.ts';
export { recommend, type RecommendOptions } from './recommend.ts';
export { probeHardware } from './probe-hardware.ts';
