import fc from 'fast-check'
import {
  createTestIntegration,
  defaultValues,
  IntegrationError,
  PayloadValidationError,
  type JSONObject,
  type SegmentEvent
} from '@segment/actions-core'
import { createExtoleDestination } from '../../../src/destinations/extole'
import { deletionEvent, identifyBatch, identifyEvent, trackBatch, trackEvent } from './arbitraries'
import { SECRET_KEY, SECRET_SETTINGS } from './constants'
import { findSecret } from './leaks'
import { startSink, type Sink, type SinkRequest } from './sink'

export const HOSTILE_ACTIONS = ['identify', 'track', 'trackBatch', 'identifyBatch', 'delete'] as const
export type HostileAction = (typeof HOSTILE_ACTIONS)[number]

/** Outcomes of the hostile-input run for one action. Batch actions count events, not cases, in the outcomes. */
export interface HostileStats {
  action: HostileAction
  /** Property cases run (a batch case is one batch of 1 to 3 events). */
  cases: number
  /** Events (or deletion requests) handed to the destination. */
  events: number
  /** HTTP requests that reached the (loopback) Extole stand-in. */
  requests: number
  delivered: number
  /** Refused by actions-core's schema validation of the mapped payload (`AggregateAjvError`). */
  refusedBySchema: number
  /** Refused by the destination's own checks (`PayloadValidationError`). */
  refusedByDestination: number
  /** Sent, and refused by Extole (the stand-in answers 400 to a body outside the strict schema). Must stay 0. */
  rejectedByExtole: number
  /** Reported retryable. The stand-in never fails, so this must stay 0. */
  retryable: number
}

const PATHS: Record<HostileAction, string> = {
  identify: '/v6/events',
  track: '/v6/events',
  trackBatch: '/v6/async-events',
  identifyBatch: '/v6/async-events',
  delete: '/v4/erasures'
}

const ARBITRARIES: Record<HostileAction, fc.Arbitrary<unknown>> = {
  identify: identifyEvent,
  track: trackEvent,
  trackBatch,
  identifyBatch,
  delete: deletionEvent
}

/** Messages of the destination's own `PayloadValidationError`s (`event-data.ts`, `batch.ts`, `onDelete`). */
const DESTINATION_REFUSAL = /^(`|Extole needs|The event could not be mapped|The deletion request)/

function emptyStats(action: HostileAction): HostileStats {
  return {
    action,
    cases: 0,
    events: 0,
    requests: 0,
    delivered: 0,
    refusedBySchema: 0,
    refusedByDestination: 0,
    rejectedByExtole: 0,
    retryable: 0
  }
}

type Outcome = 'delivered' | 'refusedBySchema' | 'refusedByDestination' | 'rejectedByExtole' | 'retryable'

const PROTOTYPES: ReadonlyArray<[string, object]> = [
  ['Object', Object.prototype],
  ['Array', Array.prototype],
  ['Function', Function.prototype],
  ['String', String.prototype],
  ['Number', Number.prototype]
]

/** Every own key of the built-in prototypes with its value (or getter), to see keys added, removed or replaced. */
export type PrototypeBaseline = Array<Map<PropertyKey, unknown>>

export function prototypeSnapshot(): PrototypeBaseline {
  return PROTOTYPES.map(([, proto]) => {
    const entries = new Map<PropertyKey, unknown>()
    for (const key of Reflect.ownKeys(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, key)
      entries.set(key, descriptor?.value ?? descriptor?.get)
    }
    return entries
  })
}

/**
 * The per-case check: no key added to or removed from a built-in prototype, and no `polluted` marker readable from a
 * fresh object or array (every pollution payload of the generators carries one).
 */
function quickPollutionProblems(baseline: PrototypeBaseline): string[] {
  const problems: string[] = []
  PROTOTYPES.forEach(([name, proto], index) => {
    const size = Reflect.ownKeys(proto).length
    if (size !== baseline[index].size) problems.push(`${name}.prototype has ${size} keys, had ${baseline[index].size}`)
  })
  const probe = {} as Record<string, unknown>
  if (probe.polluted !== undefined || ([] as unknown as Record<string, unknown>).polluted !== undefined) {
    problems.push('({}).polluted or [].polluted is defined')
  }
  if (Object.getPrototypeOf(probe) !== Object.prototype) problems.push('a fresh object lost Object.prototype')
  return problems
}

/** The full check (run after each property): every key and value of the built-in prototypes as in `baseline`. */
export function prototypeProblems(baseline: PrototypeBaseline): string[] {
  const problems = quickPollutionProblems(baseline)
  const now = prototypeSnapshot()
  PROTOTYPES.forEach(([name], index) => {
    for (const [key, value] of now[index]) {
      if (!baseline[index].has(key)) problems.push(`${name}.prototype gained ${String(key)}`)
      else if (baseline[index].get(key) !== value) problems.push(`${name}.prototype.${String(key)} was replaced`)
    }
    for (const key of baseline[index].keys()) {
      if (!now[index].has(key)) problems.push(`${name}.prototype lost ${String(key)}`)
    }
  })
  return problems
}

/** Checks one request as it arrived: path, method, strict body, exactly one correct Authorization header, no key. */
export function requestProblems(request: SinkRequest, expectedPath: string): string[] {
  const problems: string[] = []
  if (request.method !== 'POST') problems.push(`method ${request.method}`)
  if (request.path !== expectedPath) problems.push(`path ${request.path}, expected ${expectedPath}`)
  if (request.json === undefined) problems.push('body is not JSON')
  for (const error of request.schemaErrors) problems.push(`strict schema: ${error}`)
  const authorization: string[] = []
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const [name, value] = [request.rawHeaders[i], request.rawHeaders[i + 1]]
    if (name.toLowerCase() === 'authorization') authorization.push(value)
    else if (value.includes(SECRET_KEY)) problems.push(`the key is in header ${name}`)
  }
  if (authorization.length !== 1 || authorization[0] !== `Bearer ${SECRET_KEY}`) {
    problems.push(`authorization headers: ${authorization.length} (${authorization.map((v) => v.slice(0, 12))})`)
  }
  if (request.body.includes(SECRET_KEY)) problems.push('the key is in the request body')
  return problems
}

function errorProblems(error: unknown): string[] {
  const where = findSecret(error, SECRET_KEY, { quick: true })
  return where ? [`the key is in the error (${where})`] : []
}

function classifyThrown(error: unknown): Outcome | undefined {
  if (error instanceof PayloadValidationError) return 'refusedByDestination'
  if ((error as Error)?.name === 'AggregateAjvError' && error instanceof Error) return 'refusedBySchema'
  return undefined
}

function describeError(error: unknown): string {
  const e = error as { name?: unknown; message?: unknown; constructor?: { name?: string } }
  return `${e?.constructor?.name ?? typeof error}/${String(e?.name)}: ${String(e?.message).slice(0, 300)}`
}

function createDestination(extoleUrl: string) {
  const definition = createExtoleDestination({ apiBaseUrl: extoleUrl, eventsBaseUrl: extoleUrl, timeoutMs: 5000 })
  return { definition, destination: createTestIntegration(definition) }
}

type TestDestination = ReturnType<typeof createDestination>['destination']

/** fast-check's report with runs of one repeated character (the 100k strings) collapsed, and a length cap. */
export function readableReport<T>(details: fc.RunDetails<T>): string {
  const error = details.errorInstance
  const cause = error instanceof Error ? error.message : String(error)
  const report = `${fc.defaultReportMessage(details) ?? 'property failed'}\nCause: ${cause}`
  return report.replace(/([\s\S])\1{99,}/g, (run, char: string) => `${char}<…×${run.length}>`).slice(0, 6000)
}

/** For `fc.assert(..., { reporter })`: throws the readable report instead of fast-check's full one. */
export function throwReadable<T>(details: fc.RunDetails<T>): void {
  if (details.failed) throw new Error(readableReport(details))
}

/**
 * Runs hostile cases against a destination whose Extole hosts point at a recording loopback stand-in, and checks
 * every invariant per case. Violations are thrown (so fast-check shrinks and reports the case); outcomes are
 * counted in `stats`.
 */
export class HostileRunner {
  readonly stats = Object.fromEntries(HOSTILE_ACTIONS.map((a) => [a, emptyStats(a)])) as Record<
    HostileAction,
    HostileStats
  >
  /** `uncaughtException` / `unhandledRejection` seen while the runner was open. */
  readonly uncaught: string[] = []
  private readonly baseline = prototypeSnapshot()
  private readonly destination: TestDestination
  private readonly mappings: Record<'identify' | 'track', JSONObject>
  private readonly onUncaught = (error: unknown) => this.uncaught.push(describeError(error))

  private constructor(private readonly sink: Sink) {
    const { definition, destination } = createDestination(sink.url)
    this.destination = destination
    this.mappings = {
      identify: { ...defaultValues(definition.actions.identify.fields), enable_batching: true } as JSONObject,
      track: { ...defaultValues(definition.actions.track.fields), enable_batching: true } as JSONObject
    }
    process.on('uncaughtException', this.onUncaught)
    process.on('unhandledRejection', this.onUncaught)
  }

  static async start(): Promise<HostileRunner> {
    return new HostileRunner(await startSink())
  }

  /** Built-in prototypes compared key by key and value by value with their state when the runner started. */
  prototypeProblems(): string[] {
    return prototypeProblems(this.baseline)
  }

  async stop(): Promise<void> {
    process.off('uncaughtException', this.onUncaught)
    process.off('unhandledRejection', this.onUncaught)
    await this.sink.stop()
  }

  /** The fast-check property for one action: throws on the first violated invariant. */
  property(action: HostileAction) {
    return fc.asyncProperty(ARBITRARIES[action], async (input) => {
      const problems = await this.runCase(action, input)
      if (problems.length > 0) throw new Error(`${action}: ${problems.join('; ')}`)
    })
  }

  /**
   * `fc.assert` of one action's property with a fixed seed; a failure (fast-check's report with the shrunk
   * counterexample) is returned rather than thrown, so the caller decides how to report it.
   */
  async assert(action: HostileAction, seed: number, numRuns: number): Promise<{ failure?: string }> {
    try {
      await fc.assert(this.property(action), { seed, numRuns, reporter: throwReadable })
      return {}
    } catch (error) {
      return { failure: (error as Error).message }
    }
  }

  async runCase(action: HostileAction, input: unknown): Promise<string[]> {
    const stats = this.stats[action]
    stats.cases++
    this.sink.take()
    const problems =
      action === 'identifyBatch' || action === 'trackBatch'
        ? await this.runBatch(action, input as SegmentEvent[])
        : action === 'delete'
          ? await this.runDelete(input as SegmentEvent)
          : await this.runSingle(action, input as SegmentEvent)
    problems.push(...quickPollutionProblems(this.baseline))
    if (this.uncaught.length > 0) problems.push(`uncaught: ${this.uncaught.join(' | ')}`)
    return problems
  }

  private count(action: HostileAction, outcome: Outcome, n = 1) {
    this.stats[action][outcome] += n
  }

  private checkRequests(action: HostileAction, requests: SinkRequest[]): string[] {
    this.stats[action].requests += requests.length
    return requests.flatMap((request) => requestProblems(request, PATHS[action]))
  }

  private async runSingle(action: 'identify' | 'track', event: SegmentEvent): Promise<string[]> {
    this.stats[action].events++
    let thrown: unknown
    let threw = false
    try {
      await this.destination.testAction(action, { event, settings: SECRET_SETTINGS, useDefaultMappings: true })
    } catch (error) {
      threw = true
      thrown = error
    }
    const requests = this.sink.take()
    const problems = this.checkRequests(action, requests)
    if (!threw) {
      if (requests.length !== 1) problems.push(`resolved after ${requests.length} requests`)
      else if (requests[0].status !== 200) problems.push(`resolved although Extole answered ${requests[0].status}`)
      else this.count(action, 'delivered')
      return problems
    }
    problems.push(...errorProblems(thrown))
    const outcome = classifyThrown(thrown)
    if (outcome && requests.length === 0) {
      this.count(action, outcome)
    } else if (requests.length === 1 && requests[0].status === 400 && thrown instanceof IntegrationError) {
      this.count(action, 'rejectedByExtole')
    } else {
      problems.push(`after ${requests.length} requests, not a typed refusal: ${describeError(thrown)}`)
    }
    return problems
  }

  private async runBatch(action: 'identifyBatch' | 'trackBatch', events: SegmentEvent[]): Promise<string[]> {
    const key = action === 'trackBatch' ? 'track' : 'identify'
    this.stats[action].events += events.length
    const problems: string[] = []
    try {
      await this.destination.testBatchAction(key, { events, mapping: this.mappings[key], settings: SECRET_SETTINGS })
    } catch (error) {
      problems.push(`the batch threw: ${describeError(error)}`, ...errorProblems(error))
    }
    const requests = this.sink.take()
    problems.push(...this.checkRequests(action, requests))
    const multistatus = (this.destination.results[0]?.multistatus ?? []) as unknown as Record<string, unknown>[]
    if (multistatus.length !== events.length) problems.push(`${multistatus.length} results for ${events.length} events`)
    const leak = findSecret(multistatus, SECRET_KEY, { quick: true })
    if (leak) problems.push(`the key is in the multistatus (${leak})`)

    // Every body that reached Extole must be the `sent` of exactly one delivered index (and vice versa).
    const unmatched = new Map<string, number>()
    for (const request of requests) unmatched.set(request.body, (unmatched.get(request.body) ?? 0) + 1)
    for (let index = 0; index < events.length; index++) {
      const entry = multistatus[index]
      if (!entry || typeof entry !== 'object') {
        problems.push(`index ${index} is not set`)
        continue
      }
      if (entry.status === 200) {
        const body = JSON.stringify(entry.sent)
        const left = unmatched.get(body) ?? 0
        if (left === 0) problems.push(`index ${index} reported delivered, but no such request reached Extole`)
        else unmatched.set(body, left - 1)
        this.count(action, 'delivered')
      } else if (entry.errortype === 'PAYLOAD_VALIDATION_FAILED' && entry.status === 400 && !('sent' in entry)) {
        const ours = DESTINATION_REFUSAL.test(String(entry.errormessage))
        this.count(action, ours ? 'refusedByDestination' : 'refusedBySchema')
      } else if (entry.errortype === 'RETRYABLE_ERROR') {
        this.count(action, 'retryable')
        problems.push(`index ${index} retryable against an always-up Extole: ${String(entry.errormessage)}`)
      } else if (entry.status === 400 && 'sent' in entry) {
        this.count(action, 'rejectedByExtole')
      } else {
        problems.push(`index ${index}: unexpected ${JSON.stringify(entry).slice(0, 300)}`)
      }
    }
    const stray = [...unmatched.values()].reduce((a, b) => a + b, 0)
    const rejected = requests.filter((r) => r.status !== 200).length
    if (stray !== rejected) problems.push(`${stray - rejected} requests reached Extole without a delivered index`)
    return problems
  }

  private async runDelete(event: SegmentEvent): Promise<string[]> {
    this.stats.delete.events++
    const onDelete = this.destination.onDelete
    if (!onDelete) return ['the destination has no onDelete']
    let thrown: unknown
    let threw = false
    try {
      await onDelete.call(this.destination, event, SECRET_SETTINGS as unknown as JSONObject)
    } catch (error) {
      threw = true
      thrown = error
    }
    const requests = this.sink.take()
    const problems = this.checkRequests('delete', requests)
    if (!threw) {
      // The erasure must name the person the ingest paths stored: the trimmed string, or a finite number as the
      // string actions-core coerces it to on identify/track (see findings.test.ts).
      const userId = (event as { userId?: unknown }).userId
      const expected =
        typeof userId === 'string'
          ? userId.trim()
          : typeof userId === 'number' && Number.isFinite(userId)
            ? String(userId)
            : undefined
      const sentId = (requests[0]?.json as { partner_user_id?: unknown } | undefined)?.partner_user_id
      if (requests.length !== 1) problems.push(`resolved after ${requests.length} requests`)
      else if (!expected || sentId !== expected) {
        problems.push(`erased partner_user_id ${JSON.stringify(sentId)?.slice(0, 80)} for userId ${typeof userId}`)
      } else this.count('delete', 'delivered')
      return problems
    }
    problems.push(...errorProblems(thrown))
    const outcome = classifyThrown(thrown)
    if (outcome && requests.length === 0) this.count('delete', outcome)
    else problems.push(`after ${requests.length} requests, not a typed refusal: ${describeError(thrown)}`)
    return problems
  }
}
