// One Workers Analytics Engine data point per API request and per Durable Object operation, so dashboards (requests
// and errors by route, p99 latency, top tenants; the SQL is in the README) need no log pipeline. Locally the binding
// drops every write; a write that throws never fails the request it measures.

/** Which kind of data point a row is: the first blob of every point. */
export type DataPointKind = 'request' | 'object_operation'

/** One finished API request. */
export interface RequestMeasure {
  method: string
  /** The matched route pattern (`/v1/products/:id`), never the concrete path, so rows group by route. */
  route: string
  status: number
  tenantId: string | null
  durationMs: number
}

/** One finished Durable Object operation. */
export interface OperationMeasure {
  objectClass: string
  operation: string
  tenantId: string
  /** `ok`, `replayed`, or the error code the operation answered with. */
  outcome: string
  durationMs: number
}

const NO_TENANT = 'none'

/** The data point of a request: blobs kind, method, route, status, tenant; doubles duration (ms), status; indexed by tenant. */
export function requestDataPoint(m: RequestMeasure): AnalyticsEngineDataPoint {
  const tenant = m.tenantId ?? NO_TENANT
  return { indexes: [tenant], blobs: ['request' satisfies DataPointKind, m.method, m.route, String(m.status), tenant], doubles: [m.durationMs, m.status] }
}

/** The data point of an object operation: blobs kind, class, operation, outcome, tenant; doubles duration (ms); indexed by tenant. */
export function operationDataPoint(m: OperationMeasure): AnalyticsEngineDataPoint {
  return { indexes: [m.tenantId], blobs: ['object_operation' satisfies DataPointKind, m.objectClass, m.operation, m.outcome, m.tenantId], doubles: [m.durationMs] }
}

/** Writes `point` to `dataset` when the binding exists; metrics never fail what they measure. */
export function writeDataPoint(dataset: AnalyticsEngineDataset | undefined, point: AnalyticsEngineDataPoint): void {
  try {
    dataset?.writeDataPoint(point)
  } catch (error) {
    console.warn(JSON.stringify({ level: 'warn', msg: 'analytics data point not written', error: String(error) }))
  }
}
