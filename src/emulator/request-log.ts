import { FAULT_KINDS, type FaultKind } from './faults'

export const MAX_LOG_ENTRIES = 10_000

/** One API request as the emulator handled it. Headers and query strings are never recorded. */
export interface RequestLogEntry {
  seq: number
  at: string
  method: string
  /** URL path without the query string. */
  path: string
  /** Route template, e.g. `POST /v6/events/{event_name}`, or `unmatched`. */
  route: string
  /** Status sent to the client; null when the connection was dropped (`drop`, `drop-after`). */
  status: number | null
  /** Response fault injected into this request (latency is reported in `delay_ms`). */
  fault: Exclude<FaultKind, 'slow'> | null
  delay_ms: number
  /** Event created by this request, or the original event for a de-duplicated one. */
  event_id: string | null
  /** True when this request stored a new event (also for `drop-after`, whose client never saw an answer). */
  recorded: boolean
  duplicate: boolean
}

export interface RequestStats {
  /** API requests received (emulator control routes are not counted). */
  total: number
  byRoute: Record<string, number>
  /** Injected faults by kind; every kind is present (0 when none). */
  faults: Record<FaultKind, number>
  /** The latest MAX_LOG_ENTRIES requests, oldest first. */
  log: RequestLogEntry[]
}

export type RequestLogInput = Omit<RequestLogEntry, 'seq' | 'at'>

export class RequestLog {
  private stats: RequestStats = emptyStats()

  record(input: RequestLogInput): void {
    const stats = this.stats
    stats.total++
    stats.byRoute[input.route] = (stats.byRoute[input.route] ?? 0) + 1
    if (input.fault) stats.faults[input.fault]++
    if (input.delay_ms > 0) stats.faults.slow++
    stats.log.push({ seq: stats.total, at: new Date().toISOString(), ...input })
    if (stats.log.length > MAX_LOG_ENTRIES) stats.log.shift()
  }

  snapshot(): RequestStats {
    return structuredClone(this.stats)
  }

  reset(): void {
    this.stats = emptyStats()
  }
}

function emptyStats(): RequestStats {
  const faults = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>
  return { total: 0, byRoute: {}, faults, log: [] }
}
