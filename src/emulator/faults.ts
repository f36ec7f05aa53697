import type { IncomingHttpHeaders } from 'node:http'

/** Request header forcing one fault for this request. Values: see `HEADER_FAULTS`. */
export const FAULT_HEADER = 'x-emulator-fault'
/** Request header adding N milliseconds of latency before this request is answered. */
export const LATENCY_HEADER = 'x-emulator-latency-ms'

/** Latency used by `x-emulator-fault: slow` when neither the latency header nor `latencyMs` gives one. */
export const DEFAULT_SLOW_MS = 1500
export const MAX_LATENCY_MS = 120_000
export const DEFAULT_SEED = 0x5eed

/**
 * Kinds of injected faults, as counted in `state.requests.faults`:
 * - `429` / `503`: Extole error body (`too_many_requests` / `service_unavailable`), request not processed
 * - `5xx`: one of 500/502/503/504 (picked by the PRNG) with an Extole error body, request not processed
 * - `html`: 502 with an HTML page (as a proxy in front of Extole would answer), request not processed
 * - `drop`: socket destroyed without a response, request not processed
 * - `drop-after`: request processed (event recorded), then the socket is destroyed before the response is written
 * - `slow`: the answer is delayed (counted whenever latency > 0)
 */
export type FaultKind = '429' | '503' | '5xx' | 'html' | 'drop' | 'drop-after' | 'slow'
export const FAULT_KINDS: readonly FaultKind[] = ['429', '503', '5xx', 'html', 'drop', 'drop-after', 'slow']

/** Values accepted by the `x-emulator-fault` header (`500`, `502`, `504` force that exact 5xx status). */
export const HEADER_FAULTS = ['429', '503', '500', '502', '504', '5xx', 'html', 'drop', 'drop-after', 'slow'] as const

export interface FaultOptions {
  /** Probability (0..1) of answering 429 too_many_requests. */
  faultRate429?: number
  /** Probability (0..1) of answering 503 service_unavailable. */
  faultRate503?: number
  /** Probability (0..1) of answering a 500/502/503/504 with an Extole body. */
  faultRate5xx?: number
  /** Probability (0..1) of answering 502 with an HTML page. */
  htmlErrorRate?: number
  /** Probability (0..1) of destroying the socket without processing the request. */
  dropRate?: number
  /** Probability (0..1) of processing the request and then destroying the socket without answering. */
  dropAfterRate?: number
  /** Latency (ms) added to every API request. */
  latencyMs?: number
  /** PRNG seed (integer); the same seed and request sequence give the same faults. */
  seed?: number
}

const RATE_KEYS = [
  'faultRate429',
  'faultRate503',
  'faultRate5xx',
  'htmlErrorRate',
  'dropRate',
  'dropAfterRate'
] as const

/** Fault kind drawn for each rate option, in the order the cumulative draw checks them. */
const RATE_FAULTS: ReadonlyArray<[(typeof RATE_KEYS)[number], Exclude<FaultKind, 'slow'>]> = [
  ['faultRate429', '429'],
  ['faultRate503', '503'],
  ['faultRate5xx', '5xx'],
  ['htmlErrorRate', 'html'],
  ['dropRate', 'drop'],
  ['dropAfterRate', 'drop-after']
]

const SERVER_ERROR_STATUSES = [500, 502, 503, 504] as const

/** A fault that changes the response (everything but latency). `status` is set for 429/503/5xx/html. */
export interface ResponseFault {
  kind: Exclude<FaultKind, 'slow'>
  status?: number
}

export interface FaultDecision {
  fault: ResponseFault | null
  delayMs: number
}

/** mulberry32: a tiny, fast, seedable PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The fault options contained in a larger options object (e.g. `EmulatorOptions`). */
export function pickFaultOptions(options: FaultOptions): FaultOptions {
  const picked: FaultOptions = {}
  for (const key of [...RATE_KEYS, 'latencyMs', 'seed'] as const) {
    if (options[key] !== undefined) picked[key] = options[key]
  }
  return picked
}

/** Throws a TypeError describing the first invalid option. Unknown keys are rejected too (typo safety). */
export function validateFaultOptions(input: unknown): FaultOptions {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError('fault options must be an object')
  }
  const allowed = new Set<string>([...RATE_KEYS, 'latencyMs', 'seed'])
  const options = input as Record<string, unknown>
  const result: FaultOptions = {}
  let total = 0
  for (const [key, value] of Object.entries(options)) {
    if (!allowed.has(key)) throw new TypeError(`unknown fault option: ${key}`)
    if (value === undefined) continue
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`${key} must be a finite number`)
    if (key === 'seed') {
      if (!Number.isInteger(value)) throw new TypeError('seed must be an integer')
    } else if (key === 'latencyMs') {
      if (value < 0 || value > MAX_LATENCY_MS) throw new TypeError(`latencyMs must be within 0..${MAX_LATENCY_MS}`)
    } else {
      if (value < 0 || value > 1) throw new TypeError(`${key} must be within 0..1`)
      total += value
    }
    ;(result as Record<string, number>)[key] = value
  }
  if (total > 1 + 1e-9) throw new TypeError('fault rates must add up to at most 1')
  return result
}

/** Picks per-request faults from the configured rates (seeded) or from the request's fault headers. */
export class FaultInjector {
  private config: FaultOptions = {}
  private random: () => number = mulberry32(DEFAULT_SEED)

  constructor(options: FaultOptions = {}) {
    this.configure(options)
  }

  /** Replaces the whole configuration. The PRNG is re-seeded only when `seed` is given. */
  configure(options: FaultOptions): void {
    this.config = validateFaultOptions(options)
    if (this.config.seed !== undefined) this.random = mulberry32(this.config.seed)
  }

  /** Restarts the PRNG stream from the configured seed (or the default one). */
  reseed(): void {
    this.random = mulberry32(this.config.seed ?? DEFAULT_SEED)
  }

  get options(): FaultOptions {
    return { ...this.config }
  }

  /**
   * Decides the faults of one request. Header-forced faults take precedence and consume no random draw, so they
   * do not shift the seeded sequence. Returns a string (an error message) for an invalid header value.
   */
  decide(headers: IncomingHttpHeaders): FaultDecision | string {
    const forced = headerValue(headers[FAULT_HEADER])
    const latencyHeader = headerValue(headers[LATENCY_HEADER])
    let delayMs = this.config.latencyMs ?? 0
    if (latencyHeader !== undefined) {
      const parsed = Number(latencyHeader)
      if (latencyHeader.trim() === '' || !Number.isInteger(parsed) || parsed < 0 || parsed > MAX_LATENCY_MS) {
        return `${LATENCY_HEADER} must be an integer within 0..${MAX_LATENCY_MS}`
      }
      delayMs = parsed
    }
    if (forced !== undefined) {
      const value = forced.trim().toLowerCase()
      if (!(HEADER_FAULTS as readonly string[]).includes(value)) {
        return `${FAULT_HEADER} must be one of ${HEADER_FAULTS.join(', ')}`
      }
      if (value === 'slow') {
        return { fault: null, delayMs: latencyHeader !== undefined ? delayMs : delayMs || DEFAULT_SLOW_MS }
      }
      return { fault: this.forcedFault(value), delayMs }
    }
    return { fault: this.randomFault(), delayMs }
  }

  private forcedFault(value: string): ResponseFault {
    switch (value) {
      case '429':
        return { kind: '429', status: 429 }
      case '503':
        return { kind: '503', status: 503 }
      case '500':
      case '502':
      case '504':
        return { kind: '5xx', status: Number(value) }
      case '5xx':
        return { kind: '5xx', status: this.pickServerError() }
      case 'html':
        return { kind: 'html', status: 502 }
      case 'drop':
        return { kind: 'drop' }
      default:
        return { kind: 'drop-after' }
    }
  }

  private randomFault(): ResponseFault | null {
    if (!RATE_FAULTS.some(([key]) => (this.config[key] ?? 0) > 0)) return null
    const draw = this.random()
    let threshold = 0
    for (const [key, kind] of RATE_FAULTS) {
      threshold += this.config[key] ?? 0
      if (draw < threshold) return kind === '5xx' ? { kind, status: this.pickServerError() } : this.forcedFault(kind)
    }
    return null
  }

  private pickServerError(): number {
    return SERVER_ERROR_STATUSES[Math.floor(this.random() * SERVER_ERROR_STATUSES.length)]
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}
