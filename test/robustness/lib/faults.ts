import {
  createTestIntegration,
  defaultValues,
  IntegrationError,
  InvalidAuthenticationError,
  RetryableError,
  type JSONObject,
  type SegmentEvent
} from '@segment/actions-core'
import { createExtoleDestination } from '../../../src/destinations/extole'
import { startEmulator, type Emulator, type FaultKind, type FaultOptions } from '../../../src/emulator'
import { SECRET_KEY, SEEDS } from './constants'

/**
 * Fault scenarios against the emulator, over real loopback sockets: the emulator injects the fault, the destination
 * classifies it, and every event is accounted for by its `partner_conversion_id`.
 *
 * The destination sets no per-request headers, so faults are driven by the emulator's fault options (`setFaults`),
 * not by its `x-emulator-fault` header: a rate of 1 for a burst, a seeded rate for random faults.
 */

/** How the destination reported a failure, as recognised from its status and message. */
export type Signature = '429' | '5xx' | 'html' | 'drop' | 'slow' | 'blocked' | 'auth' | 'other'

const RETRYABLE_SIGNATURES: ReadonlySet<Signature> = new Set(['429', '5xx', 'html', 'drop', 'slow'])

export const BLOCKED_EVENT_NAME = 'blocked-by-rules'
const WRONG_KEY = 'sk-not-the-right-key'

export interface FaultScenario {
  name: string
  /** Fault options in force during the burst (single path) and the whole batch. */
  faults: FaultOptions
  /** What each injected fault must be reported as; `mixed` scenarios are checked against the emulator's counters. */
  signature: Signature | 'mixed'
  /** Events on the single path: clean ones before and after the faulted burst. */
  single: { lead: number; burst: number; tail: number }
  /** Events in the one batch sent with the faults in force. */
  batch: number
  /** The destination's request timeout for this scenario (default 2000 ms, well clear of loopback latency). */
  timeoutMs?: number
  /** A rate of 1: every request of the burst and the batch is faulted, so each index is checked on its own. */
  everyRequest: boolean
  /** Non-retryable controls: the burst and batch events use this event name (blocked by the emulator's rules) … */
  eventName?: string
  /** … or this API key (not accepted by the emulator). */
  apiKey?: string
}

const burst = (n: number) => ({ lead: 3, burst: n, tail: 3 })

export const FAULT_SCENARIOS: readonly FaultScenario[] = [
  {
    name: '429 burst',
    faults: { faultRate429: 1 },
    signature: '429',
    single: burst(10),
    batch: 20,
    everyRequest: true
  },
  {
    name: '503 burst',
    faults: { faultRate503: 1 },
    signature: '5xx',
    single: burst(10),
    batch: 20,
    everyRequest: true
  },
  {
    name: 'random 5xx (20%, seeded)',
    faults: { faultRate5xx: 0.2, seed: SEEDS.faults },
    signature: '5xx',
    single: { lead: 0, burst: 100, tail: 0 },
    batch: 200,
    everyRequest: false
  },
  {
    name: 'slower than the timeout (latency 600 ms, timeout 200 ms)',
    faults: { latencyMs: 600 },
    signature: 'slow',
    single: { lead: 2, burst: 4, tail: 2 },
    batch: 10,
    timeoutMs: 200,
    everyRequest: true
  },
  {
    name: 'drop (socket destroyed before processing)',
    faults: { dropRate: 1 },
    signature: 'drop',
    single: burst(10),
    batch: 20,
    everyRequest: true
  },
  {
    name: 'drop-after (accepted, then socket destroyed)',
    faults: { dropAfterRate: 1 },
    signature: 'drop',
    single: burst(10),
    batch: 20,
    everyRequest: true
  },
  {
    name: 'HTML 502 page instead of JSON',
    faults: { htmlErrorRate: 1 },
    signature: 'html',
    single: burst(10),
    batch: 20,
    everyRequest: true
  },
  {
    name: 'mixed: every kind at once (seeded)',
    faults: {
      faultRate429: 0.05,
      faultRate503: 0.05,
      faultRate5xx: 0.1,
      htmlErrorRate: 0.05,
      dropRate: 0.05,
      dropAfterRate: 0.05,
      seed: SEEDS.faults + 1
    },
    signature: 'mixed',
    single: { lead: 0, burst: 100, tail: 0 },
    batch: 300,
    everyRequest: false
  },
  {
    name: 'control: event_blocked (400, final)',
    faults: {},
    signature: 'blocked',
    single: burst(5),
    batch: 10,
    everyRequest: true,
    eventName: BLOCKED_EVENT_NAME
  },
  {
    name: 'control: key refused (401, final)',
    faults: {},
    signature: 'auth',
    single: burst(5),
    batch: 10,
    everyRequest: true,
    apiKey: WRONG_KEY
  }
]

export interface EventOutcome {
  id: string
  path: 'single' | 'batch'
  /** Sent while the scenario's faults (or control) were in force. */
  faulted: boolean
  delivered: boolean
  retryable: boolean
  status?: number
  signature?: Signature
  detail?: string
}

export interface FaultScenarioResult {
  scenario: string
  signature: string
  events: number
  /** Faults the emulator injected (its own counters), or the control events sent. */
  injected: number
  /** Injected faults reported with the right classification (retryable or final, and the right kind). */
  survived: number
  misclassified: string[]
  delivered: number
  reportedRetryable: number
  reportedFinal: number
  /** Events neither recorded by Extole nor reported failed at their index: must be empty. */
  lost: string[]
  /** Recorded by Extole AND reported failed: allowed only for drop-after and slow requests. */
  acceptedThenDropped: number
  /** What the emulator's counters say that number must be: drop-after faults plus (timed-out) slow requests. */
  expectedAcceptedThenDropped: number
  /** Retryable events sent again with the faults off (what Segment's retry does). */
  redelivered: number
  /** Redeliveries Extole recognised as duplicates of an accepted event (by partner_conversion_id). */
  dedupedOnRedelivery: number
  /** After redelivery, events recorded exactly once / more than once / never (final failures excluded). */
  recordedOnce: number
  recordedTwice: string[]
  missingAfterRedelivery: string[]
  faultCounts: Record<FaultKind, number>
}

/** Reads the destination's report: the signature is how each fault kind is worded (see extole-api.ts). */
export function signatureOf(status: number | undefined, message: string): Signature {
  if (status === 504 && /^Extole did not answer in time$/.test(message)) return 'slow'
  if (status === 503 && /^Extole could not be reached \(E[A-Z]+\)$/.test(message)) return 'drop'
  if (status === 502 && message === 'Extole could not take the request now, HTTP 502: a non-JSON body (HTTP 502)') {
    return 'html'
  }
  if (status === 429 && /^Extole could not take the request now, HTTP 429: .*\(code too_many_requests/.test(message)) {
    return '429'
  }
  if (
    [500, 502, 503, 504].includes(status ?? 0) &&
    /^Extole could not take the request now, HTTP 5\d\d: .*\(code /.test(message)
  ) {
    return '5xx'
  }
  if (status === 400 && /^Extole's program rules blocked this event, HTTP 400: /.test(message)) {
    return 'blocked'
  }
  if (status === 401 && /^Extole rejected the API key/.test(message)) return 'auth'
  return 'other'
}

function thrownOutcome(error: unknown): Omit<EventOutcome, 'id' | 'path' | 'faulted'> {
  const e = error as { status?: number; message?: string; code?: string; retry?: boolean }
  const message = String(e?.message)
  if (error instanceof RetryableError) {
    return {
      delivered: false,
      retryable: true,
      status: e.status,
      signature: signatureOf(e.status, message),
      detail: message
    }
  }
  if (error instanceof InvalidAuthenticationError) {
    return { delivered: false, retryable: false, status: 401, signature: signatureOf(401, message), detail: message }
  }
  if (error instanceof IntegrationError && e.retry === false) {
    return {
      delivered: false,
      retryable: false,
      status: e.status,
      signature: signatureOf(e.status, message),
      detail: message
    }
  }
  return { delivered: false, retryable: false, signature: 'other', detail: `${(error as Error)?.name}: ${message}` }
}

function batchOutcome(entry: Record<string, unknown> | undefined): Omit<EventOutcome, 'id' | 'path' | 'faulted'> {
  if (!entry) return { delivered: false, retryable: false, signature: 'other', detail: 'index not set' }
  const status = typeof entry.status === 'number' ? entry.status : undefined
  if (status === 200) return { delivered: true, retryable: false, status }
  const message = String(entry.errormessage)
  const retryable = entry.errortype === 'RETRYABLE_ERROR'
  const finalType = { 400: 'BAD_REQUEST', 401: 'INVALID_AUTHENTICATION' }[status ?? 0]
  const typed = retryable || entry.errortype === finalType
  return {
    delivered: false,
    retryable,
    status,
    signature: typed ? signatureOf(status, message) : 'other',
    detail: `${String(entry.errortype)}: ${message}`
  }
}

function conversion(id: string, eventName = 'conversion'): SegmentEvent {
  return {
    type: 'track',
    event: eventName,
    userId: `user-${id}`,
    timestamp: '2024-01-15T12:00:00.000Z',
    properties: { partner_conversion_id: id, cart_value: '10.00' }
  } as SegmentEvent
}

function zeroCounts(): Record<FaultKind, number> {
  return { '429': 0, '503': 0, '5xx': 0, html: 0, drop: 0, 'drop-after': 0, slow: 0 }
}

/** Runs the fault scenarios against one emulator (reset between scenarios). */
export class FaultRunner {
  private constructor(private readonly emulator: Emulator) {}

  static async start(): Promise<FaultRunner> {
    return new FaultRunner(await startEmulator({ apiKeys: [SECRET_KEY], blockedEventNames: [BLOCKED_EVENT_NAME] }))
  }

  stop(): Promise<void> {
    return this.emulator.stop()
  }

  async run(scenario: FaultScenario): Promise<FaultScenarioResult> {
    const emulator = this.emulator
    emulator.setFaults({})
    emulator.reset()
    const definition = createExtoleDestination({
      apiBaseUrl: emulator.url,
      eventsBaseUrl: emulator.url,
      timeoutMs: scenario.timeoutMs ?? 2000,
      batchConcurrency: 5
    })
    const destination = createTestIntegration(definition)
    const single = defaultValues(definition.actions.track.fields) as JSONObject
    const batch = { ...single, enable_batching: true } as JSONObject
    const prefix = scenario.name.replace(/\W+/g, '-')
    const goodSettings = { apiKey: SECRET_KEY }
    const faultedSettings = { apiKey: scenario.apiKey ?? SECRET_KEY }
    const outcomes: EventOutcome[] = []

    const sendOne = async (id: string, faulted: boolean) => {
      const name = faulted ? scenario.eventName : undefined
      const settings = faulted ? faultedSettings : goodSettings
      try {
        await destination.testAction('track', { event: conversion(id, name), mapping: single, settings })
        outcomes.push({ id, path: 'single', faulted, delivered: true, retryable: false, status: 200 })
      } catch (error) {
        outcomes.push({ id, path: 'single', faulted, ...thrownOutcome(error) })
      }
    }
    const sendBatch = async (ids: string[], faulted: boolean, path: EventOutcome['path'] = 'batch') => {
      const events = ids.map((id) => conversion(id, faulted ? scenario.eventName : undefined))
      const settings = faulted ? faultedSettings : goodSettings
      await destination.testBatchAction('track', { events, mapping: batch, settings })
      const multistatus = (destination.results[0]?.multistatus ?? []) as unknown as Record<string, unknown>[]
      return ids.map((id, index): EventOutcome => ({ id, path, faulted, ...batchOutcome(multistatus[index]) }))
    }

    // First pass: the single path (clean lead, faulted burst, clean tail), then one batch under the faults.
    const { lead, burst: burstSize, tail } = scenario.single
    for (let i = 0; i < lead; i++) await sendOne(`${prefix}-lead-${i}`, false)
    emulator.setFaults(scenario.faults)
    for (let i = 0; i < burstSize; i++) await sendOne(`${prefix}-single-${i}`, true)
    emulator.setFaults({})
    for (let i = 0; i < tail; i++) await sendOne(`${prefix}-tail-${i}`, false)
    emulator.setFaults({ ...scenario.faults, seed: undefined })
    outcomes.push(
      ...(await sendBatch(
        Array.from({ length: scenario.batch }, (_, i) => `${prefix}-batch-${i}`),
        true
      ))
    )
    emulator.setFaults({})
    await this.settle(outcomes.length)

    const first = emulator.state()
    const faultCounts = { ...zeroCounts(), ...first.requests.faults }
    const recorded = countById(first.events)

    // Accounting: every event recorded by Extole or reported failed at its index, and never both unless the
    // connection died after Extole accepted it.
    const lost: string[] = []
    let acceptedThenDropped = 0
    for (const outcome of outcomes) {
      const times = recorded.get(outcome.id) ?? 0
      if (outcome.delivered && times === 0) lost.push(outcome.id)
      if (!outcome.delivered && times > 0) acceptedThenDropped++
    }
    const expectedAcceptedThenDropped = faultCounts['drop-after'] + (scenario.faults.latencyMs ? faultCounts.slow : 0)

    // Classification.
    const expected = expectedSignatures(scenario, faultCounts)
    const misclassified: string[] = []
    const observed = new Map<Signature, number>()
    for (const outcome of outcomes) {
      if (scenario.everyRequest && outcome.faulted === outcome.delivered) {
        misclassified.push(`${outcome.id}: ${outcome.delivered ? 'delivered under a fault' : outcome.detail}`)
      }
      if (!outcome.faulted && !outcome.delivered)
        misclassified.push(`${outcome.id} failed outside the faults: ${outcome.detail}`)
      if (outcome.delivered) continue
      const signature = outcome.signature ?? 'other'
      observed.set(signature, (observed.get(signature) ?? 0) + 1)
      if (outcome.retryable !== RETRYABLE_SIGNATURES.has(signature)) {
        misclassified.push(`${outcome.id}: reported ${outcome.retryable ? 'retryable' : 'final'} for ${signature}`)
      }
      if (scenario.everyRequest && scenario.signature !== signature) {
        misclassified.push(`${outcome.id}: ${signature}, expected ${scenario.signature} (${outcome.detail})`)
      }
    }
    let survived = 0
    for (const signature of new Set([...observed.keys(), ...expected.keys()])) {
      const seen = observed.get(signature) ?? 0
      const want = expected.get(signature) ?? 0
      survived += Math.min(seen, want)
      if (seen !== want) misclassified.push(`${seen} failures reported as ${signature}, ${want} injected`)
    }
    const injected = [...expected.values()].reduce((a, b) => a + b, 0)

    // Redelivery, faults off: what Segment does with a retryable failure.
    const before = first.requests.total
    const retry = outcomes.filter((o) => o.retryable)
    for (const outcome of retry.filter((o) => o.path === 'single')) await sendOne(outcome.id, false)
    const batchRetry = retry.filter((o) => o.path === 'batch').map((o) => o.id)
    if (batchRetry.length > 0) await sendBatch(batchRetry, false, 'batch')
    await this.settle(before + retry.length)
    const after = emulator.state()
    const dedupedOnRedelivery = after.requests.log.filter((entry) => entry.seq > before && entry.duplicate).length
    const finallyRecorded = countById(after.events)
    const mustBeThere = outcomes.filter((o) => o.delivered || o.retryable).map((o) => o.id)

    return {
      scenario: scenario.name,
      signature: scenario.signature,
      events: outcomes.length,
      injected,
      survived,
      misclassified,
      delivered: outcomes.filter((o) => o.delivered).length,
      reportedRetryable: retry.length,
      reportedFinal: outcomes.filter((o) => !o.delivered && !o.retryable).length,
      lost,
      acceptedThenDropped,
      expectedAcceptedThenDropped,
      redelivered: retry.length,
      dedupedOnRedelivery,
      recordedOnce: mustBeThere.filter((id) => finallyRecorded.get(id) === 1).length,
      recordedTwice: mustBeThere.filter((id) => (finallyRecorded.get(id) ?? 0) > 1),
      missingAfterRedelivery: mustBeThere.filter((id) => !finallyRecorded.has(id)),
      faultCounts
    }
  }

  /** Waits until the emulator has finished `total` requests (a slow one is logged after its latency). */
  private async settle(total: number): Promise<void> {
    const deadline = Date.now() + 10_000
    while (this.emulator.state().requests.total < total && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  }
}

function countById(events: ReadonlyArray<{ data: Record<string, unknown> | null }>): Map<string, number> {
  const counts = new Map<string, number>()
  for (const event of events) {
    const id = event.data?.partner_conversion_id
    if (typeof id === 'string') counts.set(id, (counts.get(id) ?? 0) + 1)
  }
  return counts
}

/** How many failures of each signature the scenario must produce, from the emulator's own fault counters. */
function expectedSignatures(scenario: FaultScenario, counts: Record<FaultKind, number>): Map<Signature, number> {
  if (scenario.signature === 'blocked' || scenario.signature === 'auth') {
    return new Map([[scenario.signature, scenario.single.burst + scenario.batch]])
  }
  const expected = new Map<Signature, number>([
    ['429', counts['429']],
    ['5xx', counts['503'] + counts['5xx']],
    ['html', counts.html],
    ['drop', counts.drop + counts['drop-after']],
    ['slow', scenario.faults.latencyMs ? counts.slow : 0]
  ])
  for (const [key, value] of expected) if (value === 0) expected.delete(key)
  return expected
}
