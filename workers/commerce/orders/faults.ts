// Named points between an Inventory object call and its Postgres write, where a test can make the Worker "die".
// Nothing in production registers a fault, so every point is a no-op there; tests arm one to prove a retry or the
// Cart object's alarm finishes the job.

/** The places a fault can be injected. */
export type FaultPoint = 'after-hold' | 'after-money' | 'between-stock-lines' | 'after-restock'

const armed = new Map<FaultPoint, number>()

/** Thrown at an armed point. */
export class InjectedFault extends Error {
  constructor(point: FaultPoint) {
    super(`injected fault at ${point}`)
    this.name = 'InjectedFault'
  }
}

/** Arms `point` to throw the next `times` times it is reached (tests only). */
export function armFault(point: FaultPoint, times = 1): void {
  armed.set(point, times)
}

/** Disarms every point (tests only). */
export function disarmFaults(): void {
  armed.clear()
}

/** Throws `InjectedFault` when a test armed this point; otherwise does nothing. */
export function faultPoint(point: FaultPoint): void {
  const left = armed.get(point)
  if (left === undefined) return
  if (left <= 1) armed.delete(point)
  else armed.set(point, left - 1)
  throw new InjectedFault(point)
}
