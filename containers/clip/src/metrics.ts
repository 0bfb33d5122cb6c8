// Prometheus metrics of the service, on a registry of its own (one per server instance).
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128]

/** Creates the registry and every metric the service records. */
export function createMetrics() {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'clip_' })
  return {
    registry,
    requestDuration: new Histogram({
      name: 'clip_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    inferenceDuration: new Histogram({
      name: 'clip_inference_duration_seconds',
      help: 'Duration of one batched inference call',
      labelNames: ['kind'] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'clip_batch_size',
      help: 'Items per inference call',
      labelNames: ['kind'] as const,
      buckets: BATCH_BUCKETS,
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'clip_queue_depth',
      help: 'Items waiting for a batch',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    queueRejections: new Counter({
      name: 'clip_queue_rejections_total',
      help: 'Requests refused with 429 because the queue was full',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    modelState: new Gauge({
      name: 'clip_model_state',
      help: 'Where loading the model stands: 1 for the current state (loading, ready or unavailable), 0 for the others',
      labelNames: ['state'] as const,
      registers: [registry],
    }),
    modelInfo: new Gauge({
      name: 'clip_model_info',
      help: 'The loaded model (1 when ready)',
      labelNames: ['model', 'dtype', 'dims'] as const,
      registers: [registry],
    }),
  }
}

export type Metrics = ReturnType<typeof createMetrics>
