export { Metrics, type MetricsSnapshot, type BackendMetrics, type DownloadMetrics } from './metrics.ts';
